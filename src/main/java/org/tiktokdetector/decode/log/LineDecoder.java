package org.tiktokdetector.decode.log;

import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.DeadLetter;

/** Decodes one line (a log file line or a Kafka record value) into a {@link LogLineDecoder.Result}; null for a line that is no record (blank, header, comment). */
@FunctionalInterface
public interface LineDecoder {
    LogLineDecoder.Result decode(byte[] line) throws MalformedRecordException;

    /**
     * @param source    file path or Kafka topic
     * @param line      1-based line number in a file, -1 for Kafka
     * @param partition Kafka partition, -1 for files
     * @param offset    Kafka offset, -1 for files
     * @return the decoded line, or null when the line is no record (a blank line, a comment or a header)
     */
    static DecodedLine decodeLine(LineDecoder decoder, String source, long line, int partition, long offset, byte[] bytes) {
        DecodedLine d = new DecodedLine();
        try {
            LogLineDecoder.Result r = decoder.decode(bytes);
            if (r == null || r.dialect() == Dialect.NONE) {
                return null;
            }
            d.type = r.type();
            d.records = r.records();
            d.bindings = r.bindings();
            if (!d.records.isEmpty()) {
                d.timestamp = d.records.get(0).timestamp;
            } else if (!d.bindings.isEmpty()) {
                d.timestamp = d.bindings.get(0).timestamp;
            }
        } catch (MalformedRecordException e) {
            d.type = DecodedLine.UNREADABLE;
            d.deadLetter = DeadLetter.of(source, line, partition, offset, bytes, e.getMessage());
        }
        return d;
    }
}
