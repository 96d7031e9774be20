package org.tiktokdetector.source;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * A stream with no records, for an input the user did not give. Flink has no empty source
 * (fromData and a zero-count generator both emit one element), so one tick is dropped here.
 */
public final class EmptySource {
    private EmptySource() {}

    /**
     * A stream with no records that never ends, idle for event time: the control input of a job that
     * runs until cancelled. (A finished input's final watermark, Long.MAX_VALUE, would become the
     * matcher's watermark whenever all flow inputs are idle.) Ticks once an hour and drops the tick.
     */
    public static <T> DataStream<T> forever(StreamExecutionEnvironment env, TypeInformation<T> type, String name) {
        DataGeneratorSource<Long> ticks = new DataGeneratorSource<>(
                i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(1.0 / 3600), Types.LONG);
        FlatMapFunction<Long, T> none = (tick, out) -> {};
        return env.fromSource(ticks, EventTime.timeless(), name).setParallelism(1).uid(name.replace(' ', '-'))
                .flatMap(none).returns(type).name(name).setParallelism(1);
    }

    public static <T> DataStream<T> of(StreamExecutionEnvironment env, TypeInformation<T> type, String name) {
        FlatMapFunction<Long, T> none = (tick, out) -> {};
        return env.fromSequence(0, 0).name(name).setParallelism(1)
                .flatMap(none).returns(type).name(name).setParallelism(1);
    }
}
