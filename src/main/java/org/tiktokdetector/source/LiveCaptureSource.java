package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.tiktokdetector.source.EventTime;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.Pcap4jCapture;
import org.tiktokdetector.flink.DecodedLineType;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Packets captured live on one network interface, through libpcap, decoded into flow records as a replayed capture's
 * are ({@link CaptureLines}). One split, the interface, read by one reader at parallelism 1. It runs until cancelled,
 * or, like {@code tcpdump -c N} and {@code timeout D tcpdump}, until it has read a number of packets or for a time;
 * then it ends and the job flushes its windows and ends too.
 *
 * <p><b>Local mode only.</b> The reader runs in this JVM's embedded cluster, so the command that started the job can
 * ask it to stop (Ctrl-C, SIGTERM: {@link #stop}) and read libpcap's final counts ({@link #counts}) through a table
 * of this JVM's runs. Event time is packet time, set by the strategy the job gives (see {@link #stream}).
 */
public final class LiveCaptureSource implements Source<DecodedLine, LiveCaptureSource.Split, List<LiveCaptureSource.Split>>,
        ResultTypeQueryable<DecodedLine> {
    private static final long serialVersionUID = 1L;

    /** What runs in this JVM, by run id: the stop request and libpcap's latest counts of each. */
    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    /**
     * @param iface       the interface, as {@code ip link} names it
     * @param bpf         the tcpdump filter expression
     * @param duration    how long to capture, null for no limit
     * @param packetCount how many packets (that pass the filter) to read, 0 for no limit
     */
    public record Options(String iface, String bpf, Duration duration, long packetCount) implements Serializable {
        boolean bounded() {
            return duration != null || packetCount > 0;
        }
    }

    /** The interface; there is only one. */
    public record Split(String iface) implements SourceSplit, Serializable {
        @Override
        public String splitId() {
            return iface;
        }
    }

    /** A run's shared state between the command and the reader: written by the reader, read by the command. */
    static final class Run {
        volatile boolean stopRequested;
        volatile Pcap4jCapture.Counts counts = new Pcap4jCapture.Counts(0, 0, 0);
    }

    private final Options options;
    private final InputLimits limits;
    private final String runId = UUID.randomUUID().toString();

    public LiveCaptureSource(Options options, InputLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    /**
     * The decoded lines of the capture, at parallelism 1. Event time is packet time, bounded out of order as every
     * input's; after {@code quietAfter} without records it follows the wall clock, from the start too, so the capture
     * never goes idle ({@link EventTime#capture}).
     */
    public DataStream<DecodedLine> stream(StreamExecutionEnvironment env, Duration quietAfter) {
        WatermarkStrategy<DecodedLine> eventTime = EventTime.capture(limits.outOfOrderness(), quietAfter, (d, previous) -> d.timestamp);
        return env.fromSource(this, eventTime, "live capture " + options.iface()).setParallelism(1).uid("live-capture");
    }

    /** Asks the capture to end as if its duration had passed: the job then flushes its windows and ends. */
    public void stop() {
        run().stopRequested = true;
    }

    /** libpcap's counts of the capture so far (final once the job has ended). */
    public Pcap4jCapture.Counts counts() {
        return run().counts;
    }

    Run run() {
        return RUNS.computeIfAbsent(runId, id -> new Run());
    }

    public Options options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return options.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<DecodedLine, Split> createReader(SourceReaderContext context) {
        return new LiveCaptureReader(context, options, limits, run());
    }

    @Override
    public SplitEnumerator<Split, List<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new Enumerator(context, new ArrayList<>(List.of(new Split(options.iface()))));
    }

    @Override
    public SplitEnumerator<Split, List<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
        return new Enumerator(context, new ArrayList<>(pending));
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return SPLITS;
    }

    @Override
    public SimpleVersionedSerializer<List<Split>> getEnumeratorCheckpointSerializer() {
        return PENDING;
    }

    @Override
    public TypeInformation<DecodedLine> getProducedType() {
        return DecodedLineType.INSTANCE;
    }

    /** Gives the interface to the reader when it registers (again after a failure: the split comes back). */
    static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> pending;

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
            this.context = context;
            this.pending = pending;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtask) {
            pending.addAll(splits);
        }

        @Override
        public void addReader(int subtask) {
            for (Split s : pending) {
                context.assignSplit(s, subtask);
            }
            pending.clear();
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    private static final SplitSerializers.Writer<Split> WRITE = (s, out) -> out.writeUTF(s.iface());
    private static final SplitSerializers.Reader<Split> READ = (in, version) -> new Split(in.readUTF());
    static final SimpleVersionedSerializer<Split> SPLITS = SplitSerializers.one(1, WRITE, READ);
    static final SimpleVersionedSerializer<List<Split>> PENDING = SplitSerializers.list(1, WRITE, READ);
}
