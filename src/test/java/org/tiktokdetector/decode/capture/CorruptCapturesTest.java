package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every decoder at once on damaged real captures: random bytes overwritten past the file header (so
 * packets, not just the framing, are hit). No decoder may fail (the extractor's safety net stays unused),
 * every read packet is either decoded or skipped, and the reader stops at the end of the bytes.
 */
class CorruptCapturesTest {
    private static final List<Path> CAPTURES = List.of(
            TestCaptures.sample("dns-udp-tcp.pcap"), TestCaptures.sample("tls-large-hello.pcap"),
            TestCaptures.sample("quic-ngtcp2.pcap"), TestCaptures.sample("all.pcapng"),
            TestCaptures.zeek("quic-multiple-initial-fragmented-crypto.pcap"), TestCaptures.zeek("long-connection.pcap"),
            TestCaptures.zeek("chrome-1250-tls-x25519-kyber.pcap"), TestCaptures.zeek("quicv2-echo-443.pcap"),
            QuicVersionCaptures.FILE);

    @Test
    void damagedCapturesNeverThrow() throws IOException {
        Random random = new Random(20261125);
        for (Path capture : CAPTURES) {
            byte[] original = Files.readAllBytes(capture);
            for (int round = 0; round < 150; round++) {
                byte[] damaged = original.clone();
                for (int flips = 1 + random.nextInt(20); flips > 0; flips--) {
                    damaged[24 + random.nextInt(damaged.length - 24)] = (byte) random.nextInt(256);
                }
                CaptureStats[] stats = new CaptureStats[1];
                TestCaptures.records(damaged, capture.getFileName().toString(), stats);
                assertEquals(stats[0].packetsRead(), stats[0].packetsDecoded() + stats[0].packetsSkipped(), capture.toString());
                assertFalse(stats[0].skipReasons().containsKey(FlowExtractor.DECODER_FAILURE), stats[0].summary());
                assertTrue(stats[0].packetsRead() * 16 <= damaged.length, capture.toString());
            }
        }
    }

    @Test
    void randomBytesAfterACaptureHeaderNeverThrow() throws IOException {
        Random random = new Random(99);
        byte[] pcapHeader = TestCaptures.hex("d4c3b2a1 0200 0400 00000000 00000000 00000400 65000000"); // raw IP
        for (int round = 0; round < 300; round++) {
            byte[] file = new byte[24 + random.nextInt(4000)];
            random.nextBytes(file);
            System.arraycopy(pcapHeader, 0, file, 0, 24);
            CaptureStats[] stats = new CaptureStats[1];
            TestCaptures.records(file, "random.pcap", stats);
            assertEquals(stats[0].packetsRead(), stats[0].packetsDecoded() + stats[0].packetsSkipped());
            assertFalse(stats[0].skipReasons().containsKey(FlowExtractor.DECODER_FAILURE), stats[0].summary());
        }
    }
}
