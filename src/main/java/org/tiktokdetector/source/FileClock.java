package org.tiktokdetector.source;

import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.Timestamps;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Event time of one replayed file (or stream): the largest believable record time less the
 * out-of-orderness bound, which is what the file's watermark may say.
 *
 * <p>One record stamped in the year 9999 would otherwise move the watermark to the end of time and make
 * every later record of every file late. So a record is believed only when it is at most {@code maxAhead}
 * ahead of the wall clock (no log is written in the future) and of the median of the file's recent
 * records; otherwise it is a dead letter and does not move the watermark. The median starts from the
 * file's first {@link #SAMPLE} timestamps ({@link #start}), so an outlier on the very first line is
 * caught as well. Records far behind the rest are not rejected: they are late, which the windows
 * already handle (and count).
 */
final class FileClock implements DecodedLine.TimeCheck {
    /** How many recent timestamps the median is taken over. */
    static final int SAMPLE = 15;

    private final long maxAhead;
    private final long outOfOrderness;
    private final LongSupplier wallClock;
    private final long[] recent = new long[SAMPLE];
    private long accepted;
    private long median = Long.MIN_VALUE;
    private long max = Long.MIN_VALUE;

    FileClock(Duration maxAhead, Duration outOfOrderness, long[] firstTimestamps, LongSupplier wallClock) {
        this.maxAhead = maxAhead.toMillis();
        this.outOfOrderness = outOfOrderness.toMillis();
        this.wallClock = wallClock;
        if (firstTimestamps.length > 0) {
            median = median(firstTimestamps);
        }
    }

    /** The check of a live input, whose records cannot be from the future: at most {@code maxAhead} ahead of the wall clock. */
    record WallClock(long maxAhead) implements DecodedLine.TimeCheck, java.io.Serializable {
        @Override
        public String judge(long t) {
            return aheadOfWallClock(t, System.currentTimeMillis(), maxAhead);
        }
    }

    private static String aheadOfWallClock(long t, long now, long maxAhead) {
        if (t > now + maxAhead) {
            return "event time " + Timestamps.toIso(t) + " is " + human(t - now) + " ahead of the wall clock ("
                    + Timestamps.toIso(now) + "); records more than " + human(maxAhead) + " ahead are not believed (--max-time-ahead)";
        }
        return null;
    }

    @Override
    public String judge(long t) {
        String future = aheadOfWallClock(t, wallClock.getAsLong(), maxAhead);
        if (future != null) {
            return future;
        }
        if (median != Long.MIN_VALUE && t > median + maxAhead) {
            return "event time " + Timestamps.toIso(t) + " is " + human(t - median) + " ahead of this file's recent records (median "
                    + Timestamps.toIso(median) + "); records more than " + human(maxAhead) + " ahead are not believed (--max-time-ahead)";
        }
        recent[(int) (accepted++ % SAMPLE)] = t;
        if (accepted % SAMPLE == 0) {
            median = median(recent); // the ring is full: the last SAMPLE believed times
        }
        max = Math.max(max, t);
        return null;
    }

    /** The watermark this file allows: no record of it at or before this time is still to come (unless late). */
    long watermark() {
        return max == Long.MIN_VALUE ? Long.MIN_VALUE : max - outOfOrderness - 1;
    }

    /**
     * The earliest time a file whose first timestamps are these can still send on time: its first believable
     * record less the out-of-orderness bound. Long.MIN_VALUE when none is known (a stream, or a file whose first
     * lines carry no names): such a file is read first and holds every other back until it is.
     */
    static long start(long[] firstTimestamps, Duration maxAhead, Duration outOfOrderness) {
        if (firstTimestamps.length == 0) {
            return Long.MIN_VALUE;
        }
        long m = median(firstTimestamps);
        long earliest = Long.MAX_VALUE;
        for (long t : firstTimestamps) {
            if (t <= m + maxAhead.toMillis() && t < earliest) {
                earliest = t;
            }
        }
        return earliest - outOfOrderness.toMillis();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String human(long ms) {
        Duration d = Duration.ofMillis(ms);
        return d.toDays() >= 365 ? plural(d.toDays() / 365, "year")
                : d.toDays() >= 1 ? plural(d.toDays(), "day")
                : d.toHours() >= 1 ? plural(d.toHours(), "hour")
                : d.toMinutes() >= 1 ? plural(d.toMinutes(), "minute")
                : plural(d.toSeconds(), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
