package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

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
        QuicInitial.Keys k = QuicInitial.clientKeys(QuicInitial.VERSION_1, DCID, 0, DCID.length);
        assertArrayEquals(TestCaptures.hex("1f369613dd76d5467730efcbe3b1a22d"), k.key());
        assertArrayEquals(TestCaptures.hex("fa044b2f42a3fd3b46fb255c"), k.iv());
        assertArrayEquals(TestCaptures.hex("9f50449e04a0e810283a1e9933adedd2"), k.hp());
    }

    @Test
    void v2ClientKeysAreThoseOfRfc9369AppendixA1() {
        QuicInitial.Keys k = QuicInitial.clientKeys(QuicInitial.VERSION_2, DCID, 0, DCID.length);
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
        int n = initial.open(QuicInitial.clientKeys(version, DCID, 0, DCID.length), packet, 0, pnOffset, packet.length, plain);
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

    @Test
    void varintsOfEveryLength() throws MalformedException {
        byte[] b = TestCaptures.hex("25 7bbd 9d7f3e7d c2197c5eff14e88c");
        assertEquals(37, QuicInitials.varint(b, 0, b.length));
        assertEquals(15293, QuicInitials.varint(b, 1, b.length));
        assertEquals(494878333, QuicInitials.varint(b, 3, b.length));
        assertEquals(151288809941952652L, QuicInitials.varint(b, 7, b.length));
    }

    private static ClientHello datagram(byte[] payload) {
        Packet p = TestCaptures.ipv4(0, "10.0.0.1", "10.0.0.2", 50000, 443, false, 0, 0, payload);
        PacketHeaders h = new PacketHeaders(new Ipv4Fragments());
        assertEquals(PacketHeaders.UDP, h.decode(p));
        if (!QuicInitials.looksLikeInitial(h.data, h.payload, h.payloadLength)) {
            return null;
        }
        return new QuicInitials(new CaptureStats("test"))
                .datagram(new FlowKey().set(h), h.data, h.payload, h.payloadLength, 0);
    }
}
