package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 9001 Appendix A and RFC 9369 Appendix A: Initial keys and the sample client Initial. */
class QuicInitialTest {
    private static final byte[] DCID = TestCaptures.hex("8394c8f03e515708");
    /** RFC 9001 A.2: the start of the unprotected payload, a CRYPTO frame at offset 0 of 241 bytes. */
    private static final byte[] A2_PAYLOAD_START = TestCaptures.hex("060040f1010000ed0303ebf8fa56f12939b9584a3896472e");

    private static byte[] vector(String name) throws IOException {
        return TestCaptures.hex(Files.readString(Path.of("src/test/resources/quic", name)));
    }

    @Test
    void v1ClientKeysAreThoseOfRfc9001AppendixA1() {
        QuicInitial.Keys k = new QuicInitial().clientKeys(QuicInitial.VERSION_1, DCID, 0, DCID.length);
        assertArrayEquals(TestCaptures.hex("1f369613dd76d5467730efcbe3b1a22d"), k.key());
        assertArrayEquals(TestCaptures.hex("fa044b2f42a3fd3b46fb255c"), k.iv());
        assertArrayEquals(TestCaptures.hex("9f50449e04a0e810283a1e9933adedd2"), k.hp());
    }

    @Test
    void v2ClientKeysAreThoseOfRfc9369AppendixA1() {
        QuicInitial.Keys k = new QuicInitial().clientKeys(QuicInitial.VERSION_2, DCID, 0, DCID.length);
        assertArrayEquals(TestCaptures.hex("8b1a0bc121284290a29e0971b5cd045d"), k.key());
        assertArrayEquals(TestCaptures.hex("91f73e2351d8fa91660e909f"), k.iv());
        assertArrayEquals(TestCaptures.hex("45b95e15235d6f45a6b19cbcb0294ba9"), k.hp());
    }

    @Test
    void opensTheRfc9001SampleClientInitial() throws IOException {
        assertOpens(vector("rfc9001-a2-client-initial.hex"), QuicInitial.VERSION_1);
    }

    @Test
    void opensTheRfc9369SampleClientInitial() throws IOException {
        assertOpens(vector("rfc9369-a2-client-initial.hex"), QuicInitial.VERSION_2);
    }

    private static void assertOpens(byte[] packet, int version) {
        QuicInitial initial = new QuicInitial();
        byte[] plain = new byte[packet.length];
        int pnOffset = 18; // first byte, version, DCID length and 8 bytes, SCID length 0, token length 0, 2-byte length
        int n = initial.open(initial.clientKeys(version, DCID, 0, DCID.length), packet, 0, pnOffset, packet.length, plain);
        assertEquals(1162, n, "payload length of A.2 (1200 bytes minus 22 of header and 16 of tag)");
        assertEquals(2, initial.packetNumber());
        assertArrayEquals(A2_PAYLOAD_START, Arrays.copyOf(plain, A2_PAYLOAD_START.length));
    }

    @Test
    void theSampleInitialsCarryAClientHelloForExampleCom() throws IOException {
        for (String name : List.of("rfc9001-a2-client-initial.hex", "rfc9369-a2-client-initial.hex")) {
            ClientHello hello = datagram(vector(name));
            assertNotNull(hello, name);
            assertEquals("example.com", hello.serverName);
            assertEquals(List.of("alpn"), hello.alpn);
            assertFalse(hello.ech);
        }
    }

    @Test
    void aFlippedCiphertextByteDoesNotOpen() throws IOException {
        byte[] packet = vector("rfc9001-a2-client-initial.hex");
        packet[500] ^= 1;
        assertNull(datagram(packet));
    }

    @Test
    void everyTruncationOfTheSampleEndsWithoutAHelloOrAnException() throws IOException {
        byte[] packet = vector("rfc9001-a2-client-initial.hex");
        for (int len = 0; len < packet.length; len++) {
            assertNull(datagram(Arrays.copyOf(packet, len)), "truncated to " + len);
        }
    }

    /** The ClientHello handshake message of RFC 9001 A.2 (241 bytes), taken from the opened packet. */
    private static byte[] rfcHello() throws IOException {
        byte[] packet = vector("rfc9001-a2-client-initial.hex");
        byte[] plain = new byte[packet.length];
        QuicInitial initial = new QuicInitial();
        initial.open(initial.clientKeys(QuicInitial.VERSION_1, DCID, 0, DCID.length), packet, 0, 18, packet.length, plain);
        return Arrays.copyOfRange(plain, 4, 4 + 241); // after the CRYPTO frame's type, offset 0 and 2-byte length
    }

    @Test
    void cryptoFramesOutOfOrderOverTwoCoalescedPacketsWithARepeatAfterCompletion() throws Exception {
        byte[] hello = rfcHello();
        for (int version : new int[] {QuicInitial.VERSION_1, QuicInitial.VERSION_2}) {
            byte[] first = seal(version, 0, crypto(hello, 120, 241), crypto(hello, 0, 60));
            byte[] second = seal(version, 1, crypto(hello, 60, 120), crypto(hello, 0, 30));
            ByteArrayOutputStream datagram = new ByteArrayOutputStream();
            datagram.writeBytes(first);
            datagram.writeBytes(second);
            datagram.writeBytes(new byte[1200 - datagram.size()]); // padding after the coalesced packets
            ClientHello h = datagram(datagram.toByteArray());
            assertNotNull(h, "version " + version);
            assertEquals("example.com", h.serverName);
        }
    }

    @Test
    void aHelloSpreadOverTwoDatagramsArrivingInReverse() throws Exception {
        byte[] hello = rfcHello();
        byte[] early = seal(QuicInitial.VERSION_1, 1, crypto(hello, 100, 241));
        byte[] late = seal(QuicInitial.VERSION_1, 0, crypto(hello, 0, 100));
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        assertNull(feed(initials, early));
        ClientHello h = feed(initials, late);
        assertNotNull(h);
        assertEquals("example.com", h.serverName);
        assertEquals(1, initials.connectionCount());
    }

    /** A CRYPTO frame carrying {@code hello[from, to)}, with 2-byte offset and length. */
    private static byte[] crypto(byte[] hello, int from, int to) {
        byte[] f = new byte[5 + to - from];
        f[0] = 0x06;
        f[1] = (byte) (0x40 | from >> 8);
        f[2] = (byte) from;
        f[3] = (byte) (0x40 | (to - from) >> 8);
        f[4] = (byte) (to - from);
        System.arraycopy(hello, from, f, 5, to - from);
        return f;
    }

    /** A client Initial with DCID {@link #DCID}, a 4-byte packet number and these frames, protected as RFC 9001 section 5 says. */
    private static byte[] seal(int version, int pn, byte[]... frames) throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            payload.writeBytes(f);
        }
        byte[] plain = payload.toByteArray();
        int type = QuicInitial.initialType(version);
        int length = 4 + plain.length + 16;
        byte[] header = new byte[18 + 4];
        header[0] = (byte) (0xc0 | type << 4 | 3);
        header[1] = (byte) (version >>> 24);
        header[2] = (byte) (version >>> 16);
        header[3] = (byte) (version >>> 8);
        header[4] = (byte) version;
        header[5] = 8;
        System.arraycopy(DCID, 0, header, 6, 8);
        header[14] = 0; // SCID length
        header[15] = 0; // token length
        header[16] = (byte) (0x40 | length >> 8);
        header[17] = (byte) length;
        header[18] = (byte) (pn >>> 24);
        header[19] = (byte) (pn >>> 16);
        header[20] = (byte) (pn >>> 8);
        header[21] = (byte) pn;
        QuicInitial.Keys k = new QuicInitial().clientKeys(version, DCID, 0, DCID.length);
        byte[] nonce = k.iv().clone();
        for (int i = 0; i < 4; i++) {
            nonce[11 - i] ^= (byte) (pn >>> (8 * i));
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.key(), "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(header);
        byte[] sealed = gcm.doFinal(plain);
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.hp(), "AES"));
        byte[] mask = ecb.doFinal(sealed, 0, 16); // the sample starts 4 bytes after the packet number's start
        header[0] ^= (byte) (mask[0] & 0x0f);
        for (int i = 0; i < 4; i++) {
            header[18 + i] ^= mask[1 + i];
        }
        byte[] packet = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, packet, header.length, sealed.length);
        return packet;
    }

    @Test
    void varintsOfEveryLength() throws MalformedException {
        byte[] b = TestCaptures.hex("25 7bbd 9d7f3e7d c2197c5eff14e88c");
        assertEquals(37, QuicInitials.varint(b, 0, b.length));
        assertEquals(15293, QuicInitials.varint(b, 1, b.length));
        assertEquals(494878333, QuicInitials.varint(b, 3, b.length));
        assertEquals(151288809941952652L, QuicInitials.varint(b, 7, b.length));
    }

    private static ClientHello datagram(byte[] payload) {
        return feed(new QuicInitials(new CaptureStats("test")), payload);
    }

    private static ClientHello feed(QuicInitials initials, byte[] payload) {
        Packet p = TestCaptures.ipv4(0, "10.0.0.1", "10.0.0.2", 50000, 443, false, 0, 0, payload);
        PacketHeaders h = new PacketHeaders(new Ipv4Fragments());
        assertEquals(PacketHeaders.UDP, h.decode(p));
        if (!QuicInitials.looksLikeInitial(h.data, h.payload, h.payloadLength)) {
            return null;
        }
        return initials.datagram(new FlowKey().set(h), h.data, h.payload, h.payloadLength, 0);
    }
}
