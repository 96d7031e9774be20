package org.tiktokdetector.source;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.flink.DetectorMetrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay reader's packet metrics are the sums of its captures' own counts, however often they are updated. */
class PacketMetricsTest {
    /** Real captures with skipped packets (Zeek's test traces): bad IPv4 header lengths, ARP, 802.11 frames. */
    private static final List<String> CAPTURES = List.of("src/test/resources/captures/zeek/383379789-decrypt-crash.pcap",
            "src/test/resources/captures/zeek/pbb.pcap", "src/test/resources/captures/zeek/gre-aruba-ccmp.pcap");

    private final MetricListener listener = new MetricListener();

    @Test
    void packetCountsOfEveryCaptureReadAreAddedUp() throws Exception {
        PacketMetrics metrics = new PacketMetrics(listener.getMetricGroup());
        InputLimits limits = DetectionJob.Settings.defaults().limits();
        long read = 0;
        long skipped = 0;
        long skippedUnits = 0;
        Map<String, Long> reasons = new HashMap<>();
        for (InputFiles.Input input : InputFiles.find(CAPTURES, limits.maxAhead(), limits.outOfOrderness()).inputs()) {
            try (SplitReader reader = SplitReader.open(input, limits)) {
                DecodedLine d;
                while ((d = reader.next()) != null) {
                    skippedUnits += DecodedLine.SKIPPED_PACKET.equals(d.type) ? 1 : 0;
                    metrics.update(reader.captureStats()); // as the reader does after each batch, here after every unit
                }
                metrics.update(reader.captureStats());
                CaptureStats stats = reader.captureStats();
                read += stats.packetsRead();
                skipped += stats.packetsSkipped();
                stats.skipReasons().forEach((reason, n) -> reasons.merge(reason, n, Long::sum));
            }
        }
        assertThat(skipped).isPositive().isEqualTo(skippedUnits);
        assertThat(count("packets_read")).isEqualTo(read);
        assertThat(count("packets_skipped")).isEqualTo(skipped);
        assertThat(count("capture_corrupt_records")).isZero();
        assertThat(reasons).hasSizeGreaterThan(2);
        reasons.forEach((reason, n) -> assertThat(listener.getCounter(DetectorMetrics.GROUP, "reason", reason, "packets"))
                .as(reason).get().extracting(Counter::getCount).isEqualTo(n));
    }

    private long count(String name) {
        return listener.getCounter(DetectorMetrics.GROUP, name).orElseThrow().getCount();
    }
}
