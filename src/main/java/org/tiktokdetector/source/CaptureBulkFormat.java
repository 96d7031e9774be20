package org.tiktokdetector.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureReader;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.decode.capture.Packet;
import org.tiktokdetector.records.FlowRecord;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one capture file (pcap or pcapng, never split) into flow records, each wrapped as a
 * {@link DecodedLine} so that captures and log lines go through the same matcher.
 *
 * <p>Checkpoints: a capture can only be read from its start (the pcap header, or the pcapng section and
 * interface blocks, say how to read every later record), and the decoders' TCP and QUIC state spans
 * packets. So a position is never a byte offset: it is {@link CheckpointedPosition#NO_OFFSET} and the
 * number of records emitted so far, and a restored reader reads the file again from the start and drops
 * that many records. Decoding is deterministic, so the records after them are exactly the ones not yet
 * emitted.
 */
final class CaptureBulkFormat implements BulkFormat<DecodedLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CaptureBulkFormat.class);
    static final int BATCH = 500;

    /** Null when no metric group was given (e.g. a format used outside a running source reader). */
    private final transient CaptureCounters counters;

    CaptureBulkFormat(CaptureCounters counters) {
        this.counters = counters;
    }

    @Override
    public Reader<DecodedLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new CaptureFileReader(split, 0);
    }

    @Override
    public Reader<DecodedLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long emitted = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new CaptureFileReader(split, emitted);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<DecodedLine> getProducedType() {
        return DecodedLineType.INSTANCE;
    }

    private final class CaptureFileReader implements Reader<DecodedLine> {
        private final FSDataInputStream stream;
        private final CaptureReader reader;
        private final FlowExtractor extractor;
        private final ArrayDeque<FlowRecord> ready = new ArrayDeque<>();
        private final Packet packet = new Packet();
        private long emitted;
        private boolean ended;

        CaptureFileReader(FileSourceSplit split, long alreadyEmitted) throws IOException {
            stream = split.path().getFileSystem().open(split.path());
            CaptureStats stats = new CaptureStats(split.path().getName());
            reader = new CaptureReader(stream, stats);
            extractor = new FlowExtractor(stats, ready::add);
            if (counters != null) {
                counters.startCapture();
            }
            while (emitted < alreadyEmitted && next() != null) {
                emitted++;
            }
            if (counters != null) {
                counters.update(stats, false); // counted before the checkpoint already
            }
        }

        private FlowRecord next() throws IOException {
            while (ready.isEmpty() && !ended) {
                if (reader.next(packet)) {
                    extractor.accept(packet);
                } else {
                    ended = true;
                    LOG.info("{}", extractor.stats().summary());
                }
            }
            return ready.poll();
        }

        @Override
        public RecordIterator<DecodedLine> readBatch() throws IOException {
            List<DecodedLine> batch = new ArrayList<>(Math.min(BATCH, 64));
            FlowRecord r;
            while (batch.size() < BATCH && (r = next()) != null) {
                batch.add(DecodedLine.of(r));
            }
            if (counters != null) {
                counters.update(extractor.stats(), true);
            }
            if (batch.isEmpty()) {
                return null;
            }
            RecordIterator<DecodedLine> iterator =
                    new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, emitted);
            emitted += batch.size();
            return iterator;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
