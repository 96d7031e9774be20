package org.tiktokdetector.emit;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Violation;

/** What the detection topology produces; the caller attaches a sink to each (files or Kafka topics). */
public record Outputs(DataStream<Violation> violations, DataStream<Hit> hits, DataStream<Hit> lateHits,
                      DataStream<DeadLetter> deadLetters) {
    /** These outputs with only the final violation records, for consumers that append rather than upsert by violation id. */
    public Outputs finalOnly() {
        return new Outputs(violations.filter(v -> "final".equals(v.status)).name("final violations only").uid("final-only"),
                hits, lateHits, deadLetters);
    }
}
