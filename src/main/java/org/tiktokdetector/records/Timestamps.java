package org.tiktokdetector.records;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/** The timestamp forms sensors write, all to epoch milliseconds. */
public final class Timestamps {
    // Suricata writes "2026-11-25T09:14:03.120345+0100": an offset without a colon.
    private static final DateTimeFormatter ISO_LENIENT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    /**
     * The last time a record may carry, 9999-12-31T23:59:59.999Z; the first is 1970-01-01T00:00:00Z (0). Sensors
     * write no other times: a value outside (a mistyped "ts":1e20) makes the record malformed, not a time for the
     * event-time windows to compute with.
     */
    public static final long MAX_MILLIS = 253_402_300_799_999L;

    private Timestamps() {}

    /** Whether a time is within 1970 to 9999 ({@link #MAX_MILLIS}). */
    public static boolean inRange(long epochMillis) {
        return epochMillis >= 0 && epochMillis <= MAX_MILLIS;
    }

    /**
     * The reason for a time outside {@link #inRange}, the same for every dialect.
     *
     * @param written the value as the record gives it ({@code 1.0E20}, {@code "0001-01-01T00:00:00Z"})
     */
    public static String outOfRange(String field, String written) {
        return "\"" + field + "\" " + written + " is out of range (1970 to 9999)";
    }

    /**
     * Epoch seconds with an optional fraction (Zeek's default "ts"). Not range-checked: beyond a long, the result
     * saturates at Long.MIN_VALUE or Long.MAX_VALUE, which {@link #inRange} rejects.
     */
    public static long fromEpochSeconds(double seconds) {
        return Math.round(seconds * 1000.0);
    }

    /**
     * ISO-8601 date-time with an offset ("Z", "+01:00" or "+0100"). Runs per record, so the forms sensors write
     * take {@link FastIso}; anything else goes through the formatter, which decides and words the rejections.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static long fromIso(String text) {
        long fast = FastIso.tryParse(text);
        return fast != Long.MIN_VALUE ? fast : withFormatter(text);
    }

    /** The reference parser: every form ISO_LENIENT_OFFSET accepts. */
    static long withFormatter(String text) {
        try {
            return OffsetDateTime.parse(text, ISO_LENIENT_OFFSET).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp \"" + text + "\" is not ISO-8601 with an offset, e.g. 2026-11-25T09:14:03.120Z");
        }
    }

    /** The form every record this project writes uses: ISO-8601 UTC with milliseconds. */
    public static String toIso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
