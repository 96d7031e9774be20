package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.records.FlowRecord;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Restore through Flink's own file source reader: read part of a capture, take the reader's checkpoint
 * (its splits with their positions), and give them to a fresh reader, as a task restarted from that
 * checkpoint would. The records before and after the checkpoint must be the capture's records, each once.
 */
class CaptureSourceRestoreTest {
    private static final Path CAPTURE = Path.of("sample-data/captures/all.pcapng");

    private static final class Context implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {
            // the test hands the split over itself
        }

        @Override
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
            // no coordinator in this test
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }

    private static final class Output implements ReaderOutput<DecodedLine> {
        final List<FlowRecord> records = new ArrayList<>();

        @Override
        public void collect(DecodedLine line) {
            records.addAll(line.records);
        }

        @Override
        public void collect(DecodedLine line, long timestamp) {
            records.addAll(line.records);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            // watermarks are not what this test is about
        }

        @Override
        public void markIdle() {
            // as above
        }

        @Override
        public void markActive() {
            // as above
        }

        @Override
        public SourceOutput<DecodedLine> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
            // one output for all splits
        }
    }

    private static SourceReader<DecodedLine, FileSourceSplit> reader(List<FileSourceSplit> splits) throws Exception {
        SourceReader<DecodedLine, FileSourceSplit> reader = CaptureSource.fileSource(List.of(CAPTURE)).createReader(new Context());
        reader.start();
        reader.addSplits(splits);
        reader.notifyNoMoreSplits();
        return reader;
    }

    /** Polls until {@code limit} records were emitted or the input ended; waits on the reader's future, never on a clock. */
    private static void poll(SourceReader<DecodedLine, FileSourceSplit> reader, Output out, int limit) throws Exception {
        while (out.records.size() < limit) {
            InputStatus status = reader.pollNext(out);
            if (status == InputStatus.END_OF_INPUT) {
                return;
            }
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get(60, TimeUnit.SECONDS); // a guard against a hang, not a timing assertion
            }
        }
    }

    @Test
    void aReaderRestoredFromACheckpointEmitsEachRemainingRecordOnce() throws Exception {
        List<FlowRecord> all = new ArrayList<>();
        try (InputStream in = Files.newInputStream(CAPTURE)) {
            FlowExtractor.extract(in, CAPTURE.getFileName().toString(), all::add);
        }
        long size = Files.size(CAPTURE);
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(CAPTURE.toAbsolutePath().toUri()),
                0, size, 0, size);
        for (int before : new int[] {1, 7, 15}) {
            Output first = new Output();
            SourceReader<DecodedLine, FileSourceSplit> reader = reader(List.of(split));
            poll(reader, first, before);
            List<FileSourceSplit> checkpoint = reader.snapshotState(1);
            reader.close();
            assertEquals(new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, before),
                    checkpoint.get(0).getReaderPosition().orElseThrow(), "a record count, never a byte offset");

            Output second = new Output();
            SourceReader<DecodedLine, FileSourceSplit> restored = reader(checkpoint);
            poll(restored, second, Integer.MAX_VALUE);
            restored.close();

            assertEquals(all.subList(0, before), first.records, "before the checkpoint");
            assertEquals(all.subList(before, all.size()), second.records, "after a restore after " + before + " records");
        }
    }
}
