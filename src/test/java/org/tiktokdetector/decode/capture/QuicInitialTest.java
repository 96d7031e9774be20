package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Initial keys and packet protection, salt by salt, against published vectors (DCID 8394c8f03e515708):
 * RFC 9001 Appendix A (v1, and drafts 33 and 34, which have its salt), RFC 9369 Appendix A (v2),
 * draft-ietf-quic-tls-27 Appendix A (the salt of drafts 23 to 28 and mvfst 0xfaceb002 and 0xfaceb00e; the
 * text as aws/s2n-quic keeps it in specs/tools.ietf.org/id) and draft-ietf-quic-tls-29 Appendix A (drafts 29
 * to 32; as quic-go's internal/handshake/initial_aead_test.go carries it). No vector was published for the
 * salt of draft-22 and mvfst 0xfaceb001 (draft-22's appendix was computed with draft-21's salt, see below),
 * nor for Google's Q050, T050 and T051: their keys below were computed with Python's hmac module while this
 * test was written, {@link QuicTestPackets}' own HKDF code gives the same, and tshark opens Initials
 * protected with them ({@link QuicVersionCaptures}).
 */
class QuicInitialTest {
    private static final byte[] DCID = QuicTestPackets.DCID;

    static byte[] vector(String name) throws IOException {
        return TestCaptures.hex(Files.readString(Path.of("src/test/resources/quic", name)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "00000001, 1f369613dd76d5467730efcbe3b1a22d, fa044b2f42a3fd3b46fb255c, 9f50449e04a0e810283a1e9933adedd2", // RFC 9001 A.1
            "ff000021, 1f369613dd76d5467730efcbe3b1a22d, fa044b2f42a3fd3b46fb255c, 9f50449e04a0e810283a1e9933adedd2",
            "ff000022, 1f369613dd76d5467730efcbe3b1a22d, fa044b2f42a3fd3b46fb255c, 9f50449e04a0e810283a1e9933adedd2",
            "6b3343cf, 8b1a0bc121284290a29e0971b5cd045d, 91f73e2351d8fa91660e909f, 45b95e15235d6f45a6b19cbcb0294ba9", // RFC 9369 A.1
            "ff00001d, 175257a31eb09dea9366d8bb79ad80ba, 6b26114b9cba2b63a9e8dd4f, 9ddd12c994c0698b89374a9c077a3077", // draft-29 A.1
            "ff000020, 175257a31eb09dea9366d8bb79ad80ba, 6b26114b9cba2b63a9e8dd4f, 9ddd12c994c0698b89374a9c077a3077",
            "ff000017, af7fd7efebd21878ff66811248983694, 8681359410a70bb9c92f0420, a980b8b4fb7d9fbc13e814c23164253d", // draft-23 and -27 A.1
            "ff00001c, af7fd7efebd21878ff66811248983694, 8681359410a70bb9c92f0420, a980b8b4fb7d9fbc13e814c23164253d",
            "faceb002, af7fd7efebd21878ff66811248983694, 8681359410a70bb9c92f0420, a980b8b4fb7d9fbc13e814c23164253d",
            "faceb00e, af7fd7efebd21878ff66811248983694, 8681359410a70bb9c92f0420, a980b8b4fb7d9fbc13e814c23164253d",
            "ff000016, 07863d9c083786bc86766ce0d02bf93f, fb33da41a8f297d482df670e, 48dbcf44e335508f7f23fb2c3790a37c", // computed
            "faceb001, 07863d9c083786bc86766ce0d02bf93f, fb33da41a8f297d482df670e, 48dbcf44e335508f7f23fb2c3790a37c",
            "51303530, 348cb426373281cfaec63f5b609350e7, 4b9cf5c4a378544aed414625, 609d47aa6b7fab4705068781528143f7",
            "54303530, 80ab8e0313d2c851aaff5405824a916a, aedd2abe20b9eff2116e4429, d3a731204b1c81e9644f91bd062633a9",
            "54303531, e66b805440a16d39f1889b2726d1cc5c, efdd37eda34f2f7080bb140c, 34ebf45dc367d3502a9fe09cfd3fd9f6"})
    void clientKeysOfEachSalt(String version, String key, String iv, String hp) {
        int number = Integer.parseUnsignedInt(version, 16);
        QuicInitial.Keys k = new QuicInitial().clientKeys(QuicVersion.of(number), DCID, 0, DCID.length);
        QuicTestPackets.Keys own = QuicTestPackets.clientKeys(number, DCID);
        for (byte[][] pair : new byte[][][] {{k.key(), own.key()}, {k.iv(), own.iv()}, {k.hp(), own.hp()}}) {
            assertArrayEquals(pair[1], pair[0]);
        }
        assertArrayEquals(TestCaptures.hex(key), k.key());
        assertArrayEquals(TestCaptures.hex(iv), k.iv());
        assertArrayEquals(TestCaptures.hex(hp), k.hp());
    }

    /**
     * draft-ietf-quic-tls-22 names the salt 7fbcdb0e... in its section 5.2, but its Appendix A (and its sample
     * packet, a draft-21 one) still came from the salt of drafts 14 to 21: the appendix's keys are that salt's.
     */
    @Test
    void draft22AppendixAWasComputedWithTheDraft21Salt() {
        QuicTestPackets.Keys k = QuicTestPackets.clientKeys("ef4fb0abb47470c41befcf8031334fae485e09a0", "quic ", DCID);
        assertArrayEquals(TestCaptures.hex("98b0d7e5e7a402c67c33f350fa65ea54"), k.key());
        assertArrayEquals(TestCaptures.hex("19e94387805eb0b46c03a788"), k.iv());
        assertArrayEquals(TestCaptures.hex("0edd982a6ac527f2eddcbb7348dea5d7"), k.hp());
    }

    /** The sample client Initials of Appendix A.2 (1200 bytes, packet number 2), each opened with its version's keys. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "rfc9001-a2-client-initial.hex, 00000001, 060040f1010000ed0303ebf8fa56f12939b9584a3896472e, example.com",
            "rfc9369-a2-client-initial.hex, 6b3343cf, 060040f1010000ed0303ebf8fa56f12939b9584a3896472e, example.com",
            "draft29-a2-client-initial.hex, ff00001d, 060040c4010000c003036660261ff947cea49cce6cfad687, server",
            "draft27-a2-client-initial.hex, ff00001b, 060040c4010000c003036660261ff947cea49cce6cfad687, server"})
    void opensTheSampleClientInitials(String file, String version, String payloadStart, String serverName) throws IOException {
        byte[] packet = vector(file);
        QuicInitial initial = new QuicInitial();
        byte[] plain = new byte[packet.length];
        int pnOffset = 18; // first byte, version, DCID length and 8 bytes, SCID length 0, token length 0, 2-byte length
        QuicVersion v = QuicVersion.of(Integer.parseUnsignedInt(version, 16));
        int n = initial.open(initial.clientKeys(v, DCID, 0, DCID.length), packet, 0, pnOffset, packet.length, plain, -1);
        assertEquals(1162, n, "payload length of A.2 (1200 bytes minus 22 of header and 16 of tag)");
        assertEquals(2, initial.packetNumber());
        byte[] start = TestCaptures.hex(payloadStart);
        assertArrayEquals(start, Arrays.copyOf(plain, start.length));
        ClientHello hello = QuicInitialsTest.datagram(packet);
        assertNotNull(hello);
        assertEquals(serverName, hello.serverName);
    }

    @Test
    void aSampleDoesNotOpenWithTheKeysOfAnotherSalt() throws IOException {
        byte[] packet = vector("draft29-a2-client-initial.hex");
        QuicInitial initial = new QuicInitial();
        QuicInitial.Keys draft27 = initial.clientKeys(QuicVersion.DRAFT_23_TO_28, DCID, 0, DCID.length);
        assertEquals(-1, initial.open(draft27, packet, 0, 18, packet.length, new byte[packet.length], -1));
    }

    @Test
    void aFlippedCiphertextByteDoesNotOpen() throws IOException {
        byte[] packet = vector("rfc9001-a2-client-initial.hex");
        packet[500] ^= 1;
        assertNull(QuicInitialsTest.datagram(packet));
    }

    /** RFC 9000 appendix A.3, and its edges: the first packet, and a number that passed a multiple of 256. */
    @Test
    void fullPacketNumbersFromTheirLastBytes() {
        assertEquals(0xa82f9b32L, QuicInitial.packetNumber(0xa82f30eaL, 0x9b32, 16));
        assertEquals(0x12345678L, QuicInitial.packetNumber(-1, 0x12345678L, 32));
        assertEquals(0x102, QuicInitial.packetNumber(0xff, 0x02, 8));
        assertEquals(0x201, QuicInitial.packetNumber(0x1fe, 0x01, 8), "past a multiple of 256 from below");
        assertEquals(0xfe, QuicInitial.packetNumber(0x101, 0xfe, 8), "a late packet from before the wrap");
    }

    @Test
    void versionNumbersAndTheirSalts() {
        for (int draft = 0; draft < 22; draft++) {
            assertNull(QuicVersion.of(0xff000000L | draft), "draft-" + draft);
        }
        assertSame(QuicVersion.DRAFT_22, QuicVersion.of(0xff000016L));
        assertSame(QuicVersion.DRAFT_23_TO_28, QuicVersion.of(0xff00001cL));
        assertSame(QuicVersion.DRAFT_29_TO_32, QuicVersion.of(0xff000020L));
        assertSame(QuicVersion.V1, QuicVersion.of(0xff000021L));
        assertNull(QuicVersion.of(0xff000023L));
        assertNull(QuicVersion.of(0x1a2a3a4aL), "a greased version");
        assertNull(QuicVersion.of(0x51303339L), "Q039");
        assertNull(QuicVersion.of(0x709a50c4L), "v2's draft version, never deployed");
        assertSame(QuicVersion.Q043, QuicVersion.of(0x51303433L));
    }

    @Test
    void varintsOfEveryLength() throws MalformedException {
        byte[] b = TestCaptures.hex("25 7bbd 9d7f3e7d c2197c5eff14e88c");
        assertEquals(37, QuicInitials.varint(b, 0, b.length));
        assertEquals(15293, QuicInitials.varint(b, 1, b.length));
        assertEquals(494878333, QuicInitials.varint(b, 3, b.length));
        assertEquals(151288809941952652L, QuicInitials.varint(b, 7, b.length));
    }
}
