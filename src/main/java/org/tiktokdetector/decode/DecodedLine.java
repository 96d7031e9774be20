package org.tiktokdetector.decode;

import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;

import java.util.List;
import java.util.function.Supplier;

/**
 * One input line (a log file line or a Kafka record) after decoding: its flow records or address bindings, or the dead
 * letter that keeps it whole with the reason, or neither when it is a record type we do not use.
 * Sources decode as they read, so each source can track event time on its own: a file read to the
 * end never makes another file's records late.
 */
public class DecodedLine {
    /** {@link #type} of a capture's flow record. */
    public static final String CAPTURE = "capture";
    /** {@link #type} of a packet a capture decoder skipped (cut, corrupt or of no protocol it reads): counted, nothing else. */
    public static final String SKIPPED_PACKET = "capture/skipped packet";
    /** {@link #type} of a line that is no record at all (undecodable, or too long to read). */
    public static final String UNREADABLE = "unreadable";

    /** The first record's (or binding's) event time; Long.MIN_VALUE when there is none. */
    public long timestamp = Long.MIN_VALUE;
    public List<FlowRecord> records = List.of();
    /** DHCP leases and NAC accounting: not judged, joined with the hits by address. */
    public List<Binding> bindings = List.of();
    public DeadLetter deadLetter;
    /** What the line is, for the run's counts by type: a log type ("zeek/dns", "suricata/flow", "flow-record"), or one of the constants here. */
    public String type;

    public DecodedLine() {}

    /** Says whether a record's event time is believable: null if so, else why not (the line then becomes a dead letter). */
    @FunctionalInterface
    public interface TimeCheck {
        String judge(long timestamp);
    }

    /** Makes this line a dead letter, keeping {@code original}, when {@code time} does not believe its event time. */
    public void judgeTime(TimeCheck time, String source, long line, int partition, long offset, Supplier<byte[]> original) {
        if (timestamp != Long.MIN_VALUE) {
            String unbelievable = time.judge(timestamp);
            if (unbelievable != null) {
                reject(DeadLetter.of(source, line, partition, offset, original.get(), unbelievable));
            }
        }
    }

    /**
     * Says where the records were read, as evidence an analyst can go back to: a record that already names its
     * source (a flow record written by {@code extract} names its capture and packet) keeps it.
     *
     * @param line the line in a log file, from 1; 0 when the source has no lines (a capture, a topic)
     */
    public void locate(String source, long line) {
        for (FlowRecord r : records) {
            if (r.source == null) {
                r.source = source;
                r.line = line;
            }
        }
    }

    /** A flow record decoded elsewhere (from a capture's packets). */
    public static DecodedLine of(FlowRecord record) {
        DecodedLine d = new DecodedLine();
        d.type = CAPTURE;
        d.records = List.of(record);
        d.timestamp = record.timestamp;
        return d;
    }

    /** A line that is only counted: it has no records and nothing to keep. */
    public static DecodedLine counted(String type) {
        DecodedLine d = new DecodedLine();
        d.type = type;
        return d;
    }

    /** A line that could not be read at all (e.g. longer than the reader takes): a dead letter. */
    public static DecodedLine unreadable(DeadLetter deadLetter) {
        DecodedLine d = new DecodedLine();
        d.type = UNREADABLE;
        d.deadLetter = deadLetter;
        return d;
    }

    /** Makes this line a dead letter (its records are not judged): its time is not believable. Keeps its type. */
    public void reject(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
        this.records = List.of();
        this.bindings = List.of();
        this.timestamp = Long.MIN_VALUE;
    }

    public boolean ignored() {
        return records.isEmpty() && bindings.isEmpty() && deadLetter == null;
    }
}
