package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Timestamps;

import java.time.Duration;

/**
 * The hits the device windows turned away because their window had closed (its end plus the allowed lateness
 * passed in event time): a sensor's backlog after an outage, a clock that runs behind. Each gets the reason,
 * so an analyst sees why it was not counted, and is counted: the accumulator for the run summary and the
 * metric {@code lateHits} for a job that runs until cancelled.
 */
public final class LateHits extends ProcessFunction<Hit, Hit> {
    public static final String ACCUMULATOR = "late-hits";

    private final long window;
    private final Duration allowedLateness;
    private transient LongCounter count;
    private transient Counter metric;

    public LateHits(Duration window, Duration allowedLateness) {
        this.window = window.toMillis();
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getLongCounter(ACCUMULATOR);
        metric = getRuntimeContext().getMetricGroup().counter("lateHits");
    }

    @Override
    public void processElement(Hit hit, Context ctx, Collector<Hit> out) {
        long start = TimeWindow.getWindowStartWithOffset(hit.timestamp, 0, window);
        // The windows forward their watermark before the hits they turn away, so this is the one that closed it.
        hit.lateReason = "its window " + Timestamps.toIso(start) + " - " + Timestamps.toIso(start + window)
                + " had closed (end + allowed lateness " + allowedLateness.toMillis() + " ms): event time had reached "
                + Timestamps.toIso(ctx.timerService().currentWatermark());
        count.add(1);
        metric.inc();
        out.collect(hit);
    }
}
