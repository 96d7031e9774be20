package org.tiktokdetector.source;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.records.FlowRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CaptureBulkFormatTest {
    private static final Path CAPTURE = Path.of("sample-data/captures/all.pcapng");

    /** A metric group that keeps its counters so that the test can read them. */
    private static final class Counters extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> super.counter(n));
        }

        long get(String name) {
            return counters.get(name).getCount();
        }
    }

    private static FileSourceSplit split() throws IOException {
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(CAPTURE.toAbsolutePath().toUri()), 0,
                Files.size(CAPTURE), 0, Files.size(CAPTURE));
    }

    private static List<FlowRecord> expected() throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(CAPTURE)) {
            FlowExtractor.extract(in, "all.pcapng", out::add);
        }
        return out;
    }

    /** Reads to the end; positions[i] is the checkpoint position after record i. */
    private static List<FlowRecord> readAll(BulkFormat.Reader<DecodedLine> reader, List<CheckpointedPosition> positions)
            throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        BulkFormat.RecordIterator<DecodedLine> batch;
        while ((batch = reader.readBatch()) != null) {
            RecordAndPosition<DecodedLine> r;
            while ((r = batch.next()) != null) {
                assertEquals(1, r.getRecord().records.size(), "one flow record per element");
                out.add(r.getRecord().records.get(0));
                positions.add(new CheckpointedPosition(r.getOffset(), r.getRecordSkipCount()));
            }
            batch.releaseBatch();
        }
        reader.close();
        return out;
    }

    @Test
    void readsTheRecordsTheExtractorFinds() throws IOException {
        Counters metrics = new Counters();
        List<FlowRecord> records = readAll(new CaptureBulkFormat(new CaptureCounters(metrics))
                .createReader(new Configuration(), split()), new ArrayList<>());
        assertEquals(expected(), records);
        assertEquals(81, metrics.get("capturePacketsRead"));
        assertEquals(81, metrics.get("capturePacketsDecoded"));
        assertEquals(0, metrics.get("capturePacketsSkipped"));
        assertEquals(18, metrics.get("captureRecords"));
    }

    @Test
    void restoringAtAnyCheckpointedPositionYieldsExactlyTheRest() throws IOException {
        List<FlowRecord> all = expected();
        List<CheckpointedPosition> positions = new ArrayList<>();
        readAll(new CaptureBulkFormat(null).createReader(new Configuration(), split()), positions);
        assertEquals(all.size(), positions.size());
        for (int i = 0; i < positions.size(); i++) {
            CheckpointedPosition position = positions.get(i);
            assertEquals(CheckpointedPosition.NO_OFFSET, position.getOffset(), "never a byte offset into the capture");
            Counters metrics = new Counters();
            List<FlowRecord> rest = readAll(new CaptureBulkFormat(new CaptureCounters(metrics))
                    .restoreReader(new Configuration(), split().updateWithCheckpointedPosition(position)), new ArrayList<>());
            assertEquals(all.subList(i + 1, all.size()), rest, "restored after record " + i);
            assertEquals(all.size() - i - 1, metrics.get("captureRecords"), "records before the checkpoint are not counted again");
        }
    }
}
