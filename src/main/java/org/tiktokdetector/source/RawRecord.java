package org.tiktokdetector.source;

/**
 * A blocklist control record as read from Kafka: topic, partition and offset (for the dead letters),
 * the key (the rule) and the value (its category; null for a tombstone).
 */
public class RawRecord {
    public String source;
    public int partition = -1;
    public long offset = -1;
    public byte[] key;
    public byte[] value;

    public RawRecord() {}

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
