package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tiktokdetector.records.FlowRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every capture of the shared folders beside the repository (../shared/captures, see its README; too many to copy
 * here) gives at least the names tshark finds in it, as sets (stored once per capture by
 * src/test/resources/captures/make-tshark-names.sh, under captures/shared/), except the few differences listed in
 * {@link #EXPLAINED}, each with its reason; and no capture makes a decoder fail. Skipped where the shared folder
 * is not there (a clone elsewhere); the traces the unit tests need are copied into the test resources.
 */
class SharedCapturesMatchTsharkTest {
    private static final Path SHARED = TestCaptures.SHARED;
    private static final Path NAMES = TestCaptures.RESOURCES.resolve("shared");

    /** Names tshark finds that we do not, per capture, and why. */
    private static final Map<String, Explained> EXPLAINED = Map.of(
            "zeek/tunnels/erspan.pcap", new Explained(Set.of("wpad"),
                    "LLMNR queries (UDP 5355): like mDNS, local-link name resolution, not read"),
            "zeek/tunnels/gtp-gtp7_ipv6.pcap", new Explained(Set.of("xmail.nelt.com"),
                    "an LLMNR query (UDP 5355): like mDNS, local-link name resolution, not read"),
            "zeek/tunnels/socks.pcap", new Explained(Set.of("www.icir.org"),
                    "an HTTP request inside a SOCKS connection: the stream starts with the SOCKS handshake, not the request"),
            "zeek/dns/mdns.pcap", new Explained(null, "multicast DNS (UDP 5353): local-link names, not read"),
            "zeek/dns/mdns-no-assoc.pcap", new Explained(null, "multicast DNS (UDP 5353): local-link names, not read"));

    /** @param names what tshark finds and we do not; null for every name tshark finds (a protocol we do not read) */
    private record Explained(Set<String> names, String why) {}

    static Stream<String> captures() throws IOException {
        return TestCaptures.shared();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void atLeastTheNamesTsharkFinds(String capture) throws IOException {
        Path names = NAMES.resolve(capture + ".tshark-names.txt");
        assertTrue(Files.exists(names), "no stored tshark names for " + capture + ": run make-tshark-names.sh");
        Set<String> tshark = new TreeSet<>(Files.readAllLines(names).stream().filter(l -> !l.startsWith("#")).toList());

        List<FlowRecord> records = new ArrayList<>();
        CaptureStats stats;
        try (InputStream in = Files.newInputStream(SHARED.resolve(capture))) {
            stats = FlowExtractor.extract(in, capture, records::add);
        }
        assertFalse(stats.skipReasons().containsKey(FlowExtractor.DECODER_FAILURE), stats.summary());
        Set<String> ours = new TreeSet<>(records.stream().map(r -> r.name).toList());

        Set<String> missing = new TreeSet<>(tshark);
        missing.removeAll(ours);
        Explained explained = EXPLAINED.get(capture);
        assertEquals(explained == null ? Set.of() : explained.names() == null ? tshark : explained.names(), missing,
                capture + ": tshark " + tshark + ", ours " + ours + (explained == null ? "" : "; explained: " + explained.why()));
    }

    /** The list of explained differences names only captures that exist: a renamed capture is not silently excused. */
    @Test
    void everyExplainedDifferenceNamesACapture() throws IOException {
        Set<String> all = new TreeSet<>(captures().toList());
        assertTrue(all.containsAll(EXPLAINED.keySet()), EXPLAINED.keySet() + " in " + all);
    }
}
