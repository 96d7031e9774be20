package org.tiktokdetector.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.cli.Main;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.emit.Format;
import org.tiktokdetector.emit.KafkaOutputs;
import org.tiktokdetector.emit.Outputs;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.source.KafkaInputs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production path end to end: a real Kafka broker (KRaft, in this JVM), the job on a Flink
 * MiniCluster with parallelism 2, records produced and read with real clients. The {@code detect}
 * runs go through the same CLI as {@code jobs/submit.sh} and docker-compose; runs that must end use
 * {@code --until-latest} (the sources stop at the offsets that were the latest at start-up), runs that
 * must keep going (list updates, a failure) are cancelled once their output has been checked. All
 * waiting is on Kafka consumer polls for the records a step must produce; nothing sleeps.
 */
class KafkaDetectionIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger RUN = new AtomicInteger();
    /** Event time of list probes: before the windows the tests fill. */
    private static final Instant PROBE_TIME = Instant.parse("2026-11-25T08:00:00Z");
    private static KafkaBroker kafka;

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

    /** Topic names of one test: fresh ones, so tests never see each other's records. */
    private record Topics(String flows, String blocklist, String violations, String hits, String deadLetters, String late) {
        static Topics create() throws Exception {
            int n = RUN.incrementAndGet();
            Topics t = new Topics("flows-" + n, "blocklist-" + n, "violations-" + n, "hits-" + n, "dead-letter-" + n, "late-hits-" + n);
            kafka.createTopics(1, t.flows, t.violations, t.hits, t.deadLetters, t.late);
            kafka.createCompactedTopic(t.blocklist);
            return t;
        }

        List<String> detect(String... more) {
            List<String> a = new ArrayList<>(List.of("detect", "--kafka-bootstrap", kafka.bootstrap(),
                    "--flows-topic", flows, "--violations-topic", violations, "--dead-letter-topic", deadLetters,
                    "--late-topic", late, "--group-id", "group-" + flows, "--transactional-id-prefix", "tx-" + flows,
                    "--checkpoint-interval", "300ms", "--parallelism", "2"));
            a.addAll(List.of(more));
            return a;
        }
    }

    static String flow(String ts, String device, String name) {
        return flow(Instant.parse("2026-11-25T" + ts + "Z"), device, name);
    }

    static String flow(Instant ts, String device, String name) {
        return ListProbe.flow(ts, device, name);
    }

    private static JsonNode json(String s) throws Exception {
        return FlowRecordJson.MAPPER.readTree(s);
    }

    private static int cli(List<String> argv, ByteArrayOutputStream out) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code of %s; stderr: %s", argv.get(0), err.toString(StandardCharsets.UTF_8)).isZero();
        return code;
    }

    /**
     * The detect arguments docker-compose's client submits (jobs/compose.conf, expanded by
     * jobs/submit.sh), pointed at the test broker, checkpointing every 300ms, ending at the latest offsets.
     */
    private static List<String> composeDetectArgs() throws Exception {
        Process p = new ProcessBuilder("bash", "jobs/submit.sh", "--print-args", "jobs/compose.conf").redirectErrorStream(true).start();
        List<String> args = new ArrayList<>(List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        assertThat(p.waitFor()).as("jobs/submit.sh --print-args: %s", args).isZero();
        args.set(args.indexOf("--kafka-bootstrap") + 1, kafka.bootstrap());
        args.set(args.indexOf("--checkpoint-interval") + 1, "300ms");
        args.add(0, "detect");
        args.add("--until-latest");
        return args;
    }

    /**
     * The README's docker-compose walkthrough: jobs/sample-flows.jsonl (Zeek, Suricata EVE and own flow
     * records, one malformed line) produced into the flows topic, detect with the compose flags.
     */
    @Test
    void sampleFlowsInViolationsOutKeyedByDeviceWithTheComposeFlags() throws Exception {
        kafka.createTopics(2, "flows", "violations", "hits", "dead-letter", "late-hits");
        kafka.createCompactedTopic("blocklist");
        cli(List.of("produce", "--kafka-bootstrap", kafka.bootstrap(), "--kafka-properties", "jobs/kafka/plaintext.properties",
                "--topic", "flows", "jobs/sample-flows.jsonl"), new ByteArrayOutputStream());

        cli(composeDetectArgs(), new ByteArrayOutputStream());

        ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        cli(List.of("consume", "--kafka-bootstrap", kafka.bootstrap(), "--kafka-properties", "jobs/kafka/plaintext.properties",
                "--topic", "violations", "--from-beginning", "--max", "4", "--timeout", "20s"), consumed);
        Map<String, List<JsonNode>> byDevice = new HashMap<>();
        for (String v : consumed.toString(StandardCharsets.UTF_8).lines().toList()) {
            JsonNode j = json(v);
            byDevice.computeIfAbsent(j.get("device_id").asText(), k -> new ArrayList<>()).add(j);
        }
        assertThat(byDevice).containsOnlyKeys("10.20.1.15", "DESKTOP-0310");
        List<JsonNode> app = byDevice.get("10.20.1.15");
        assertThat(app).extracting(j -> j.get("status").asText()).containsExactly("early", "final");
        assertThat(app).extracting(j -> j.get("hit_count").asLong()).containsExactly(5L, 6L);
        assertThat(app).extracting(j -> j.get("severity").asText()).containsOnly("high");
        assertThat(app.get(1).get("evidence").get("dns").asLong()).isEqualTo(2);
        assertThat(app.get(1).get("violation_id").asText()).isEqualTo(app.get(0).get("violation_id").asText());
        List<JsonNode> embed = byDevice.get("DESKTOP-0310");
        assertThat(embed).extracting(j -> j.get("status").asText()).containsExactly("early", "final");
        assertThat(embed).extracting(j -> j.get("severity").asText()).containsOnly("low");

        List<ConsumerRecord<byte[], byte[]>> all = kafka.readAllCommitted("violations");
        assertThat(all).hasSize(4);
        assertThat(all).allSatisfy(r -> assertThat(json(new String(r.value(), StandardCharsets.UTF_8)).get("device_id").asText())
                .isEqualTo(new String(r.key(), StandardCharsets.UTF_8)));
        assertThat(kafka.readAllCommitted("hits")).hasSize(13);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAllCommitted("dead-letter");
        assertThat(dead).hasSize(1);
        assertThat(json(new String(dead.get(0).value(), StandardCharsets.UTF_8)).get("reason").asText()).contains("client_ip");
        assertThat(kafka.readAllCommitted("late-hits")).isEmpty();
    }

    /**
     * --bindings-topic: DHCP (Zeek and Suricata) and NAC records in a topic of their own meet the flows by address in
     * event time. A phone holds 10.30.0.5, then moves to 10.30.0.6 (NAC); a second phone gets 10.30.0.5. The bindings
     * are produced after the flows: event time, not arrival, decides.
     */
    @Test
    void aBindingsTopicAttributesHitsToTheDeviceThatHeldTheAddress(@TempDir Path dir) throws Exception {
        Topics t = Topics.create();
        String bindings = "bindings-" + t.flows;
        kafka.createTopics(2, bindings);
        Path devices = Files.writeString(dir.resolve("devices.csv"), "match,device_id,owner,department\n"
                + "6a:1f:3c:90:22:01,PHONE-A,e.claes,Education\n");
        List<String> flows = new ArrayList<>();
        for (String at : List.of("09:01:00", "09:02:00", "09:03:00", "09:06:10", "09:06:20")) {
            flows.add(addressFlow(at, "10.30.0.5"));
        }
        for (String at : List.of("09:07:00", "09:08:00")) {
            flows.add(addressFlow(at, "10.30.0.6"));
        }
        kafka.sendValues(t.flows, flows);
        kafka.sendValues(bindings, List.of(
                "{\"ts\":" + Instant.parse("2026-11-25T09:00:00Z").getEpochSecond() + ".5,\"uids\":[\"C1\"],\"mac\":\"6a:1f:3c:90:22:01\","
                        + "\"assigned_addr\":\"10.30.0.5\",\"lease_time\":3600.0,\"msg_types\":[\"REQUEST\",\"ACK\"]}",
                "{\"timestamp\":\"2026-11-25T09:05:00.000000+0000\",\"event_type\":\"dhcp\",\"src_ip\":\"10.30.0.1\",\"src_port\":67,"
                        + "\"dest_ip\":\"10.30.0.5\",\"dest_port\":68,\"proto\":\"UDP\",\"dhcp\":{\"type\":\"reply\",\"id\":1,"
                        + "\"client_mac\":\"6a:1f:3c:90:22:02\",\"assigned_ip\":\"10.30.0.5\",\"dhcp_type\":\"ack\",\"renewal_time\":1800}}",
                "{\"binding\":\"start\",\"ts\":\"2026-11-25T09:04:30Z\",\"ip\":\"10.30.0.6\",\"mac\":\"6A:1F:3C:90:22:01\","
                        + "\"user_name\":\"e.claes\",\"nas_id\":\"wlc-1\"}"));

        cli(t.detect("--bindings-topic", bindings, "--hits-topic", t.hits, "--devices", devices.toString(), "--until-latest"),
                new ByteArrayOutputStream());

        List<String> hits = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(t.hits)) {
            JsonNode h = json(new String(r.value(), StandardCharsets.UTF_8));
            hits.add(h.get("ts").asText().substring(11, 19) + " " + h.get("client_ip").asText() + " " + h.get("device_id").asText()
                    + " " + h.get("attribution").asText());
        }
        assertThat(hits).containsExactlyInAnyOrder(
                "09:01:00 10.30.0.5 PHONE-A lease", "09:02:00 10.30.0.5 PHONE-A lease", "09:03:00 10.30.0.5 PHONE-A lease",
                "09:06:10 10.30.0.5 6a:1f:3c:90:22:02 lease", "09:06:20 10.30.0.5 6a:1f:3c:90:22:02 lease",
                "09:07:00 10.30.0.6 PHONE-A nac", "09:08:00 10.30.0.6 PHONE-A nac");
        List<JsonNode> violations = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(t.violations)) {
            violations.add(json(new String(r.value(), StandardCharsets.UTF_8)));
        }
        assertThat(violations).extracting(v -> v.get("device_id").asText() + " " + v.get("status").asText() + " " + v.get("hit_count").asInt())
                .containsExactly("PHONE-A early 5", "PHONE-A final 5");
        assertThat(violations.get(1).get("client_ips")).extracting(JsonNode::asText).containsExactlyInAnyOrder("10.30.0.5", "10.30.0.6");
        assertThat(violations.get(1).get("user_names")).extracting(JsonNode::asText).containsExactly("e.claes");
    }

    private static String addressFlow(String at, String ip) {
        return "{\"ts\":\"2026-11-25T" + at + "Z\",\"sensor\":\"tap-wifi\",\"kind\":\"tls\",\"client_ip\":\"" + ip
                + "\",\"name\":\"api16-normal-c-useast1a.tiktokv.com\"}";
    }

    /** --format and --final-only reach the topics: ECS alerts, final records only, keyed as before; dead letters stay native. */
    @Test
    void ecsFormatAndFinalOnlyReachTheTopics() throws Exception {
        Topics t = Topics.create();
        cli(List.of("produce", "--kafka-bootstrap", kafka.bootstrap(), "--topic", t.flows, "jobs/sample-flows.jsonl"),
                new ByteArrayOutputStream());
        cli(t.detect("--hits-topic", t.hits, "--format", "ecs", "--final-only", "--until-latest"), new ByteArrayOutputStream());

        List<ConsumerRecord<byte[], byte[]>> violations = kafka.readAllCommitted(t.violations);
        assertThat(violations).hasSize(2).allSatisfy(r -> {
            JsonNode alert = json(new String(r.value(), StandardCharsets.UTF_8));
            assertThat(alert.at("/event/kind").asText()).isEqualTo("alert");
            assertThat(alert.at("/tiktok_detector/status").asText()).isEqualTo("final");
            assertThat(alert.at("/host/id").asText()).isEqualTo(new String(r.key(), StandardCharsets.UTF_8));
        });
        assertThat(kafka.readAllCommitted(t.hits)).hasSize(13).allSatisfy(r ->
                assertThat(json(new String(r.value(), StandardCharsets.UTF_8)).at("/event/kind").asText()).isEqualTo("event"));
        assertThat(kafka.readAllCommitted(t.deadLetters)).singleElement().satisfies(r ->
                assertThat(json(new String(r.value(), StandardCharsets.UTF_8)).has("reason")).isTrue());
    }

    @Test
    void produceAndConsumeSayInOneLineThatTheTopicIsMissing(@TempDir Path dir) throws Exception {
        Path lines = Files.writeString(dir.resolve("flows.jsonl"), "{\"a\":1}\n");
        for (List<String> argv : List.of(
                List.of("produce", "--kafka-bootstrap", kafka.bootstrap(), "--topic", "no-such-topic", lines.toString()),
                List.of("consume", "--kafka-bootstrap", kafka.bootstrap(), "--topic", "no-such-topic"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(argv, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tiktok-detector " + argv.get(0) + ": topic no-such-topic does not exist at "
                    + kafka.bootstrap() + "; check --topic, or create it\n");
        }
    }

    @Test
    void malformedRecordsAndRefusedRulesBecomeDeadLetters() throws Exception {
        Topics t = Topics.create();
        String good = flow("09:00:01", "LAPTOP-1", "www.tiktok.com");
        String broken = "{\"ts\":\"2026-11-25T09:00:02Z\",\"kind\":";
        String noClient = "{\"ts\":\"2026-11-25T09:00:03Z\",\"kind\":\"dns\",\"name\":\"tiktokv.com\"}";
        kafka.sendValues(t.flows, List.of(good, broken, noClient));
        kafka.send(t.blocklist, List.of(new String[] {"co.uk", "tiktok-app"}, new String[] {"tiktokv.eu", "no-such-category"}));

        cli(t.detect("--until-latest", "--blocklist-topic", t.blocklist), new ByteArrayOutputStream());

        Map<String, JsonNode> byOriginal = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(t.deadLetters)) {
            JsonNode d = json(new String(r.value(), StandardCharsets.UTF_8));
            byOriginal.put(d.get("original").asText(), d);
        }
        assertThat(byOriginal).containsOnlyKeys(broken, noClient, "co.uk", "tiktokv.eu");
        JsonNode b = byOriginal.get(broken);
        assertThat(b.get("source").asText()).isEqualTo(t.flows);
        assertThat(b.get("partition").asInt()).isZero();
        assertThat(b.get("offset").asLong()).isEqualTo(1);
        assertThat(b.get("reason").asText()).isNotBlank();
        JsonNode n = byOriginal.get(noClient);
        assertThat(n.get("offset").asLong()).isEqualTo(2);
        assertThat(n.get("reason").asText()).contains("client_ip");
        JsonNode suffix = byOriginal.get("co.uk");
        assertThat(suffix.get("source").asText()).isEqualTo(t.blocklist);
        assertThat(suffix.get("offset").asLong()).isZero();
        assertThat(suffix.get("reason").asText()).contains("public suffix");
        assertThat(byOriginal.get("tiktokv.eu").get("reason").asText()).contains("unknown category \"no-such-category\"");
    }

    @Test
    void blocklistTopicChangesTheVerdictForLaterRecords(@InjectClusterClient ClusterClient<?> flink) throws Exception {
        Topics t = Topics.create();
        String newName = "api.example-new-tiktok-domain.com";
        try (DetectInBackground job = DetectInBackground.start(
                t.detect("--blocklist-topic", t.blocklist, "--hits-topic", t.hits, "--threshold", "1000"), flink)) {
            ListProbe hits = new ListProbe(kafka, t.flows, t.hits, WAIT, job::alive);
            // Before the update the name is no hit: its record is judged before the sentinel's.
            assertThat(hits.probe(newName, PROBE_TIME)).as("hit on %s before the rule exists", newName).isFalse();

            kafka.send(t.blocklist, List.<String[]>of(new String[] {"example-new-tiktok-domain.com", "tiktok-app"}));
            JsonNode hit = hits.probeUntil(newName, true, PROBE_TIME);
            assertThat(hit.get("rule").asText()).isEqualTo("example-new-tiktok-domain.com");
            assertThat(hit.get("category").asText()).isEqualTo("tiktok-app");
            assertThat(hit.get("rule_origin").asText()).startsWith(t.blocklist + "/0@");
            assertThat(hit.get("list_version").asLong()).isEqualTo(1);

            kafka.send(t.blocklist, List.<String[]>of(new String[] {"example-new-tiktok-domain.com", null}));
            JsonNode sentinel = hits.probeUntil(newName, false, PROBE_TIME);
            assertThat(sentinel.get("list_version").asLong()).isEqualTo(2);
            job.alive();
        }
    }

    /**
     * A job that starts before any flow record arrives: its flow inputs go idle, and event time must
     * then wait for the first records instead of jumping to the control input's watermark (which
     * made every later hit late: no violation ever). --idle-timeout 1ms makes the flow inputs idle at
     * once; two dead letters in a row (each one checkpoint later) show the job had been running.
     */
    @ParameterizedTest(name = "blocklist topic: {0}")
    @ValueSource(booleans = {false, true})
    void violationsStillComeWhenFlowsStartAfterTheJob(boolean withBlocklistTopic, @InjectClusterClient ClusterClient<?> flink) throws Exception {
        Topics t = Topics.create();
        List<String> argv = t.detect("--idle-timeout", "1ms", "--threshold", "3");
        if (withBlocklistTopic) {
            argv.addAll(List.of("--blocklist-topic", t.blocklist));
        }
        try (DetectInBackground job = DetectInBackground.start(argv, flink)) {
            for (int i = 1; i <= 2; i++) {
                kafka.sendValues(t.flows, List.of("not a flow record " + i));
                int n = i;
                kafka.awaitValues(t.deadLetters, WAIT, v -> v.size() >= n, job::alive);
            }
            List<String> flows = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                flows.add(flow("09:00:0" + i, "LAPTOP-7", "api16-normal-c-useast1a.tiktokv.com"));
            }
            flows.add(flow("09:30:00", "clock", "www.example.org"));
            kafka.sendValues(t.flows, flows);
            List<String> violations;
            try {
                violations = kafka.awaitValues(t.violations, WAIT, v -> v.size() >= 2, job::alive);
            } catch (AssertionError e) {
                // This test has failed under load before (a watermark that overtook the hits): say where the hits went.
                Duration window = Duration.ofSeconds(2);
                throw new AssertionError(e.getMessage() + "; late hits: " + kafka.uncommittedValues(t.late, window)
                        + "; violations not committed: " + kafka.uncommittedValues(t.violations, window)
                        + "; dead letters: " + kafka.uncommittedValues(t.deadLetters, window), e);
            }
            assertThat(violations).extracting(v -> json(v).get("status").asText()).containsExactly("early", "final");
        }
    }

    /** Fails the job once, on the first record that carries the marker; the restart lets it pass. */
    static final class FailOnce extends RichMapFunction<DecodedLine, DecodedLine> {
        static final String MARKER = "fail-here";
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

        @Override
        public void open(OpenContext openContext) {
            MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
        }

        @Override
        public DecodedLine map(DecodedLine line) {
            if (line.records.stream().anyMatch(r -> MARKER.equals(r.deviceId)) && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at the record of device " + MARKER);
            }
            return line;
        }
    }

    /**
     * A task fails mid-stream after output was committed; the job restarts from the last checkpoint.
     * Every violation must be in the topic exactly once (read_committed), and the rule that came from
     * the control topic before the failure must still be in force after it: the restored job does not
     * read that record again (its offset is in the checkpoint), so only the broadcast state has it.
     */
    @Test
    void failureMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        Topics t = Topics.create();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        KafkaOutputs.configureExactlyOnce(env, Duration.ofMillis(300), 3, Duration.ofMillis(100));
        KafkaConnection connection = KafkaConnection.of(kafka.bootstrap(), new Properties());
        KafkaInputs.Options in = new KafkaInputs.Options(connection, "group-" + t.flows, false);
        DetectionJob.Settings settings = new DetectionJob.Settings(Duration.ofMinutes(10), 3, 3, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofDays(1), 1 << 20, org.tiktokdetector.decode.capture.TunnelPorts.DEFAULTS, null);
        DataStream<DecodedLine> flows = KafkaInputs.flows(env, in, List.of(t.flows), DetectionJob.liveEventTime(settings, (d, p) -> d.timestamp),
                        settings.limits())
                .map(new FailOnce()).uid("fail-once").name("fail once");
        KafkaInputs.Blocklist control = KafkaInputs.blocklist(env, in, t.blocklist);
        Outputs outputs = DetectionJob.defineWorkflow(List.of(flows), control.updates(),
                BlocklistParser.parseDefault().rules(), DeviceInventory.empty(), settings);
        KafkaOutputs.attach(outputs, connection, new KafkaOutputs.Topics(t.violations, t.hits, t.deadLetters, t.late), "tx-" + t.flows,
                KafkaOutputs.Timestamps.DETECTION, Format.NATIVE);
        JobClient job = env.executeAsync("failure test");
        try {
            kafka.send(t.blocklist, List.<String[]>of(new String[] {"example-new-tiktok-domain.com", "tiktok-app"}));
            new ListProbe(kafka, t.flows, t.hits, WAIT, () -> {}).probeUntil("example-new-tiktok-domain.com", true, PROBE_TIME);
            // Phase 1: three devices cross the threshold in 09:00-09:10; a record at 09:15 closes the window.
            kafka.sendValues(t.flows, phase("09:0", "A", "api16-normal-c-useast1a.tiktokv.com", "09:15:00", "clock-1"));
            kafka.awaitValues(t.violations, WAIT, v -> v.size() >= 6);
            // Output is committed only when a checkpoint completes: phase 1 is behind a checkpoint now.
            // Phase 2: the same in 09:20-09:30, and the job fails on its last record.
            kafka.sendValues(t.flows, phase("09:2", "B", "api.example-new-tiktok-domain.com", "09:35:00", FailOnce.MARKER));
            kafka.awaitValues(t.violations, WAIT, v -> distinct(v).size() >= 12);
        } finally {
            job.cancel().get();
        }

        assertThat(FailOnce.FAILED).isTrue();
        assertThat(FailOnce.MAX_ATTEMPT.get()).as("restarted task attempt").isGreaterThanOrEqualTo(1);
        List<String> values = new ArrayList<>();
        kafka.readAllCommitted(t.violations).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(values).as("no duplicates").hasSize(12);
        Set<String> keys = distinct(values);
        assertThat(keys).hasSize(12);
        for (String device : List.of("A1", "A2", "A3", "B1", "B2", "B3")) {
            assertThat(keys).filteredOn(k -> k.startsWith(device + "|")).hasSize(2);
        }
        Map<String, Set<String>> idsByDevice = new HashMap<>();
        for (String v : values) {
            JsonNode j = json(v);
            idsByDevice.computeIfAbsent(j.get("device_id").asText(), k -> new HashSet<>()).add(j.get("violation_id").asText());
        }
        assertThat(idsByDevice.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        for (String v : values) {
            JsonNode j = json(v);
            if (j.get("device_id").asText().startsWith("B")) {
                assertThat(j.get("names").has("api.example-new-tiktok-domain.com")).isTrue();
                assertThat(j.get("list_version").asLong()).isEqualTo(1);
            }
        }
    }

    /** Three hits on {@code name} for each of three devices within one window, then a later record that closes it. */
    private static List<String> phase(String minute, String prefix, String name, String closeAt, String closer) {
        List<String> lines = new ArrayList<>();
        for (int hit = 1; hit <= 3; hit++) {
            for (int d = 1; d <= 3; d++) {
                lines.add(flow(minute + hit + ":0" + d, prefix + d, name));
            }
        }
        lines.add(flow(closeAt, closer, "www.example.org"));
        return lines;
    }

    /** device|status of each violation. */
    private static Set<String> distinct(List<String> values) {
        Set<String> s = new HashSet<>();
        for (String v : values) {
            try {
                JsonNode j = json(v);
                s.add(j.get("device_id").asText() + "|" + j.get("status").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return s;
    }
}
