package org.tiktokdetector.emit;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Violation;

/** What the detection topology produces; the caller attaches a sink to each (files or Kafka topics). */
public record Outputs(DataStream<Violation> violations, DataStream<Hit> hits, DataStream<Hit> lateHits,
                      DataStream<DeadLetter> deadLetters) {}
