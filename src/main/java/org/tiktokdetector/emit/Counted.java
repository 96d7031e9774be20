package org.tiktokdetector.emit;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.tiktokdetector.flink.DetectorMetrics;

/** Passes records on unchanged and counts them in a named accumulator and metric (e.g. late hits, for the run summary). */
public final class Counted<T> extends RichMapFunction<T, T> {
    private final String accumulator;
    private transient LongCounter count;

    public Counted(String accumulator) {
        this.accumulator = accumulator;
    }

    @Override
    public void open(OpenContext openContext) {
        count = DetectorMetrics.counter(getRuntimeContext(), accumulator);
    }

    @Override
    public T map(T value) {
        count.add(1);
        return value;
    }
}
