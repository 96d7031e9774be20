package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Input we could not use, kept whole with the reason, so nothing is lost (README "Dead letter").
 * The original is kept as text when it is valid UTF-8 and as base64 otherwise.
 */
public class DeadLetter {
    /** When it was rejected, epoch ms (processing time). */
    public long rejectedAt;
    /** File path or Kafka topic. */
    public String source;
    /** Line number in a file; -1 for Kafka. */
    public long line = -1;
    /** Kafka partition and offset; -1 for files. */
    public int partition = -1;
    public long offset = -1;
    public String reason;
    public byte[] original;

    public DeadLetter() {}

    public static DeadLetter of(String source, long line, int partition, long offset, byte[] original, String reason) {
        DeadLetter d = new DeadLetter();
        d.rejectedAt = System.currentTimeMillis();
        d.source = source;
        d.line = line;
        d.partition = partition;
        d.offset = offset;
        d.original = original;
        d.reason = reason;
        return d;
    }

    public ObjectNode toJson() {
        ObjectNode o = FlowRecordJson.object();
        o.put("rejected_at", Timestamps.toIso(rejectedAt));
        o.put("source", source);
        if (line >= 0) {
            o.put("line", line);
        }
        if (partition >= 0) {
            o.put("partition", partition);
            o.put("offset", offset);
        }
        o.put("reason", reason);
        try {
            o.put("original", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(original)).toString());
        } catch (CharacterCodingException e) {
            o.put("original_base64", Base64.getEncoder().encodeToString(original));
        }
        return o;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
