package org.tiktokdetector.aggregate;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.tiktokdetector.flink.DetectorMetrics;

/**
 * Passes records on unchanged and exports the metric {@code watermark_lag}: the wall clock less the event time
 * (watermark) that reached it, in milliseconds. Chained after the device windows, it sees their event time, which
 * decides when a window closes: a lag that keeps growing means an input holds event time back (a live one stopped,
 * or a replay is reading old data, where the lag is the data's age). Not a number before the first watermark and
 * after the last (the end of the input).
 */
public final class EventTimeLag<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    public static final String METRIC = "watermark_lag";

    /** Written by the task thread, read by the metrics reporter's. */
    private volatile long watermark = Long.MIN_VALUE;

    /** {@code stream}, with the lag of the event time that reaches it as a metric, in the same task. */
    public static <T> SingleOutputStreamOperator<T> after(DataStream<T> stream) {
        return stream.transform("watermark lag", stream.getType(), new EventTimeLag<T>()).setParallelism(stream.getParallelism())
                .uid("watermark-lag");
    }

    @Override
    public void open() throws Exception {
        super.open();
        DetectorMetrics.group(getMetricGroup()).gauge(METRIC, (Gauge<Double>) this::lag);
    }

    private double lag() {
        long w = watermark;
        return w == Long.MIN_VALUE || w == Long.MAX_VALUE ? Double.NaN : System.currentTimeMillis() - w;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }
}
