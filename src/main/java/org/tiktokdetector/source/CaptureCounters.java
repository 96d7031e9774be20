package org.tiktokdetector.source;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.tiktokdetector.decode.capture.CaptureStats;

/**
 * The capture counts as Flink metrics of the source reader: packets read, decoded and skipped, and
 * records produced. Fed by the difference since the last update, so a restored reader, which re-reads
 * the packets before its checkpoint, does not count them twice.
 */
final class CaptureCounters {
    private final Counter read;
    private final Counter decoded;
    private final Counter skipped;
    private final Counter records;
    private long lastRead;
    private long lastDecoded;
    private long lastSkipped;
    private long lastRecords;

    CaptureCounters(MetricGroup group) {
        read = group.counter("capturePacketsRead");
        decoded = group.counter("capturePacketsDecoded");
        skipped = group.counter("capturePacketsSkipped");
        records = group.counter("captureRecords");
    }

    /** Starts counting a new capture (its stats start at zero). */
    void startCapture() {
        lastRead = lastDecoded = lastSkipped = lastRecords = 0;
    }

    /** Counts what {@code stats} gained since the last call, or skips it when {@code count} is false. */
    void update(CaptureStats stats, boolean count) {
        if (count) {
            read.inc(stats.packetsRead() - lastRead);
            decoded.inc(stats.packetsDecoded() - lastDecoded);
            skipped.inc(stats.packetsSkipped() - lastSkipped);
            records.inc(stats.records() - lastRecords);
        }
        lastRead = stats.packetsRead();
        lastDecoded = stats.packetsDecoded();
        lastSkipped = stats.packetsSkipped();
        lastRecords = stats.records();
    }
}
