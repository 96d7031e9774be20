package org.tiktokdetector.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.cli.Main;
import org.tiktokdetector.kafka.KafkaBroker;
import org.tiktokdetector.kafka.ListProbe;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * target/tiktok-detector-flink.jar on a real Flink session cluster (separate JobManager and TaskManager
 * JVMs, user-code classloading, the blob server), submitted with the real {@code flink} CLI through
 * jobs/submit.sh and the options of jobs/compose.conf, against a real Kafka broker. The job survives a
 * TaskManager killed with SIGKILL (a new TaskManager takes over from the last checkpoint) and a stop with
 * a savepoint followed by {@code flink run -s}; rules arrive on the control topic before each. The flow
 * records come in phases so that windows straddle the crash and the savepoint. Expected: exactly the
 * violations and hits a local run of the same records with the same rules makes, each once under
 * read_committed. Needs the packaged jar: `mvn -B verify` (README "Tests").
 */
class SessionClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path CLUSTER_JAR = Path.of("target/tiktok-detector-flink.jar");
    private static final String RULE_1 = "example-new-tiktok-domain.com";
    private static final String RULE_2 = "another-new-tiktok-domain.com";
    private static final String HOST_1 = "api." + RULE_1;
    private static final String HOST_2 = "cdn." + RULE_2;
    private static final String APP_HOST = "api16-normal-c-useast1a.tiktokv.com";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    private final List<String> sent = new ArrayList<>();
    private KafkaBroker kafka;
    private FlinkSessionCluster flink;
    private Path dir;

    @Test
    void clusterJarSurvivesATaskManagerKillAndASavepointResumeExactlyOnce() throws Exception {
        assertThat(CLUSTER_JAR).as("the cluster jar; build it with mvn -B package -DskipTests, or run mvn -B verify").exists();
        dir = Path.of("target/session-cluster", "run-" + System.currentTimeMillis());
        // Event time ahead of the wall clock, so quiet spells (which let event time follow the wall clock)
        // never close a window the test is still filling; 10-minute windows from here.
        Instant t0 = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
        // The cluster's JVMs boot while the broker starts in this one.
        try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir); KafkaBroker broker = KafkaBroker.start()) {
            kafka = broker;
            flink = cluster;
            Process firstTaskManager = flink.startTaskManager();
            // The topics docker-compose's init service creates.
            kafka.createTopics(2, "flows", "violations", "hits", "dead-letter", "late-hits");
            kafka.createCompactedTopic("blocklist");
            String firstTaskManagerId = flink.await("/taskmanagers", WAIT, t -> t.path("taskmanagers").size() == 1, "a TaskManager")
                    .path("taskmanagers").get(0).path("id").asText();

            String jobId = submit(Map.of(), "submit.log");
            JsonNode checkpoints = awaitRunning(jobId);
            assertThat(checkpoints.path("counts").path("restored").asInt()).isZero();
            // The job fills the first TaskManager's slots; a second one boots now to take over after the kill.
            assertThat(flink.rest("/taskmanagers/" + firstTaskManagerId).path("freeSlots").asInt()).isZero();
            flink.startTaskManager();
            ListProbe list = new ListProbe(kafka, "flows", "hits", WAIT, () -> {});

            // A rule from the control topic, in force before the first record that needs it.
            kafka.send("blocklist", List.<String[]>of(new String[] {RULE_1, "tiktok-app"}));
            list.probeUntil(HOST_1, true, t0.plusSeconds(30));

            // Phase 1, window t0..t0+10m: A1-A3 three hits each (not yet a violation), D1 six (an early one).
            send(0, hits("A1", HOST_1, t0.plusSeconds(60), 3), hits("A3", HOST_1, t0.plusSeconds(70), 3),
                    hits("D1", APP_HOST, t0.plusSeconds(90), 6));
            send(1, hits("A2", HOST_1, t0.plusSeconds(65), 3));
            awaitHits(15);
            // Hits are committed when a checkpoint completes: phase 1 is behind a checkpoint now.
            assertThat(flink.rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt()).isPositive();
            // Only the restored broadcast state can bring the rule back: the topic no longer has it.
            kafka.deleteRecords("blocklist");

            // Phase 2a, then SIGKILL once the job has written its hits (in a transaction not yet committed, unless
            // a checkpoint came first): the new attempt must redo them from the checkpoint, once.
            send(0, hits("A1", HOST_1, t0.plusSeconds(240), 1), hits("A3", HOST_1, t0.plusSeconds(242), 1));
            send(1, hits("A2", HOST_1, t0.plusSeconds(241), 1));
            kafka.awaitUncommitted("hits", WAIT, v -> v.stream().filter(h -> h.contains(t0.plusSeconds(240).toString().substring(0, 16))).count() >= 3);
            flink.await("/taskmanagers", WAIT, t -> t.path("taskmanagers").size() == 2, "the second TaskManager");
            firstTaskManager.destroyForcibly();
            assertThat(firstTaskManager.waitFor()).as("exit of the killed TaskManager").isEqualTo(137);

            // Phase 2b: A1-A3 cross the threshold in the window that straddles the crash; t0+12m closes it.
            send(0, hits("A1", HOST_1, t0.plusSeconds(300), 2), hits("A3", HOST_1, t0.plusSeconds(302), 2),
                    hits("D1", APP_HOST, t0.plusSeconds(330), 1), closer("clock-0", t0.plusSeconds(720)),
                    hits("B1", HOST_1, t0.plusSeconds(730), 3), hits("B3", HOST_1, t0.plusSeconds(732), 3));
            send(1, hits("A2", HOST_1, t0.plusSeconds(301), 2), closer("clock-1", t0.plusSeconds(720)),
                    hits("B2", HOST_1, t0.plusSeconds(731), 3));
            JsonNode restored = flink.await("/jobs/" + jobId + "/checkpoints", WAIT,
                    c -> c.path("counts").path("restored").asInt() >= 1, "the job restored from a checkpoint after the kill");
            assertThat(restored.path("latest").path("restored").path("is_savepoint").asBoolean()).isFalse();

            // A second rule between the crash and the savepoint.
            kafka.send("blocklist", List.<String[]>of(new String[] {RULE_2, "tiktok-app"}));
            list.probeUntil(HOST_2, true, t0.plusSeconds(750));
            awaitHits(15 + 3 + 7 + 9);
            kafka.deleteRecords("blocklist");

            String stopped = FlinkSessionCluster.run(List.of(flink.flinkCommand().toString(), "stop", "--savepointPath",
                    flink.savepoints().toAbsolutePath().toUri().toString(), jobId), Map.of(), dir.resolve("log/stop.log"), WAIT);
            Matcher savepoint = SAVEPOINT.matcher(stopped);
            assertThat(savepoint.find()).as("flink stop output: %s", stopped).isTrue();
            flink.await("/jobs/" + jobId, WAIT, j -> j.path("state").asText().equals("FINISHED"), "the stopped job to finish");

            // Phase 3, while the job is stopped: B1-B3 cross the threshold in the window that straddles the
            // savepoint (with the second rule), E1 with the first rule; t0+22m closes the window.
            send(0, hits("B1", HOST_2, t0.plusSeconds(900), 3), hits("B3", HOST_2, t0.plusSeconds(902), 3),
                    closer("clock-0", t0.plusSeconds(1320)));
            send(1, hits("B2", HOST_2, t0.plusSeconds(901), 3), hits("E1", HOST_1, t0.plusSeconds(960), 5),
                    closer("clock-1", t0.plusSeconds(1320)));

            CompletableFuture<Expected> expected = CompletableFuture.supplyAsync(this::expected);
            String resumedId = submit(Map.of("FLINK_RUN_OPTS", "-s " + savepoint.group(1)), "resume.log");
            awaitRunning(resumedId);
            flink.await("/jobs/" + resumedId + "/checkpoints", WAIT, c -> c.path("latest").path("restored").path("is_savepoint").asBoolean(),
                    "the resumed job to report its savepoint");

            Expected local = expected.get();
            kafka.awaitValues("violations", WAIT, v -> v.size() >= local.violations().size());
            awaitHits(local.hits().size());

            assertThat(committed("violations", true)).containsExactlyInAnyOrderElementsOf(local.violations());
            assertThat(committed("hits", false)).containsExactlyInAnyOrderElementsOf(local.hits());
            assertThat(kafka.readAllCommitted("dead-letter")).isEmpty();
            assertThat(kafka.readAllCommitted("late-hits")).as("nothing late: every window straddled intact").isEmpty();
        }
    }

    private record Expected(List<String> violations, List<String> hits) {}

    /** What a local run (embedded Flink, files) makes of every flow record sent, with both rules from the start. */
    private Expected expected() {
        try {
            return runLocally();
        } catch (Exception e) {
            throw new AssertionError("the local run", e);
        }
    }

    private Expected runLocally() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        List<String> byTime = new ArrayList<>(sent);
        byTime.sort(Comparator.comparing(l -> json(l).get("ts").asText()));
        Path input = Files.write(local.resolve("flows.jsonl"), byTime);
        Path rules = Files.writeString(local.resolve("rules.list"), "[tiktok-app]\n" + RULE_1 + "\n" + RULE_2 + "\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("detect", "--input", input.toString(), "--blocklist", rules.toString(),
                        "--out", local.resolve("violations.jsonl").toString(), "--hits", local.resolve("hits.jsonl").toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("local run: %s", err).isZero();
        List<String> violations = Files.readAllLines(local.resolve("violations.jsonl")).stream().map(v -> comparable(v, true)).toList();
        List<String> hits = Files.readAllLines(local.resolve("hits.jsonl")).stream().map(h -> comparable(h, false)).toList();
        assertThat(violations).as("an early and a final violation for each of the 8 devices that cross the threshold").hasSize(16);
        return new Expected(violations, hits);
    }

    private static final List<String> READ_FROM = List.of("source", "line");

    /** A violation or hit without what only says which run made it (list version, rule origin, where read); probes dropped. */
    private static String comparable(String record, boolean violation) {
        ObjectNode j = (ObjectNode) json(record);
        j.remove(List.of("list_version", "rule_origin"));
        // Where a record was read differs by design: the cluster reads a topic, the local run a file with lines.
        j.remove(READ_FROM);
        if (j.get("handles") != null) {
            j.get("handles").forEach(h -> ((ObjectNode) h).remove(READ_FROM));
        }
        return violation || !ListProbe.isProbe(j.get("device_id").asText()) ? j.toString() : null;
    }

    private List<String> committed(String topic, boolean violations) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topic)) {
            String c = comparable(new String(r.value(), StandardCharsets.UTF_8), violations);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** Waits until {@code n} hits of the scenario's devices (not probes) are committed. */
    private void awaitHits(int n) {
        kafka.awaitValues("hits", WAIT, v -> v.stream().filter(h -> !ListProbe.isProbe(json(h).get("device_id").asText())).count() >= n,
                () -> {});
    }

    /** Submits the cluster jar with jobs/submit.sh: jobs/compose.conf pointed at the test broker, checkpoints every second. */
    private String submit(Map<String, String> env, String log) throws Exception {
        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("jobs/compose.conf"))) {
            if (line.startsWith("--kafka-bootstrap ")) {
                line = "--kafka-bootstrap " + kafka.bootstrap();
            } else if (line.startsWith("--checkpoint-interval ")) {
                line = "--checkpoint-interval 1s";
            }
            conf.add(line);
        }
        assertThat(conf).contains("--kafka-bootstrap " + kafka.bootstrap(), "--checkpoint-interval 1s");
        Path confFile = Files.write(dir.resolve("detect.conf"), conf);
        Map<String, String> all = new HashMap<>(env);
        all.put("FLINK", flink.flinkCommand().toString());
        all.put("JAR", CLUSTER_JAR.toString());
        String out = FlinkSessionCluster.run(List.of("bash", "jobs/submit.sh", confFile.toString()), all, dir.resolve("log/" + log), WAIT);
        Matcher id = JOB_ID.matcher(out);
        assertThat(id.find()).as("flink run output: %s", out).isTrue();
        return id.group(1);
    }

    /** Waits until every task of the job runs and a first checkpoint completed; returns its checkpoint statistics. */
    private JsonNode awaitRunning(String jobId) throws InterruptedException {
        flink.await("/jobs/" + jobId, WAIT, FlinkSessionCluster::allTasksRunning, "every task of job " + jobId + " running");
        return flink.await("/jobs/" + jobId + "/checkpoints", WAIT, c -> c.path("counts").path("completed").asInt() > 0,
                "a completed checkpoint of job " + jobId);
    }

    @SafeVarargs
    private void send(int partition, List<String>... groups) throws Exception {
        List<String> lines = new ArrayList<>();
        for (List<String> g : groups) {
            lines.addAll(g);
        }
        sent.addAll(lines);
        kafka.sendValues("flows", partition, lines);
    }

    /** {@code n} flow records of a device for a name, one second apart from {@code from}. */
    private static List<String> hits(String device, String name, Instant from, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(ListProbe.flow(from.plusSeconds(i), device, name));
        }
        return lines;
    }

    /** A record no list matches: it only moves its partition's event time on. */
    private static List<String> closer(String device, Instant at) {
        return List.of(ListProbe.flow(at, device, "www.example.org"));
    }

    private static JsonNode json(String s) {
        try {
            return FlowRecordJson.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
