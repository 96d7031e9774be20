package org.tiktokdetector;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.aggregate.PseudonymiseHits;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.emit.Outputs;
import org.tiktokdetector.flink.ChainedBroadcast;
import org.tiktokdetector.match.BlocklistMatcher;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Violation;
import org.tiktokdetector.source.EmptySource;
import org.tiktokdetector.source.InputFiles;
import org.tiktokdetector.source.ReplaySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the matcher runs: in each source's task for replays, behind a network channel when the job checkpoints. */
class DetectionJobGraphTest {
    private static final DetectionJob.Settings SETTINGS = DetectionJob.Settings.defaults();

    private static DataStream<DecodedLine> replay(StreamExecutionEnvironment env, String... paths) throws IOException {
        return ReplaySource.stream(env, InputFiles.find(List.of(paths), SETTINGS.maxAhead(), SETTINGS.outOfOrderness()).inputs(),
                SETTINGS.limits());
    }

    private static DataStream<DecodedLine> log(StreamExecutionEnvironment env) throws IOException {
        return replay(env, "sample-data/zeek/dns.log");
    }

    private static DataStream<BlocklistUpdate> noUpdates(StreamExecutionEnvironment env) {
        return EmptySource.of(env, TypeInformation.of(BlocklistUpdate.class), "no updates");
    }

    private static List<String> vertices(StreamExecutionEnvironment env) throws IOException {
        DataStream<DecodedLine> files = replay(env, "sample-data/zeek/dns.log", "sample-data/captures/dns-udp-tcp.pcap");
        Outputs out = DetectionJob.defineWorkflow(List.of(files), noUpdates(env),
                BlocklistParser.parseDefault().rules(), DeviceInventory.empty(), SETTINGS);
        out.violations().sinkTo(new DiscardingSink<>());
        out.deadLetters().sinkTo(new DiscardingSink<>());
        JobGraph graph = StreamingJobGraphGenerator.createJobGraph(env.getStreamGraph());
        return graph.getVerticesSortedTopologicallyFromSources().stream().map(JobVertex::getName).toList();
    }

    @Test
    void aReplayJudgesEachSourceInTheSourcesOwnTask() throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> names = vertices(env);
        assertThat(names).filteredOn(n -> n.contains("Source: replay files")).singleElement()
                .satisfies(n -> assertThat(n).contains("match blocklist").doesNotContain("attribute device"));
        // The binding join is keyed by address: the hits (about 1%) and bindings cross to it.
        assertThat(names).filteredOn(n -> n.contains("attribute device")).singleElement()
                .satisfies(n -> assertThat(n).doesNotContain("Source"));
        assertThat(names).noneMatch(n -> n.endsWith("Source: replay files"));
    }

    @Test
    void aCheckpointingJobKeepsTheMatcherBehindANetworkChannel() throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        assertMatchersBehindChannels(vertices(env));
    }

    /** As a cluster's configuration file turns checkpointing on for a job submitted with `flink run`. */
    @Test
    void checkpointingTurnedOnByConfigurationIsSeenToo() throws IOException {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        assertMatchersBehindChannels(vertices(env));
    }

    /**
     * With a key, hits are pseudonymised in the task that attributes them, before the device windows (whose late hits
     * are the rest of the job's personal outputs), and the job graph, as a cluster stores it, holds no piece of the key.
     */
    @Test
    void hitsArePseudonymisedBeforeTheWindowsAndTheJobGraphHoldsNoKey(@TempDir Path dir) throws Exception {
        String secret = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
        Path keyFile = Files.writeString(dir.resolve("pseudonym.key"), secret);
        DetectionJob.Settings d = DetectionJob.Settings.defaults();
        DetectionJob.Settings keyed = new DetectionJob.Settings(d.window(), d.threshold(), d.appThreshold(), d.outOfOrderness(),
                d.allowedLateness(), d.quietAfter(), d.maxAhead(), d.maxLineLength(), d.tunnelPorts(),
                new PseudonymiseHits(keyFile, PseudonymKey.load(keyFile)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Outputs out = DetectionJob.defineWorkflow(List.of(log(env)), noUpdates(env), BlocklistParser.parseDefault().rules(),
                DeviceInventory.empty(), keyed);
        out.violations().sinkTo(new DiscardingSink<>());
        out.hits().sinkTo(new DiscardingSink<>());
        out.lateHits().sinkTo(new DiscardingSink<>());
        JobGraph graph = StreamingJobGraphGenerator.createJobGraph(env.getStreamGraph());
        // The tasks from the sources on, each named by its chain of operators in order.
        String flow = graph.getVerticesSortedTopologicallyFromSources().stream().map(JobVertex::getName).collect(Collectors.joining(" | "));
        assertThat(flow.indexOf("attribute device -> pseudonymise")).as(flow).isNotNegative()
                .isLessThan(flow.indexOf("device windows")).isLessThan(flow.indexOf("count late hits"));

        String stored = new String(InstantiationUtil.serializeObject(graph), StandardCharsets.ISO_8859_1);
        assertThat(stored).contains(keyFile.toString());
        for (int i = 0; i + 8 <= secret.length(); i += 8) {
            assertThat(stored).as("a piece of the key").doesNotContain(secret.substring(i, i + 8));
        }
    }

    /** One matcher for all inputs, as one list per parallel task is all the heap must hold. */
    private static void assertMatchersBehindChannels(List<String> names) {
        assertThat(names).contains("Source: replay files");
        assertThat(names).filteredOn(n -> n.contains("match blocklist")).singleElement()
                .satisfies(n -> assertThat(n).doesNotContain("Source:"));
    }

    @Test
    void replaysChainOnlyWhileEveryMatchersCopyOfTheListFitsTheBudget() {
        assertThat(DetectionJob.copiesFit(14, 120)).isTrue();
        assertThat(DetectionJob.copiesFit(2, 1_000_000)).isTrue();
        assertThat(DetectionJob.copiesFit(3, 1_000_000)).as("3 copies of a million rules").isFalse();
    }

    @Test
    void theChainedMatcherRefusesAJobThatCheckpoints() throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        assertThat(ChainedBroadcast.possibleIn(env)).as("checkpoints").isFalse();
        assertThatThrownBy(() -> ChainedBroadcast.connect(log(env), noUpdates(env), new BlocklistMatcher(List.of()),
                TypeInformation.of(Hit.class), "match blocklist", List.of(BlocklistMatcher.RULES, BlocklistMatcher.VERSION)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("checkpoint");
    }

    /**
     * A watched list file (--blocklist-updates) never ends. A chained source's own end must still close the event
     * time of its records, or no window would ever close: Flink emits a finished source's final watermark from the
     * task, and this task lives on with the broadcast input.
     */
    @Test
    @Timeout(120) // a guard against a hang, not a timing assertion
    void windowsCloseWhenTheFilesEndThoughTheUpdateStreamStaysOpen(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("flows.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add("{\"ts\":\"2026-11-24T09:0" + i + ":00Z\",\"kind\":\"dns\",\"client_ip\":\"10.0.0.5\",\"client_port\":5000,"
                    + "\"server_ip\":\"10.0.0.53\",\"server_port\":53,\"name\":\"api16-normal-c-useast1a.tiktokv.com\"}");
        }
        Files.write(log, lines);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<DecodedLine> logs = replay(env, log.toString());
        DataStream<BlocklistUpdate> endless = EmptySource.forever(env, TypeInformation.of(BlocklistUpdate.class), "endless updates");
        Outputs out = DetectionJob.defineWorkflow(List.of(logs), endless,
                BlocklistParser.parseDefault().rules(), DeviceInventory.empty(), SETTINGS);

        List<String> statuses = new ArrayList<>();
        try (CloseableIterator<Violation> violations = out.violations().executeAndCollect()) {
            while (!statuses.contains("final")) {
                statuses.add(violations.next().status);
            }
        }
        assertThat(statuses).containsExactly("early", "final");
    }
}
