package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.tiktokdetector.flink.DetectorMetrics;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Timestamps;

import java.time.Duration;

/**
 * The hits the device windows turned away because their window had closed (its end plus the allowed lateness
 * passed in event time): a sensor's backlog after an outage, a clock that runs behind. Each gets the reason,
 * so an analyst sees why it was not counted, and is counted: the accumulator for the run summary, also the
 * metric {@code late_hits} for a job that runs until cancelled ({@link DetectorMetrics}).
 */
public final class LateHits extends ProcessFunction<Hit, Hit> {
    public static final String ACCUMULATOR = "late_hits";

    private final long window;
    private final Duration allowedLateness;
    private transient LongCounter count;

    public LateHits(Duration window, Duration allowedLateness) {
        this.window = window.toMillis();
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void open(OpenContext openContext) {
        count = DetectorMetrics.counter(getRuntimeContext(), ACCUMULATOR);
    }

    @Override
    public void processElement(Hit hit, Context ctx, Collector<Hit> out) {
        long start = TimeWindow.getWindowStartWithOffset(hit.timestamp, 0, window);
        // The windows forward their watermark before the hits they turn away, so this is the one that closed it.
        hit.lateReason = "its window " + Timestamps.toIso(start) + " - " + Timestamps.toIso(start + window)
                + " had closed (end + allowed lateness " + allowedLateness.toMillis() + " ms): event time had reached "
                + Timestamps.toIso(ctx.timerService().currentWatermark());
        count.add(1);
        out.collect(hit);
    }
}
