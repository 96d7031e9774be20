package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.flink.DecodedLineType;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One bounded Flink source for every replayed file and stream (logs and captures alike), however many
 * there are: a day of rotated Zeek logs is hundreds of files, a month thousands, and one source per file
 * ran out of network buffers at 200.
 *
 * <p><b>Event time across files.</b> A reader reads one file at a time, but files overlap in time (the
 * dns, ssl and quic logs of one hour). A file read to its end must not make another file's records
 * late. So the enumerator hands out files in order of the earliest time each can still send on time
 * ({@link InputFiles.Input#start}, from its first timestamps), and tells every reader that earliest time
 * among the files not yet handed out ({@link PendingStart}). A reader's watermark is the lesser of its
 * current file's ({@link FileClock}) and that time: no reader ever announces a time that a file still to
 * be read has records before. Readers that hold files of different times are reconciled downstream, where
 * Flink takes the least of their watermarks.
 *
 * <p><b>Checkpoints</b> (only when the job is configured to take them): each split carries how many of its
 * units (log lines, or a capture's records and skipped packets) were emitted; a restored reader reads the
 * file again from its start and drops that many. Decoding is deterministic, so what follows is exactly
 * what was not yet emitted. Standard input cannot be read twice, so a job reading it cannot be restored.
 */
public final class ReplaySource implements Source<DecodedLine, ReplaySource.Split, List<ReplaySource.Split>>,
        ResultTypeQueryable<DecodedLine> {
    private static final long serialVersionUID = 1L;

    private final List<InputFiles.Input> inputs;
    private final InputLimits limits;

    public ReplaySource(List<InputFiles.Input> inputs, InputLimits limits) {
        this.inputs = List.copyOf(inputs);
        this.limits = limits;
    }

    /**
     * The decoded lines of these inputs, as one stream with event time set per file (the strategy given to Flink
     * adds none: {@link ReplayReader} emits the watermarks). Runs at the environment's parallelism.
     */
    public static DataStream<DecodedLine> stream(StreamExecutionEnvironment env, List<InputFiles.Input> inputs, InputLimits limits) {
        return env.fromSource(new ReplaySource(inputs, limits), WatermarkStrategy.noWatermarks(), "replay files").uid("replay-files");
    }

    /** One file or stream, or one range of a large log file, and how many of its units were emitted before a checkpoint. */
    public record Split(InputFiles.Input input, long emitted) implements SourceSplit, Serializable {
        @Override
        public String splitId() {
            return input.range().from() == 0 ? input.path() : input.path() + "@" + input.range().from();
        }
    }

    /** From the enumerator to every reader: the earliest time a file not yet handed out can send on time. */
    record PendingStart(long time) implements SourceEvent {}

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<DecodedLine, Split> createReader(SourceReaderContext context) {
        return new ReplayReader(context, limits);
    }

    @Override
    public SplitEnumerator<Split, List<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new Enumerator(context, inputs.stream().map(i -> new Split(i, 0)).toList());
    }

    @Override
    public SplitEnumerator<Split, List<Split>> restoreEnumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
        return new Enumerator(context, pending);
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

    /** Hands out files one at a time to whichever reader asks, earliest start first. */
    static final class Enumerator implements SplitEnumerator<Split, List<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final PriorityQueue<Split> pending = new PriorityQueue<>(
                Comparator.comparingLong((Split s) -> s.input().start()).thenComparing(Split::splitId));

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> splits) {
            this.context = context;
            pending.addAll(splits);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {
            Split next = pending.poll();
            if (next == null) {
                context.signalNoMoreSplits(subtask);
                return;
            }
            context.assignSplit(next, subtask);
            announce();
        }

        @Override
        public void addSplitsBack(List<Split> splits, int subtask) {
            pending.addAll(splits);
            announce();
        }

        @Override
        public void addReader(int subtask) {
            context.sendEventToSourceReader(subtask, new PendingStart(pendingStart()));
        }

        private void announce() {
            PendingStart event = new PendingStart(pendingStart());
            for (int reader : context.registeredReaders().keySet()) {
                context.sendEventToSourceReader(reader, event);
            }
        }

        private long pendingStart() {
            return pending.isEmpty() ? Long.MAX_VALUE : pending.peek().input().start();
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    /** Version 2 added the range, version 3 a gzip range's members; a version 1 split is a whole file. */
    static final SimpleVersionedSerializer<Split> SPLITS = SplitSerializers.one(3, ReplaySource::write, ReplaySource::read);
    static final SimpleVersionedSerializer<List<Split>> PENDING = SplitSerializers.list(3, ReplaySource::write, ReplaySource::read);

    private static void write(Split s, DataOutputView out) throws IOException {
        out.writeUTF(s.input().path());
        out.writeByte(s.input().kind() == null ? -1 : s.input().kind().ordinal());
        out.writeLong(s.input().start());
        out.writeLong(s.emitted());
        FileRanges.Range r = s.input().range();
        out.writeLong(r.from());
        out.writeLong(r.to());
        out.writeLong(r.linesBefore());
        out.writeLong(r.headerAt());
        FileRanges.Members m = r.members();
        out.writeBoolean(m != null);
        if (m != null) {
            out.writeLong(m.length());
            out.writeBoolean(m.midLine());
            out.writeLong(m.headerSkip());
        }
    }

    private static Split read(DataInputView in, int version) throws IOException {
        String path = in.readUTF();
        byte kind = in.readByte();
        long start = in.readLong();
        long emitted = in.readLong();
        FileRanges.Range range = version < 2 ? FileRanges.Range.WHOLE
                : new FileRanges.Range(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        version >= 3 && in.readBoolean() ? new FileRanges.Members(in.readLong(), in.readBoolean(), in.readLong()) : null);
        return new Split(new InputFiles.Input(path, kind < 0 ? null : InputFiles.Kind.values()[kind], start, false, range), emitted);
    }
}
