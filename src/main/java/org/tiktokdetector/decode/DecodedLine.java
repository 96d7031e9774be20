package org.tiktokdetector.decode;

import org.tiktokdetector.decode.log.LogLineDecoder;
import org.tiktokdetector.decode.log.MalformedRecordException;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;

import java.util.List;

/**
 * One input line (a log file line or a Kafka record) after decoding: its flow records, or the dead
 * letter that keeps it whole with the reason, or neither when it is a record type we do not use.
 * Sources decode as they read, so each source can track event time on its own: a file read to the
 * end never makes another file's records late.
 */
public class DecodedLine {
    /** The first record's event time; Long.MIN_VALUE when there is none. */
    public long timestamp = Long.MIN_VALUE;
    public List<FlowRecord> records = List.of();
    public DeadLetter deadLetter;

    public DecodedLine() {}

    /**
     * @param source    file path or Kafka topic
     * @param line      1-based line number in a file, -1 for Kafka
     * @param partition Kafka partition, -1 for files
     * @param offset    Kafka offset, -1 for files
     */
    public static DecodedLine decode(LogLineDecoder decoder, String source, long line, int partition, long offset, byte[] bytes) {
        DecodedLine d = new DecodedLine();
        try {
            d.records = decoder.decodeUtf8(bytes).records();
            if (!d.records.isEmpty()) {
                d.timestamp = d.records.get(0).timestamp;
            }
        } catch (MalformedRecordException e) {
            d.deadLetter = DeadLetter.of(source, line, partition, offset, bytes, e.getMessage());
        }
        return d;
    }

    /** A flow record decoded elsewhere (from a capture's packets). */
    public static DecodedLine of(FlowRecord record) {
        DecodedLine d = new DecodedLine();
        d.records = List.of(record);
        d.timestamp = record.timestamp;
        return d;
    }

    public boolean ignored() {
        return records.isEmpty() && deadLetter == null;
    }
}
