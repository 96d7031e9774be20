package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.FlowRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default live-capture filter, compiled and run by libpcap itself over every test capture made by real clients
 * (the sample captures, Zeek's traces, the QUIC versions): the records found in what it passes are the records found
 * in the whole capture, while it passes a fraction of the packets.
 */
class CaptureFilterTest {
    /**
     * libpcap's filters read PPP frames after the HDLC address and control bytes (ff 03), which Zeek's quic-go PPP traces
     * leave out (their frames start with the protocol): there even {@code ip} matches nothing. Linux hands a PPP
     * interface to libpcap as cooked (SLL) frames, so a live capture does not meet this.
     */
    private static final int PPP = 9;

    @Test
    void passesEveryPacketThatGivesARecordAndFewOthers() throws IOException {
        List<Path> captures;
        try (Stream<Path> files = Stream.of(TestCaptures.SAMPLES, TestCaptures.RESOURCES).flatMap(CaptureFilterTest::walk)) {
            captures = files.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted().toList();
        }
        long all = 0;
        long passed = 0;
        int read = 0;
        for (Path capture : captures) {
            if (capture.endsWith("all.pcapng")) {
                continue; // several link types in one pcapng: libpcap does not read it
            }
            Extracted whole = extract(capture, null);
            if (whole.linkType == PPP) {
                continue;
            }
            read++;
            Extracted filtered = extract(capture, CaptureFilter.defaultFor(whole.linkType, TunnelPorts.DEFAULTS));
            assertEquals(whole.records, filtered.records, capture.toString());
            all += whole.packets;
            passed += filtered.packets;
        }
        assertTrue(read > 50, "captures libpcap read: " + read);
        // these captures hold little besides handshakes; on a real link (video, downloads) far less passes
        assertTrue(passed < all * 0.8, passed + " of " + all + " packets passed");
    }

    /** A capture as the filter leaves it: the number of packets and the records, counted by kind, client and name. */
    private record Extracted(int linkType, long packets, TreeMap<String, Integer> records) {}

    private static Extracted extract(Path capture, String filter) throws IOException {
        try (Pcap4jCapture c = Pcap4jCapture.openOffline(capture)) {
            if (filter != null) {
                c.filter(filter);
            }
            List<FlowRecord> out = new ArrayList<>();
            FlowExtractor extractor = new FlowExtractor(new CaptureStats(capture.toString()), out::add, TunnelPorts.DEFAULTS);
            Packet p = new Packet();
            long packets = 0;
            while (c.next(p)) {
                packets++;
                extractor.accept(p);
            }
            TreeMap<String, Integer> records = new TreeMap<>();
            out.forEach(r -> records.merge(r.kind + " " + r.clientIp + " " + r.name, 1, Integer::sum));
            return new Extracted(c.linkType(), packets, records);
        }
    }

    private static Stream<Path> walk(Path folder) {
        try {
            return Files.walk(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
