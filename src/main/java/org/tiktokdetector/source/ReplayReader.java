package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.log.LineDecoder;
import org.tiktokdetector.decode.log.LogFileDecoder;
import org.tiktokdetector.decode.log.MalformedRecordException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the files the {@link ReplaySource} enumerator hands it, one at a time, in the task's own thread,
 * and sets event time itself: the lesser of its current file's {@link FileClock} and the earliest start
 * of the files still to be handed out (see {@link ReplaySource}). It asks for the next file when one
 * ends, and ends when there are no more.
 */
final class ReplayReader implements SourceReader<DecodedLine, ReplaySource.Split> {
    /** Lines handed on per call before the watermark is updated and the task may do other work. */
    private static final int BATCH = 256;

    private final SourceReaderContext context;
    private final InputLimits limits;
    private final PacketMetrics packets;
    private final ArrayDeque<ReplaySource.Split> assigned = new ArrayDeque<>();
    private SplitReader current;
    private boolean requested;
    private boolean noMoreSplits;
    private long pendingStart = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    ReplayReader(SourceReaderContext context, InputLimits limits) {
        this.context = context;
        this.limits = limits;
        this.packets = new PacketMetrics(context.metricGroup());
    }

    /**
     * The decoder for one log file or stream, or one range of a file (it keeps a Zeek TSV file's header): a range
     * that starts after a header has read it first.
     */
    static LineDecoder logDecoder(String path, FileRanges.Range range) throws IOException {
        LogFileDecoder decoder = new LogFileDecoder();
        try (InputStream in = FileRanges.openHeader(Path.of(path), range)) {
            if (in != null) {
                // The header's lines, from #separator to the first row (a range that starts in them reads some again: harmless).
                LineReader lines = new LineReader(in, 1 << 20);
                LineReader.Line l;
                while ((l = lines.next()) != null && !l.overlong() && l.bytes().length > 0 && l.bytes()[0] == '#') {
                    try {
                        decoder.decode(l.bytes());
                    } catch (MalformedRecordException e) {
                        // the range that holds this line reports it
                    }
                }
            }
        }
        return decoder::decode;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<DecodedLine> output) throws IOException {
        if (current == null) {
            ReplaySource.Split next = assigned.poll();
            if (next == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                if (!requested) {
                    requested = true;
                    context.sendSplitRequest();
                }
                if (available.isDone()) {
                    available = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            current = new SplitReader(next, limits);
        }
        SplitReader reading = current;
        for (int i = 0; i < BATCH; i++) {
            DecodedLine d = current.next();
            if (d == null) {
                current.close();
                current = null;
                break;
            }
            output.collect(d, d.timestamp);
        }
        if (reading.captureStats() != null) {
            packets.update(reading.captureStats());
        }
        if (current != null) {
            advanceWatermark(output, current.clock().watermark());
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** Moves event time on to the file's watermark, as far as no file still to be read would be late. */
    private void advanceWatermark(ReaderOutput<DecodedLine> output, long fileWatermark) {
        long w = Math.min(fileWatermark, justBefore(pendingStart));
        for (ReplaySource.Split s : assigned) {
            w = Math.min(w, justBefore(s.input().start()));
        }
        if (w > watermark) {
            watermark = w;
            output.emitWatermark(new Watermark(w));
        }
    }

    /** The latest watermark that leaves a record at {@code start} on time (Long.MIN_VALUE: nothing is known). */
    private static long justBefore(long start) {
        return start == Long.MIN_VALUE ? Long.MIN_VALUE : start - 1;
    }

    @Override
    public List<ReplaySource.Split> snapshotState(long checkpointId) {
        List<ReplaySource.Split> state = new ArrayList<>();
        if (current != null) {
            state.add(current.progress());
        }
        state.addAll(assigned);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<ReplaySource.Split> splits) {
        assigned.addAll(splits);
        requested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ReplaySource.PendingStart p) {
            pendingStart = p.time();
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
        }
    }
}
