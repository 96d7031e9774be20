package org.tiktokdetector.source;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * A stream with no records, for an input the user did not give. Flink has no empty source
 * (fromData and a zero-count generator both emit one element), so one tick is dropped here.
 */
public final class EmptySource {
    private EmptySource() {}

    public static <T> DataStream<T> of(StreamExecutionEnvironment env, TypeInformation<T> type, String name) {
        FlatMapFunction<Long, T> none = (tick, out) -> {};
        return env.fromSequence(0, 0).name(name).setParallelism(1)
                .flatMap(none).returns(type).name(name).setParallelism(1);
    }
}
