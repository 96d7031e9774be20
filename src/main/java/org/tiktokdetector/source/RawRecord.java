package org.tiktokdetector.source;

/**
 * One undecoded input record and where it came from, so a record we cannot decode goes to the dead
 * letters whole and traceable: a line of a file (source = path, line = 1-based line number), or a
 * Kafka record (source = topic, partition, offset; key = the record key, where the topic gives it a
 * meaning, as the blocklist control topic does).
 */
public class RawRecord {
    public String source;
    public long line = -1;
    public int partition = -1;
    public long offset = -1;
    public byte[] key;
    public byte[] value;

    public RawRecord() {}

    public static RawRecord ofLine(String source, long line, byte[] value) {
        RawRecord r = new RawRecord();
        r.source = source;
        r.line = line;
        r.value = value;
        return r;
    }

    public static RawRecord ofKafka(String topic, int partition, long offset, byte[] value) {
        return ofKafka(topic, partition, offset, null, value);
    }

    public static RawRecord ofKafka(String topic, int partition, long offset, byte[] key, byte[] value) {
        RawRecord r = new RawRecord();
        r.key = key;
        r.source = topic;
        r.partition = partition;
        r.offset = offset;
        r.value = value;
        return r;
    }
}
