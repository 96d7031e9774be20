package org.tiktokdetector.source;

import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.decode.capture.Packet;
import org.tiktokdetector.decode.capture.TunnelPorts;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A capture's packets (replayed or live) as decoded lines: each flow record the decoders find, and one counted line
 * per packet they skipped, so that every packet is accounted for in the run summary.
 */
final class CaptureLines {
    private final FlowExtractor extractor;
    private final ArrayDeque<FlowRecord> ready = new ArrayDeque<>();
    private long skippedSoFar;

    CaptureLines(CaptureStats stats, TunnelPorts tunnelPorts) {
        extractor = new FlowExtractor(stats, ready::add, tunnelPorts);
    }

    void accept(Packet packet) {
        extractor.accept(packet);
    }

    /** The next line of the packets accepted so far, or null when they have given all theirs. */
    DecodedLine poll() {
        FlowRecord r = ready.poll();
        if (r != null) {
            return DecodedLine.of(r);
        }
        if (extractor.stats().packetsSkipped() > skippedSoFar) {
            skippedSoFar++;
            return DecodedLine.counted(DecodedLine.SKIPPED_PACKET);
        }
        return null;
    }

    /** What a dead letter keeps of a capture's line, which has no bytes of its own: its flow record's JSON. */
    static byte[] original(DecodedLine d) {
        return FlowRecordJson.write(d.records.get(0)).getBytes(StandardCharsets.UTF_8);
    }

    CaptureStats stats() {
        return extractor.stats();
    }
}
