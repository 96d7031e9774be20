package org.tiktokdetector.source;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.flink.DetectorMetrics;

import java.util.HashMap;
import java.util.Map;

/**
 * A reader's capture packet counts as metrics, summed over the captures it reads: packets read, packets skipped,
 * packets counted with a reason (skipped, or decoded without giving a record, such as a repeated QUIC hello) by the
 * label {@code reason}, and corrupt capture records. A capture's decoders count in its {@link CaptureStats}; what
 * they counted since the last {@link #update} is added here.
 */
final class PacketMetrics {
    private final Counter read;
    private final Counter skipped;
    private final Counter corrupt;
    private final DetectorMetrics.ByLabel byReason;
    private final Map<String, Long> reasonsSoFar = new HashMap<>();
    private CaptureStats following;
    private long readSoFar;
    private long skippedSoFar;
    private long corruptSoFar;

    PacketMetrics(MetricGroup reader) {
        MetricGroup g = DetectorMetrics.group(reader);
        read = g.counter("packets_read");
        skipped = g.counter("packets_skipped");
        corrupt = g.counter("capture_corrupt_records");
        byReason = new DetectorMetrics.ByLabel(reader, "reason", "packets");
    }

    /** Adds what this capture counted since the last call (for a capture not seen before: all it counted). */
    void update(CaptureStats stats) {
        if (stats != following) {
            following = stats;
            readSoFar = skippedSoFar = corruptSoFar = 0;
            reasonsSoFar.clear();
        }
        read.inc(stats.packetsRead() - readSoFar);
        skipped.inc(stats.packetsSkipped() - skippedSoFar);
        corrupt.inc(stats.problems() - corruptSoFar);
        readSoFar = stats.packetsRead();
        skippedSoFar = stats.packetsSkipped();
        corruptSoFar = stats.problems();
        for (Map.Entry<String, Long> e : stats.skipReasons().entrySet()) {
            long before = reasonsSoFar.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > before) {
                byReason.inc(e.getKey(), e.getValue() - before);
                reasonsSoFar.put(e.getKey(), e.getValue());
            }
        }
    }
}
