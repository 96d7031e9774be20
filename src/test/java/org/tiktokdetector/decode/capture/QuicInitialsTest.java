package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tiktokdetector.decode.capture.QuicTestPackets.DCID;
import static org.tiktokdetector.decode.capture.QuicTestPackets.concat;
import static org.tiktokdetector.decode.capture.QuicTestPackets.crypto;
import static org.tiktokdetector.decode.capture.QuicTestPackets.googleCrypto;
import static org.tiktokdetector.decode.capture.QuicTestPackets.googleStream;
import static org.tiktokdetector.decode.capture.QuicTestPackets.initial;
import static org.tiktokdetector.decode.capture.QuicTestPackets.padTo;

/**
 * Client Initials of every version through {@link QuicInitials}, built by {@link QuicTestPackets}: the
 * hello of each version, Chrome's chaos protection (a hello cut into CRYPTO frames shuffled over several
 * Initials between PING, PADDING and ACK frames, from any packet number), one record per handshake across a
 * Retry, Google QUIC's frames, and input that lies: lengths, offsets, truncation, unknown versions.
 */
class QuicInitialsTest {
    private static final byte[] SCID = TestCaptures.hex("c1c2c3c4");
    private static final byte[] HELLO = QuicTestPackets.clientHello("www.tiktok.com", List.of("h3"), 1, 600);
    /** Frames and PADDING of a client's first packet: with the header and tag, a datagram of over 1200 bytes. */
    private static final int PAYLOAD = 1160;

    /** Every version number we open, with the hello its client sends (TLS, or a CHLO) in its own frames. */
    static Stream<Integer> versions() {
        return Stream.concat(QuicTestPackets.PROTECTED_VERSIONS.stream(), Stream.of(QuicTestPackets.Q046, QuicTestPackets.Q043));
    }

    /** A client's first datagram of {@code version} carrying {@code hello[from, to)}, padded as clients pad it. */
    static byte[] firstDatagram(int version, byte[] dcid, byte[] hello, int from, int to) {
        return switch (version) {
            case QuicTestPackets.Q043 -> QuicTestPackets.q043(dcid, 1, padTo(PAYLOAD, googleStream(hello, from, to)));
            case QuicTestPackets.Q046 -> QuicTestPackets.q046(dcid, 1, padTo(PAYLOAD, googleStream(hello, from, to)));
            case QuicTestPackets.Q050, QuicTestPackets.T050, QuicTestPackets.T051 ->
                    initial(version, dcid, SCID, 1, 4, padTo(PAYLOAD, googleCrypto(hello, from, to)));
            default -> initial(version, dcid, SCID, 1, 4, padTo(PAYLOAD, crypto(hello, from, to)));
        };
    }

    static byte[] helloOf(int version, String name) {
        return version == QuicTestPackets.Q043 || version == QuicTestPackets.Q046 || version == QuicTestPackets.Q050
                ? QuicTestPackets.chlo(name, "Chrome/80.0.3987.87 Windows NT 10.0; Win64; x64", "Q050")
                : QuicTestPackets.clientHello(name, List.of("h3-29", "h3"), version, 500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void theServerNameOfEveryVersion(int version) {
        String name = Integer.toHexString(version) + ".example";
        byte[] hello = helloOf(version, name);
        ClientHello h = datagram(firstDatagram(version, DCID, hello, 0, hello.length));
        assertNotNull(h, Integer.toHexString(version));
        assertEquals(name, h.serverName);
        boolean chlo = QuicVersion.of(version).chlo;
        assertEquals(chlo ? null : List.of("h3-29", "h3"), h.alpn, "Google's CHLO has no ALPN");
        assertEquals(chlo ? "Chrome/80.0.3987.87 Windows NT 10.0; Win64; x64" : null, h.userAgent, "the CHLO's UAID; TLS has none");
    }

    /** Each version's hello in two halves, sent in reverse order, each in a datagram of its own. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void aHelloInTwoDatagramsArrivingInReverse(int version) {
        byte[] hello = helloOf(version, "www.tiktok.com");
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        assertNull(feed(initials, 50000, firstDatagram(version, DCID, hello, 100, hello.length)));
        ClientHello h = feed(initials, 50000, firstDatagram(version, DCID, hello, 0, 100));
        assertNotNull(h);
        assertEquals("www.tiktok.com", h.serverName);
        assertEquals(1, initials.connectionCount());
    }

    /** Chrome's chaos protection ({@link QuicTestPackets#chaosInitials}): the hello is there once the third Initial is. */
    @Test
    void chaosProtectedHelloOverThreeInitials() {
        byte[] hello = QuicTestPackets.clientHello("api16-normal-c-useast1a.tiktokv.com", List.of("h3"), 7, 1800);
        for (int version : new int[] {QuicTestPackets.V1, 0xff00001d, QuicTestPackets.V2}) {
            List<byte[]> initials = QuicTestPackets.chaosInitials(version, hello, new Random(version));
            QuicInitials quic = new QuicInitials(new CaptureStats("test"));
            assertNull(feed(quic, 50000, initials.get(0)));
            assertNull(feed(quic, 50000, initials.get(1)));
            ClientHello h = feed(quic, 50000, initials.get(2));
            assertNotNull(h, Integer.toHexString(version));
            assertEquals("api16-normal-c-useast1a.tiktokv.com", h.serverName);
        }
    }

    @Test
    void cryptoFramesOutOfOrderOverTwoCoalescedPacketsWithARepeatAfterCompletion() {
        for (int version : QuicTestPackets.PROTECTED_VERSIONS) {
            boolean google = QuicVersion.of(version).googleFrames;
            byte[] hello = helloOf(version, "www.tiktok.com");
            int a = 60;
            int b = 120;
            byte[] first = initial(version, DCID, SCID, 0, 4, frames(google, hello, b, hello.length, 0, a));
            byte[] second = initial(version, DCID, SCID, 1, 4, frames(google, hello, a, b, 0, 30));
            byte[] datagram = Arrays.copyOf(concat(first, second), 1200); // zero padding after the coalesced packets
            ClientHello h = datagram(datagram);
            assertNotNull(h, Integer.toHexString(version));
            assertEquals("www.tiktok.com", h.serverName);
        }
    }

    /** CRYPTO frames of {@code hello[from1, to1)} and {@code hello[from2, to2)} in the version's encoding. */
    private static byte[] frames(boolean google, byte[] hello, int from1, int to1, int from2, int to2) {
        return google ? concat(googleCrypto(hello, from1, to1), googleCrypto(hello, from2, to2))
                : concat(crypto(hello, from1, to1), crypto(hello, from2, to2));
    }

    /**
     * After a Retry the client sends its Initial again with the server's new DCID, so under new keys, with the
     * same SCID and the same ClientHello: one handshake, one record. A later connection from the same port
     * (another SCID and hello) is a new handshake.
     */
    @Test
    void oneRecordPerHandshakeAcrossARetry() {
        CaptureStats stats = new CaptureStats("test");
        QuicInitials initials = new QuicInitials(stats);
        byte[] retryDcid = TestCaptures.hex("f067a5502a4262b5");
        assertNotNull(feed(initials, 50000, initial(QuicTestPackets.V1, DCID, SCID, 0, 1, padTo(PAYLOAD, crypto(HELLO, 0, HELLO.length)))));
        assertNull(feed(initials, 50000, initial(QuicTestPackets.V1, retryDcid, SCID, 1, 1, padTo(PAYLOAD, crypto(HELLO, 0, HELLO.length)))));
        assertEquals(1L, stats.skipReasons().get(QuicInitials.REPEATED_HELLO));

        byte[] next = QuicTestPackets.clientHello("www.tiktok.com", List.of("h3"), 2, 600);
        ClientHello h = feed(initials, 50000, initial(QuicTestPackets.V1, TestCaptures.hex("0102030405060708"),
                TestCaptures.hex("d1d2d3d4"), 0, 1, padTo(PAYLOAD, crypto(next, 0, next.length))));
        assertNotNull(h, "a new handshake from the same port");
        assertEquals(1, initials.connectionCount());
    }

    /** The same hello after a Retry, but the client changed its SCID (which RFC 9000 forbids): counted as a second handshake. */
    @Test
    void anotherSourceConnectionIdIsAnotherHandshake() {
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        assertNotNull(feed(initials, 50000, initial(QuicTestPackets.V1, DCID, SCID, 0, 1, padTo(PAYLOAD, crypto(HELLO, 0, HELLO.length)))));
        assertNotNull(feed(initials, 50000, initial(QuicTestPackets.V1, TestCaptures.hex("f067a5502a4262b5"),
                TestCaptures.hex("e1e2"), 1, 1, padTo(PAYLOAD, crypto(HELLO, 0, HELLO.length)))));
    }

    /**
     * Google's frames as Chrome sent them: an ACK with more blocks and timestamps, STOP_WAITING (Q043), PING,
     * then the CHLO over two packets of the same connection id, the second at an offset.
     */
    @Test
    void googleFramesAroundAChloOverTwoPackets() {
        byte[] chlo = helloOf(QuicTestPackets.Q043, "www.tiktok.com");
        // ACK 0x65: 2-byte largest acked 7, delay, 2 more blocks, 2-byte first block, (gap, block) twice, 2 timestamps
        byte[] ack = TestCaptures.hex("65 0007 0000 02 0001 02 0003 04 0001 02 01 00000010 01 0020");
        byte[] stopWaiting = {0x06, 0x01};
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        assertNull(feed(initials, 50000, QuicTestPackets.q043(DCID, 2,
                padTo(PAYLOAD, ack, stopWaiting, new byte[] {0x07}, googleStream(chlo, 0, 150)))));
        ClientHello h = feed(initials, 50000, QuicTestPackets.q043(DCID, 3, padTo(PAYLOAD, googleStream(chlo, 150, chlo.length))));
        assertNotNull(h);
        assertEquals("www.tiktok.com", h.serverName);

        QuicInitials q050 = new QuicInitials(new CaptureStats("test"));
        byte[] q050Chlo = helloOf(QuicTestPackets.Q050, "www.tiktok.com");
        ClientHello h50 = feed(q050, 50000, initial(QuicTestPackets.Q050, DCID, new byte[0], 1, 4,
                padTo(PAYLOAD, ack, new byte[] {0x07}, googleCrypto(q050Chlo, 0, q050Chlo.length))));
        assertNotNull(h50);
        assertEquals("www.tiktok.com", h50.serverName);
    }

    /** Q043 packets of another connection id on the same port are another connection. */
    @Test
    void aNewGoogleConnectionIdStartsOver() {
        byte[] chlo = helloOf(QuicTestPackets.Q043, "www.tiktok.com");
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        assertNull(feed(initials, 50000, QuicTestPackets.q043(DCID, 1, padTo(PAYLOAD, googleStream(chlo, 100, chlo.length)))));
        assertNull(feed(initials, 50000, QuicTestPackets.q043(TestCaptures.hex("0102030405060708"), 1,
                padTo(PAYLOAD, googleStream(chlo, 0, 100)))), "the first part came in another connection");
    }

    @Test
    void unknownVersionsAreCountedNotDecoded() {
        CaptureStats stats = new CaptureStats("test");
        QuicInitials initials = new QuicInitials(stats);
        byte[] draft21 = firstDatagram(0xff00001d, DCID, HELLO, 0, HELLO.length);
        draft21[4] = 0x15;
        byte[] greased = draft21.clone();
        System.arraycopy(TestCaptures.hex("1a2a3a4a"), 0, greased, 1, 4);
        byte[] q039 = QuicTestPackets.q043(DCID, 1, padTo(PAYLOAD, googleStream(HELLO, 0, 100)));
        q039[12] = '9';
        q039[11] = '3';
        for (byte[] d : List.of(draft21, greased, q039)) {
            assertTrue(QuicInitials.looksLikeInitial(d, 0, d.length));
            assertNull(feed(initials, 50000, d));
        }
        assertEquals(3L, stats.skipReasons().get(QuicInitials.UNKNOWN_VERSION));
        assertEquals(0, initials.connectionCount());

        byte[] rtp = draft21.clone();
        rtp[0] = (byte) 0x80; // RTP version 2: first bit set, fixed bit clear
        assertFalse(QuicInitials.looksLikeInitial(rtp, 0, rtp.length));
        byte[] versionNegotiation = draft21.clone();
        Arrays.fill(versionNegotiation, 1, 5, (byte) 0);
        assertFalse(QuicInitials.looksLikeInitial(versionNegotiation, 0, versionNegotiation.length));
        assertFalse(QuicInitials.looksLikeInitial(draft21, 0, 1199), "an unknown version in a datagram smaller than an Initial's");
    }

    /** Lengths that point past the packet, in every field that has one: counted as malformed, no exception, no record. */
    @Test
    void lyingLengthsAreMalformed() {
        byte[] longCrypto = TestCaptures.hex("06 00 7fff"); // CRYPTO of 16383 bytes in a smaller packet
        byte[] longStream = TestCaptures.hex("a4 01 0000 7fff");
        byte[] manyAckBlocks = TestCaptures.hex("6b 000000ff 0000 ff"); // 255 more blocks of 7 bytes
        // a CHLO whose second value ends before its first: "SNI" up to 10, "VER" up to 5
        byte[] chloGoingBack = TestCaptures.hex("43484c4f 0200 0000 534e4900 0a000000 56455200 05000000 00000000000000000000");
        List<byte[]> datagrams = List.of(
                initial(QuicTestPackets.V1, DCID, SCID, 0, 4, padTo(PAYLOAD, longCrypto)),
                initial(QuicTestPackets.Q050, DCID, SCID, 0, 4, padTo(PAYLOAD, manyAckBlocks)),
                QuicTestPackets.q043(DCID, 1, padTo(PAYLOAD, longStream)),
                QuicTestPackets.q046(DCID, 1, padTo(PAYLOAD, googleStream(chloGoingBack, 0, chloGoingBack.length))));
        for (byte[] d : datagrams) {
            CaptureStats stats = new CaptureStats("test");
            assertNull(feed(new QuicInitials(stats), 50000, d));
            assertEquals(1L, stats.skipReasons().get("malformed QUIC Initial"), stats.summary());
        }
        byte[] packet = initial(QuicTestPackets.V1, DCID, SCID, 0, 4, padTo(PAYLOAD, crypto(HELLO, 0, HELLO.length)));
        packet[20] = (byte) 0x7f; // the Length field's high byte: 16 KiB, past the datagram
        CaptureStats stats = new CaptureStats("test");
        assertNull(feed(new QuicInitials(stats), 50000, packet));
        assertEquals(1L, stats.skipReasons().get("malformed QUIC Initial"), stats.summary());
    }

    /**
     * Offsets near 2^62 (IETF) or 2^64 (a Google STREAM frame's 8-byte offset), and a CHLO whose entry table
     * says its values run to 64 KiB, end the reassembly without allocating.
     */
    @Test
    void hugeOffsetsEndTheReassembly() {
        byte[] ietf = concat(TestCaptures.hex("06 ffffffffffffffff 40 10"), new byte[16]);
        byte[] google = concat(TestCaptures.hex("bc 01 ffffffffffffffff 0010"), new byte[16]);
        byte[] hugeChlo = TestCaptures.hex("43484c4f 0100 0000 534e4900 ffff0000");
        List<byte[]> datagrams = List.of(initial(QuicTestPackets.V1, DCID, SCID, 0, 4, padTo(PAYLOAD, ietf)),
                QuicTestPackets.q043(DCID, 1, padTo(PAYLOAD, google)),
                QuicTestPackets.q046(DCID, 1, padTo(PAYLOAD, googleStream(hugeChlo, 0, hugeChlo.length))));
        List<String> reasons = List.of("QUIC CRYPTO data beyond 16 KiB", "QUIC CRYPTO data beyond 16 KiB",
                "QUIC ClientHello larger than 16 KiB");
        for (int i = 0; i < datagrams.size(); i++) {
            CaptureStats stats = new CaptureStats("test");
            assertNull(feed(new QuicInitials(stats), 50000, datagrams.get(i)));
            assertEquals(1L, stats.skipReasons().get(reasons.get(i)), stats.summary());
        }
    }

    @Test
    void everyTruncationOfEveryVersionEndsWithoutAHelloOrAnException() {
        versions().forEach(version -> {
            byte[] hello = helloOf(version, "www.tiktok.com");
            byte[] d = firstDatagram(version, DCID, hello, 0, hello.length);
            int helloEnd = d.length - PAYLOAD + hello.length; // before the hello's last byte
            for (int len = 0; len < helloEnd; len++) {
                assertNull(datagram(Arrays.copyOf(d, len)), Integer.toHexString(version) + " truncated to " + len);
            }
        });
    }

    /** Random bytes written over each version's datagram never make the decoder throw. */
    @Test
    void damagedDatagramsNeverThrow() {
        Random random = new Random(11);
        versions().forEach(version -> {
            byte[] hello = helloOf(version, "www.tiktok.com");
            byte[] original = firstDatagram(version, DCID, hello, 0, hello.length);
            QuicInitials initials = new QuicInitials(new CaptureStats("test"));
            for (int round = 0; round < 400; round++) {
                byte[] d = original.clone();
                for (int flips = 1 + random.nextInt(6); flips > 0; flips--) {
                    d[random.nextInt(Math.min(d.length, 400))] = (byte) random.nextInt(256);
                }
                feed(initials, 50000 + round % 7, d);
            }
        });
    }

    /** Thousands of clients that never finish their hello: the table stays at its bound. */
    @Test
    void theConnectionTableIsBounded() {
        QuicInitials initials = new QuicInitials(new CaptureStats("test"));
        byte[] half = initial(QuicTestPackets.V1, DCID, SCID, 0, 4, padTo(PAYLOAD, crypto(HELLO, 0, 100)));
        IntStream.range(0, QuicInitials.MAX_CONNECTIONS + 500).forEach(i -> feed(initials, 1024 + i, half));
        assertEquals(QuicInitials.MAX_CONNECTIONS, initials.connectionCount());
    }

    static ClientHello datagram(byte[] payload) {
        return feed(new QuicInitials(new CaptureStats("test")), 50000, payload);
    }

    static ClientHello feed(QuicInitials initials, int clientPort, byte[] payload) {
        Packet p = TestCaptures.ipv4(0, "10.0.0.1", "10.0.0.2", clientPort, 443, false, 0, 0, payload);
        PacketHeaders h = new PacketHeaders(new IpFragments());
        assertEquals(PacketHeaders.UDP, h.decode(p));
        if (!QuicInitials.looksLikeInitial(h.data, h.payload, h.payloadLength)) {
            return null;
        }
        return initials.datagram(new FlowKey().set(h), h.data, h.payload, h.payloadLength, 0);
    }
}
