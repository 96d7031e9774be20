package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Event time for flow records: bounded out-of-orderness, plus what a live tap needs when it goes
 * quiet. Flink's own idleness only marks a quiet input idle; when every input is quiet the
 * watermark then stands still and a window that already crossed the threshold never closes. Here a
 * quiet input instead lets event time run on with the wall clock, so pending windows close on time; an input that never saw a record is marked idle so it holds nobody back.
 * Records that come back behind that time (a sensor's backlog after an outage, a skewed clock) do not
 * move it back (Flink would drop a watermark that steps back) nor hold it still once they stop: they are
 * late hits, which their window still counts within the allowed lateness and which go to the late-hits
 * output after it.
 */
public final class EventTime {
    private EventTime() {}

    public static <T> WatermarkStrategy<T> flows(Duration outOfOrderness, Duration quietAfter,
                                                 SerializableTimestampAssigner<T> timestamps) {
        long bound = outOfOrderness.toMillis();
        long quiet = quietAfter.toMillis();
        return WatermarkStrategy.<T>forGenerator(ctx -> new QuietSourceWatermarks<>(bound, quiet, System::currentTimeMillis))
                .withTimestampAssigner(ctx -> timestamps);
    }

    /**
     * For a live capture, whose packets are stamped by the clock this job reads: before its first packet, event time
     * runs on from the job's start as if a record had come then, instead of the input going idle. An idle capture
     * would let another input's watermark stand for it (a finished control stream's end of time) and make every
     * later hit late.
     */
    public static <T> WatermarkStrategy<T> capture(Duration outOfOrderness, Duration quietAfter,
                                                   SerializableTimestampAssigner<T> timestamps) {
        long bound = outOfOrderness.toMillis();
        long quiet = quietAfter.toMillis();
        return WatermarkStrategy.<T>forGenerator(ctx -> QuietSourceWatermarks.<T>startedNow(bound, quiet, System::currentTimeMillis))
                .withTimestampAssigner(ctx -> timestamps);
    }

    /**
     * For the control stream: it carries no event time, so it is idle for good and left out of the
     * watermark of every operator it feeds; it never holds the flows' watermark back. (A watermark
     * of Long.MAX_VALUE would instead become the matcher's watermark whenever all flow inputs are
     * idle, as at the start of a job on an empty topic, and make every later hit late.)
     */
    public static <T> WatermarkStrategy<T> timeless() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    /**
     * The watermark trails the input's event time by the bound. That time is its newest record's, and while the
     * input is quiet it runs on with the wall clock; records behind it (a backlog) leave it where it is, so the
     * watermark never steps back and, once they stop, runs on from where the clock had carried it.
     */
    static final class QuietSourceWatermarks<T> implements WatermarkGenerator<T> {
        private final long bound;
        private final long quietAfter;
        private final LongSupplier wallClock;
        private long eventTime = Long.MIN_VALUE;
        /** The wall-clock time at which {@link #eventTime} was last set. */
        private long eventTimeSetAt;
        private long lastRecordAt;

        QuietSourceWatermarks(long bound, long quietAfter, LongSupplier wallClock) {
            this.bound = bound;
            this.quietAfter = quietAfter;
            this.wallClock = wallClock;
            this.lastRecordAt = wallClock.getAsLong();
        }

        /** A generator whose input counts as having had a record at the wall clock's time now: it is never idle. */
        static <T> QuietSourceWatermarks<T> startedNow(long bound, long quietAfter, LongSupplier wallClock) {
            QuietSourceWatermarks<T> g = new QuietSourceWatermarks<>(bound, quietAfter, wallClock);
            g.eventTime = g.lastRecordAt;
            g.eventTimeSetAt = g.lastRecordAt;
            return g;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            lastRecordAt = wallClock.getAsLong();
            if (eventTimestamp > eventTime) {
                eventTime = eventTimestamp;
                eventTimeSetAt = lastRecordAt;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long now = wallClock.getAsLong();
            boolean quiet = now - lastRecordAt >= quietAfter;
            if (eventTime == Long.MIN_VALUE) {
                if (quiet) {
                    output.markIdle();
                }
                return;
            }
            if (quiet) {
                eventTime += now - eventTimeSetAt;
                eventTimeSetAt = now;
            }
            output.emitWatermark(new Watermark(eventTime - bound - 1));
        }
    }
}
