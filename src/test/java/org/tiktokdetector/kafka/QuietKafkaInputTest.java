package org.tiktokdetector.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tiktokdetector.aggregate.LateHits;
import org.tiktokdetector.records.FlowRecordJson;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live Kafka input that goes quiet, on a real broker, with the job running until cancelled (no --until-latest):
 * event times are the wall clock's, as a tap's are. Once the input has been quiet for --idle-timeout its event time
 * follows the wall clock, so a window closes without a later record; records that come back behind that time (a
 * sensor's backlog after an outage) are counted in their window within --allowed-lateness and kept as late hits,
 * with their reason, after it. Short settings keep it quick: 4 s windows, 1 s out-of-orderness, 2 s idle timeout,
 * checkpoints every second.
 */
class QuietKafkaInputTest {
    private static final Duration WINDOW = Duration.ofSeconds(4);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CHECKPOINTS = Duration.ofSeconds(1);
    private static final Duration ALLOWED_LATENESS = Duration.ofSeconds(60);
    /**
     * What the bound leaves out: the periodic watermark (every 200 ms), the checkpoint's own run and commit, and the
     * consumer's fetch (up to its fetch.max.wait.ms, 500 ms), on two cores shared with other builds.
     */
    private static final Duration SCHEDULING = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TIKTOK = "api16-normal-c-useast1a.tiktokv.com";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(heartbeatsEvery500ms()).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final AtomicInteger RUN = new AtomicInteger();
    private static KafkaBroker kafka;

    /** Accumulators of a running job reach the job manager with the task manager's heartbeat (default every 10 s). */
    private static Configuration heartbeatsEvery500ms() {
        Configuration c = new Configuration();
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
        return c;
    }

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A running detect job on fresh topics, confirmed to be reading: a malformed record's dead letter is out. */
    private record Live(DetectInBackground job, String flows, String violations, String late) {
        static Live start(ClusterClient<?> flink) throws Exception {
            int n = RUN.incrementAndGet();
            String flows = "flows-" + n;
            String violations = "violations-" + n;
            String deadLetters = "dead-letter-" + n;
            String late = "late-hits-" + n;
            kafka.createTopics(1, flows, violations, deadLetters, late);
            DetectInBackground job = DetectInBackground.start(List.of("detect", "--kafka-bootstrap", kafka.bootstrap(),
                    "--flows-topic", flows, "--violations-topic", violations, "--dead-letter-topic", deadLetters,
                    "--late-topic", late, "--group-id", "group-" + flows, "--transactional-id-prefix", "tx-" + flows,
                    "--parallelism", "2", "--threshold", "3", "--window", WINDOW.toMillis() + "ms",
                    "--out-of-orderness", OUT_OF_ORDERNESS.toMillis() + "ms", "--idle-timeout", IDLE_TIMEOUT.toMillis() + "ms",
                    "--checkpoint-interval", CHECKPOINTS.toMillis() + "ms", "--allowed-lateness", ALLOWED_LATENESS.toMillis() + "ms"), flink);
            kafka.sendValues(flows, List.of("not a flow record"));
            kafka.awaitValues(deadLetters, WAIT, v -> !v.isEmpty(), job::alive);
            return new Live(job, flows, violations, late);
        }

        void hits(String device, Instant at, int count) throws Exception {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                lines.add(KafkaDetectionIntegrationTest.flow(at, device, TIKTOK));
            }
            kafka.sendValues(flows, lines);
        }
    }

    private static long windowEnd(Instant t) {
        return (t.toEpochMilli() / WINDOW.toMillis() + 1) * WINDOW.toMillis();
    }

    @Test
    void aQuietInputsWindowIsFinalWithinOutOfOrdernessPlusIdleTimeoutPlusACheckpointOfItsEnd(
            @InjectClusterClient ClusterClient<?> flink) throws Exception {
        Live live = Live.start(flink);
        try (live.job) {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            live.hits("LAPTOP-Q", at, 3);
            long end = windowEnd(at);

            // Nothing follows: only the quiet input's event time following the wall clock can close the window.
            ConsumerRecord<byte[], byte[]> fin = awaitFinal(live, "LAPTOP-Q");
            long readable = System.currentTimeMillis() - end;
            long written = fin.timestamp() - end; // the sink stamps the time it wrote the record (detection time)
            long bound = OUT_OF_ORDERNESS.plus(IDLE_TIMEOUT).plus(CHECKPOINTS).toMillis();
            System.out.printf("quiet Kafka input: records at %d ms before the end of their %d s window; final violation"
                            + " written %d ms and readable (read_committed) %d ms after the window's end; bound %d ms"
                            + " (out-of-orderness + idle timeout + checkpoint interval) + %d ms scheduling%n",
                    end - at.toEpochMilli(), WINDOW.toSeconds(), written, readable, bound, SCHEDULING.toMillis());
            assertThat(written).as("written before the out-of-orderness had passed").isGreaterThanOrEqualTo(OUT_OF_ORDERNESS.toMillis());
            assertThat(readable).isLessThanOrEqualTo(bound + SCHEDULING.toMillis());
            live.job.alive();
        }
    }

    /**
     * A sensor back from an outage sends what it buffered: event time has meanwhile followed the wall clock past
     * those records' windows. Records whose window closed less than the allowed lateness ago are counted in it (a
     * final violation for a device only the backlog saw); older ones go to the late-hits topic, each with its reason,
     * and are counted; nothing is dropped.
     */
    @Test
    void aBacklogBehindTheClockDrivenEventTimeIsCountedInItsWindowOrKeptAsLateHits(
            @InjectClusterClient ClusterClient<?> flink) throws Exception {
        Live live = Live.start(flink);
        try (live.job) {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            live.hits("LAPTOP-LIVE", at, 3);
            awaitFinal(live, "LAPTOP-LIVE"); // the input went quiet and event time passed the window's end

            // Behind event time now, closed less than the allowed lateness ago (the final above took seconds, not 60):
            live.hits("SENSOR-BACK-RECENT", at, 3);
            // Behind by more than the allowed lateness:
            Instant old = at.minus(ALLOWED_LATENESS.multipliedBy(2));
            live.hits("SENSOR-BACK-OLD", old, 3);

            JsonNode recent = json(awaitFinal(live, "SENSOR-BACK-RECENT"));
            assertThat(recent.get("hit_count").asLong()).isEqualTo(3);
            assertThat(recent.get("window_end").asText()).isEqualTo(Instant.ofEpochMilli(windowEnd(at)).toString());
            List<JsonNode> late = new ArrayList<>();
            for (String v : kafka.awaitValues(live.late, WAIT, v -> v.size() >= 3, live.job::alive)) {
                late.add(FlowRecordJson.MAPPER.readTree(v));
            }
            assertThat(late).extracting(h -> h.get("device_id").asText()).containsOnly("SENSOR-BACK-OLD");
            long oldStart = windowEnd(old) - WINDOW.toMillis();
            assertThat(late).allSatisfy(h -> assertThat(h.get("late_reason").asText()).startsWith("its window "
                    + Instant.ofEpochMilli(oldStart) + " - " + Instant.ofEpochMilli(windowEnd(old)) + " had closed"));
            assertThat(lateHitsCounted(live, flink, 3)).isEqualTo(3);

            List<String> devices = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(live.violations)) {
                devices.add(json(r).get("device_id").asText());
            }
            assertThat(devices).as("no violation from hits that were kept as late").doesNotContain("SENSOR-BACK-OLD");
            assertThat(kafka.readAllCommitted(live.late)).hasSize(3);
            live.job.alive();
        }
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) throws Exception {
        return FlowRecordJson.MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8));
    }

    /** Follows the violations topic (read_committed) until the device's final record is readable. */
    private static ConsumerRecord<byte[], byte[]> awaitFinal(Live live, String device) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = kafka.readCommittedConsumer()) {
            TopicPartition p0 = new TopicPartition(live.violations, 0);
            c.assign(List.of(p0));
            c.seekToBeginning(List.of(p0));
            while (System.nanoTime() < deadline) {
                live.job.alive();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    JsonNode v = json(r);
                    if (v.get("device_id").asText().equals(device) && v.get("status").asText().equals("final")) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no final violation for " + device + " within " + WAIT);
    }

    /** The job's late-hits accumulator once it counts {@code expected}; asked every 100 ms up to the deadline. */
    private static long lateHitsCounted(Live live, ClusterClient<?> flink, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object count = null;
        while (System.nanoTime() < deadline) {
            count = flink.getAccumulators(live.job.job()).get().get(LateHits.ACCUMULATOR);
            if (count != null && ((Number) count).longValue() >= expected) {
                return ((Number) count).longValue();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("late-hits accumulator still " + count + " after " + WAIT);
    }
}
