package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.records.FlowRecord;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CaptureSourceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SAMPLES = Path.of("sample-data/captures");
    private static final Comparator<FlowRecord> ORDER =
            Comparator.comparing((FlowRecord r) -> r.sensor).thenComparingLong(r -> r.timestamp).thenComparing(FlowRecord::toString);

    @Test
    void aFolderOfCapturesYieldsTheRecordsOfEveryCaptureInIt() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<FlowRecord> actual = new ArrayList<>();
        env.fromSource(CaptureSource.fileSource(List.of(SAMPLES)),
                        WatermarkStrategy.<DecodedLine>forBoundedOutOfOrderness(Duration.ofSeconds(1))
                                .withTimestampAssigner((d, t) -> d.timestamp),
                        "captures")
                .executeAndCollect().forEachRemaining(d -> actual.addAll(d.records));

        List<FlowRecord> expected = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path f : files.toList()) {
                if (CaptureFormat.isCapture(f)) { // README.md and make-captures.sh are not read
                    try (InputStream in = Files.newInputStream(f)) {
                        FlowExtractor.extract(in, f.getFileName().toString(), expected::add);
                    }
                }
            }
        }
        actual.sort(ORDER);
        expected.sort(ORDER);
        assertEquals(36, expected.size());
        assertEquals(expected, actual);
    }
}
