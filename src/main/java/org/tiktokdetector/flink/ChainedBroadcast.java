package org.tiktokdetector.flink;

import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.util.FunctionUtils;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.MultipleConnectedStreams;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractInput;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorV2;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.Input;
import org.apache.flink.streaming.api.operators.MultipleInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.transformations.MultipleInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link BroadcastProcessFunction} in the same task as the source that feeds it.
 *
 * <p>{@code stream.connect(broadcast).process(fn)} makes a two-input operator, and Flink never chains a
 * two-input operator to its input: every record would be serialized and handed across a network
 * channel before it was judged. Nearly every flow record is judged and dropped (about 1% are hits), so
 * that hand-over was most of the job's cost. A multiple-input operator with
 * {@link ChainingStrategy#HEAD_WITH_SOURCES} lets Flink chain a FLIP-27 source straight into it, while
 * the broadcast input still arrives over the network. The function sees exactly what Flink's own
 * {@code CoBroadcastWithNonKeyedOperator} gives it: the same broadcast state (operator state, so
 * checkpoints and restores are unchanged), the element's timestamp, side outputs and the watermark.
 * An input that is not a source (a map in between, say) still works; it just is not chained.
 *
 * <p>Only for jobs without checkpoints: Flink triggers a checkpoint at the tasks that have no network
 * input, so a source chained into a task that also reads the broadcast input would never get a barrier
 * and every checkpoint would hang. {@link #connect} refuses a job with checkpointing enabled.
 */
public final class ChainedBroadcast<IN, B, OUT> extends AbstractStreamOperatorV2<OUT>
        implements MultipleInputStreamOperator<OUT>, BoundedMultiInput {
    private final BroadcastProcessFunction<IN, B, OUT> function;
    private final List<MapStateDescriptor<?, ?>> descriptors;
    private final TimestampedCollector<OUT> collector;
    private final Map<MapStateDescriptor<?, ?>, BroadcastState<?, ?>> states = new HashMap<>();
    private final ReadOnlyContext readOnly;
    private final ReadWriteContext readWrite;
    private long watermark = Long.MIN_VALUE;

    private ChainedBroadcast(StreamOperatorParameters<OUT> parameters, BroadcastProcessFunction<IN, B, OUT> function,
                             List<MapStateDescriptor<?, ?>> descriptors) {
        super(parameters, 2);
        this.function = function;
        this.descriptors = descriptors;
        this.collector = new TimestampedCollector<>(output);
        this.readOnly = new ReadOnlyContext(function);
        this.readWrite = new ReadWriteContext(function);
    }

    /**
     * {@code input.connect(updates.broadcast(descriptors)).process(function)}, at the input's parallelism,
     * chained to the input when it is a source. For jobs without checkpoints only (see above).
     */
    public static <IN, B, OUT> SingleOutputStreamOperator<OUT> connect(
            DataStream<IN> input, DataStream<B> updates, BroadcastProcessFunction<IN, B, OUT> function,
            TypeInformation<OUT> outType, String name, List<MapStateDescriptor<?, ?>> descriptors) {
        if (!possibleIn(input.getExecutionEnvironment())) {
            throw new IllegalStateException(name + ": a source chained next to a broadcast input never takes a checkpoint; "
                    + "use input.connect(broadcast).process(function) in a job with checkpointing");
        }
        MultipleInputTransformation<OUT> t = new MultipleInputTransformation<>(
                name, factory(function, descriptors), outType, input.getParallelism());
        t.addInput(input.getTransformation());
        t.addInput(updates.broadcast().getTransformation());
        return new MultipleConnectedStreams(input.getExecutionEnvironment()).transform(t);
    }

    /** The operator's factory: input 1 the elements, input 2 the broadcast updates. */
    static <IN, B, OUT> AbstractStreamOperatorFactory<OUT> factory(BroadcastProcessFunction<IN, B, OUT> function,
                                                                   List<MapStateDescriptor<?, ?>> descriptors) {
        return new Factory<>(function, descriptors);
    }

    /** Whether a job on this environment can run a chained broadcast: only one that does not checkpoint (see above). */
    public static boolean possibleIn(StreamExecutionEnvironment env) {
        return !env.getCheckpointConfig().isCheckpointingEnabled();
    }

    @Override
    public void open() throws Exception {
        super.open();
        for (MapStateDescriptor<?, ?> d : descriptors) {
            states.put(d, getOperatorStateBackend().getBroadcastState(d));
        }
        FunctionUtils.setFunctionRuntimeContext(function, getRuntimeContext());
        FunctionUtils.openFunction(function, DefaultOpenContext.INSTANCE);
    }

    @Override
    public void close() throws Exception {
        super.close();
        FunctionUtils.closeFunction(function);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        watermark = mark.getTimestamp();
    }

    /**
     * A source in a task of its own ends its event time with a final watermark when it finishes; a chained source
     * does not (its task emits that only when every input has ended), and the broadcast input may never end (a
     * watched list file). The source's records are complete once it ends, so its event time is over: without
     * this, no window of a replay would close until the update stream ended too.
     */
    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            reportWatermark(Watermark.MAX_WATERMARK, 1);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<Input> getInputs() {
        return List.of(
                new AbstractInput<IN, OUT>(this, 1) {
                    @Override
                    public void processElement(StreamRecord<IN> element) throws Exception {
                        collector.setTimestamp(element);
                        readOnly.element = element;
                        function.processElement(element.getValue(), readOnly, collector);
                    }
                },
                new AbstractInput<B, OUT>(this, 2) {
                    @Override
                    public void processElement(StreamRecord<B> element) throws Exception {
                        collector.setTimestamp(element);
                        readWrite.element = element;
                        function.processBroadcastElement(element.getValue(), readWrite, collector);
                    }
                });
    }

    private Long timestamp(StreamRecord<?> element) {
        return element != null && element.hasTimestamp() ? element.getTimestamp() : null;
    }

    private <X> void sideOutput(OutputTag<X> tag, X value, StreamRecord<?> element) {
        output.collect(tag, element != null && element.hasTimestamp()
                ? new StreamRecord<>(value, element.getTimestamp()) : new StreamRecord<>(value));
    }

    @SuppressWarnings("unchecked")
    private <K, V> BroadcastState<K, V> state(MapStateDescriptor<K, V> descriptor) {
        BroadcastState<K, V> s = (BroadcastState<K, V>) states.get(descriptor);
        if (s == null) {
            throw new IllegalArgumentException("broadcast state " + descriptor.getName() + " was not declared");
        }
        return s;
    }

    private final class ReadOnlyContext extends BroadcastProcessFunction<IN, B, OUT>.ReadOnlyContext {
        private StreamRecord<IN> element;

        ReadOnlyContext(BroadcastProcessFunction<IN, B, OUT> function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return ChainedBroadcast.this.timestamp(element);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value, element);
        }

        @Override
        public long currentProcessingTime() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return state(descriptor);
        }
    }

    private final class ReadWriteContext extends BroadcastProcessFunction<IN, B, OUT>.Context {
        private StreamRecord<B> element;

        ReadWriteContext(BroadcastProcessFunction<IN, B, OUT> function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return ChainedBroadcast.this.timestamp(element);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value, element);
        }

        @Override
        public long currentProcessingTime() {
            return getProcessingTimeService().getCurrentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return state(descriptor);
        }
    }

    /** Serialized into the job graph; builds the operator in each task. */
    private static final class Factory<IN, B, OUT> extends AbstractStreamOperatorFactory<OUT> {
        private final BroadcastProcessFunction<IN, B, OUT> function;
        private final List<MapStateDescriptor<?, ?>> descriptors;

        Factory(BroadcastProcessFunction<IN, B, OUT> function, List<MapStateDescriptor<?, ?>> descriptors) {
            this.function = function;
            this.descriptors = List.copyOf(descriptors);
            setChainingStrategy(ChainingStrategy.HEAD_WITH_SOURCES);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
            return (T) new ChainedBroadcast<>(parameters, function, descriptors);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return ChainedBroadcast.class;
        }
    }
}
