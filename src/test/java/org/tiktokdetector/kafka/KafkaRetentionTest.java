package org.tiktokdetector.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tiktokdetector.DetectRun;
import org.tiktokdetector.records.FlowRecordJson;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill of month-old records in Kafka mode, on a broker that enforces time-based retention the way
 * production brokers do, only faster: a retention check every 200 ms (default 5 min), segments that roll
 * after 1 s, output topics that keep 1 day. The job runs as {@code detect --until-latest} on a MiniCluster;
 * the test then waits for two retention checks after the job ended and reads the outputs with
 * read_committed. Retention checks are seen on a canary topic: a record stamped a month ago is gone (the
 * log start offset passes it) once a check has run; each check goes over every topic.
 */
class KafkaRetentionTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> KEEP_ONE_DAY = Map.of("retention.ms", Long.toString(Duration.ofDays(1).toMillis()));
    private static final Instant MONTH_AGO = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.HOURS);
    private static final List<String> DEVICES = List.of("LAPTOP-1", "LAPTOP-2", "LAPTOP-3");
    private static final int THRESHOLD = 3;
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start(Map.of(
                "log.retention.check.interval.ms", "200",
                "log.initial.task.delay.ms", "0",
                "log.roll.ms", "1000"));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** What a backfill run left in its output topics after two retention checks. */
    private record Backfill(String violationsTopic, long violationsStartAfterChecks,
                            List<JsonNode> violations, List<JsonNode> hits, List<JsonNode> deadLetters) {}

    /** Three devices, each over the threshold in one 10-minute window a month ago, and one malformed line. */
    private static Backfill backfill(String name, String... options) throws Exception {
        String flows = "flows-" + name;
        String violations = "violations-" + name;
        String hits = "hits-" + name;
        String deadLetters = "dead-letter-" + name;
        String late = "late-hits-" + name;
        for (String topic : List.of(flows, violations, hits, deadLetters, late)) {
            kafka.createTopic(topic, KEEP_ONE_DAY);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= THRESHOLD; i++) {
            for (String device : DEVICES) {
                lines.add(KafkaDetectionIntegrationTest.flow(MONTH_AGO.plusSeconds(60L * i), device, "api16-normal-c-useast1a.tiktokv.com"));
            }
        }
        lines.add("not a flow record");
        kafka.sendValues(flows, lines);

        List<String> argv = new ArrayList<>(List.of("detect", "--kafka-bootstrap", kafka.bootstrap(),
                "--flows-topic", flows, "--violations-topic", violations, "--hits-topic", hits, "--dead-letter-topic", deadLetters,
                "--late-topic", late, "--group-id", "group-" + name, "--transactional-id-prefix", "tx-" + name, "--checkpoint-interval", "300ms",
                "--parallelism", "2", "--threshold", Integer.toString(THRESHOLD), "--until-latest"));
        argv.addAll(List.of(options));
        DetectRun run = DetectRun.of(argv.toArray(String[]::new));
        assertThat(run.exit()).as("detect; stderr: %s", run.err()).isZero();

        String canary = "canary-" + name;
        kafka.createTopic(canary, KEEP_ONE_DAY);
        awaitRetentionCheck(canary);
        awaitRetentionCheck(canary);
        return new Backfill(violations, kafka.logStartOffset(violations),
                values(violations), values(hits), values(deadLetters));
    }

    /**
     * Writes a canary record stamped a month ago and waits until the broker has deleted it: a retention
     * check has run since, over every topic.
     */
    private static void awaitRetentionCheck(String canary) throws Exception {
        long offset;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            offset = producer.send(new ProducerRecord<>(canary, null, MONTH_AGO.toEpochMilli(), null,
                    "canary".getBytes(StandardCharsets.UTF_8))).get().offset();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (kafka.logStartOffset(canary) <= offset) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no retention check deleted the canary at offset " + offset + " within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private static List<JsonNode> values(String topic) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : kafka.readAllCommitted(topic)) {
            out.add(FlowRecordJson.MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static Set<String> deviceAndStatus(List<JsonNode> violations) {
        Set<String> s = new HashSet<>();
        violations.forEach(v -> s.add(v.get("device_id").asText() + "|" + v.get("status").asText()));
        return s;
    }

    @Test
    void detectionTimeStampsKeepEveryOutputOfAMonthOldBackfill() throws Exception {
        Backfill b = backfill("detection");

        assertThat(b.violationsStartAfterChecks()).as("log start offset of %s: nothing deleted", b.violationsTopic()).isZero();
        assertThat(b.violations()).hasSize(2 * DEVICES.size());
        assertThat(deviceAndStatus(b.violations())).containsExactlyInAnyOrder(
                "LAPTOP-1|early", "LAPTOP-1|final", "LAPTOP-2|early", "LAPTOP-2|final", "LAPTOP-3|early", "LAPTOP-3|final");
        assertThat(b.violations()).allSatisfy(v ->
                assertThat(v.get("window_start").asText()).as("event time stays in the payload").isEqualTo(MONTH_AGO.toString()));
        assertThat(b.hits()).hasSize(THRESHOLD * DEVICES.size());
        assertThat(b.deadLetters()).extracting(d -> d.get("original").asText()).containsExactly("not a flow record");
    }

    /** The same run with the old stamps: the broker deletes what the job wrote. This is what the default prevents. */
    @Test
    void eventTimeStampsLoseTheBackfillToRetention() throws Exception {
        Backfill b = backfill("event", "--kafka-timestamps", "event");

        assertThat(b.violationsStartAfterChecks()).as("log start offset of %s", b.violationsTopic()).isPositive();
        assertThat(b.violations().size()).as("violations still readable").isLessThan(2 * DEVICES.size());
        assertThat(b.hits().size()).as("hits still readable").isLessThan(THRESHOLD * DEVICES.size());
    }
}
