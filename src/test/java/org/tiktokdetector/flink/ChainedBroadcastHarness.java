package org.tiktokdetector.flink;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.MultipleInputStreamTask;
import org.apache.flink.streaming.runtime.tasks.StreamTaskMailboxTestHarness;
import org.apache.flink.streaming.runtime.tasks.StreamTaskMailboxTestHarnessBuilder;

import java.util.List;

/**
 * {@link ChainedBroadcast} in a real multiple-input task (Flink's mailbox task harness): input 0 the elements,
 * input 1 the broadcast. The counterpart of Flink's {@code BroadcastOperatorTestHarness}, so a function's cases can
 * run on both operators. Side outputs have no channel in this harness; the whole-job tests read them.
 */
public final class ChainedBroadcastHarness<IN, B, OUT> implements AutoCloseable {
    private final StreamTaskMailboxTestHarness<OUT> task;

    public ChainedBroadcastHarness(BroadcastProcessFunction<IN, B, OUT> function, List<MapStateDescriptor<?, ?>> descriptors,
                                   TypeInformation<IN> in, TypeInformation<B> broadcast, TypeInformation<OUT> out) throws Exception {
        task = new StreamTaskMailboxTestHarnessBuilder<>(MultipleInputStreamTask::new, out)
                .addInput(in)
                .addInput(broadcast)
                .setupOutputForSingletonOperatorChain(ChainedBroadcast.factory(function, descriptors))
                .build();
    }

    public void processElement(IN value, long timestamp) throws Exception {
        task.processElement(new StreamRecord<>(value, timestamp), 0);
    }

    public void processBroadcastElement(B value, long timestamp) throws Exception {
        task.processElement(new StreamRecord<>(value, timestamp), 1);
    }

    public void processWatermark(long watermark, int input) throws Exception {
        task.processElement(new Watermark(watermark), input);
    }

    /** Ends one input, as a finished source does. */
    public void endInput(int input) throws Exception {
        task.endInput(input, true);
        task.processAll();
    }

    @SuppressWarnings("unchecked")
    public List<OUT> extractOutputValues() {
        return task.getOutput().stream().filter(o -> o instanceof StreamRecord).map(o -> ((StreamRecord<OUT>) o).getValue()).toList();
    }

    public List<Long> outputTimestamps() {
        return task.getOutput().stream().filter(o -> o instanceof StreamRecord).map(o -> ((StreamRecord<?>) o).getTimestamp()).toList();
    }

    public List<Long> outputWatermarks() {
        return task.getOutput().stream().filter(o -> o instanceof Watermark).map(o -> ((Watermark) o).getTimestamp()).toList();
    }

    @Override
    public void close() throws Exception {
        task.close();
    }
}
