package org.tiktokdetector.deploy;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.kafka.KafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobs/kafka/create-topics.sh (what docker-compose's init service runs) creates every topic with the retention of
 * jobs/kafka/topics.conf, a real broker takes those settings, the order the README promises holds (flows and dead
 * letters shortest, the reveal audit longest), and the README's retention table says the same.
 */
class TopicRetentionTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    /** Runs the script with a kafka-topics.sh that writes down its arguments: topic name to its --config settings. */
    private Map<String, Map<String, String>> scriptTopics() throws Exception {
        Path calls = dir.resolve("calls");
        Path fake = dir.resolve("kafka-topics.sh");
        Files.writeString(fake, "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder("jobs/kafka/create-topics.sh", "kafka:19092");
        pb.environment().put("KAFKA_TOPICS", fake.toString());
        Process run = pb.redirectErrorStream(true).start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(new String(run.getInputStream().readAllBytes())).isZero();
        Map<String, Map<String, String>> topics = new LinkedHashMap<>();
        for (String call : Files.readAllLines(calls)) {
            List<String> args = Arrays.asList(call.split(" "));
            assertThat(args).contains("--create", "--if-not-exists").containsSequence("--bootstrap-server", "kafka:19092");
            Map<String, String> configs = new LinkedHashMap<>();
            for (int i = 0; i < args.size() - 1; i++) {
                if (args.get(i).equals("--config")) {
                    String[] kv = args.get(i + 1).split("=", 2);
                    configs.put(kv[0], kv[1]);
                }
            }
            topics.put(args.get(args.indexOf("--topic") + 1), configs);
        }
        return topics;
    }

    @Test
    void everyTopicIsCreatedWithItsRetentionAndTheBrokerTakesIt() throws Exception {
        Map<String, Map<String, String>> topics = scriptTopics();
        assertThat(topics).containsOnlyKeys("flows", "dead-letter", "hits", "late-hits", "violations", "blocklist", "reveal-audit");
        try (KafkaBroker kafka = KafkaBroker.start()) {
            for (Map.Entry<String, Map<String, String>> t : topics.entrySet()) {
                kafka.createTopic(t.getKey(), t.getValue());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
                for (Map.Entry<String, Map<String, String>> t : topics.entrySet()) {
                    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, t.getKey());
                    Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
                    t.getValue().forEach((k, v) -> assertThat(config.get(k).value()).as(t.getKey() + " " + k).isEqualTo(v));
                }
            }
        }
        assertThat(topics.get("blocklist")).containsEntry("cleanup.policy", "compact");
        long flows = days(topics, "flows");
        long deadLetters = days(topics, "dead-letter");
        long hits = days(topics, "hits");
        long late = days(topics, "late-hits");
        long violations = days(topics, "violations");
        long audit = days(topics, "reveal-audit");
        assertThat(flows).isLessThanOrEqualTo(deadLetters);
        assertThat(deadLetters).isLessThan(hits).isLessThan(late);
        assertThat(Math.max(hits, late)).isLessThanOrEqualTo(violations);
        assertThat(violations).isLessThan(audit);
    }

    private static long days(Map<String, Map<String, String>> topics, String topic) {
        return Long.parseLong(topics.get(topic).get("retention.ms")) / DAY;
    }

    @Test
    void theReadmeAndDockerComposeSayWhatTheScriptDoes() throws Exception {
        Map<String, Map<String, String>> topics = scriptTopics();
        String readme = Files.readString(Path.of("README.md"));
        for (Map.Entry<String, Map<String, String>> t : topics.entrySet()) {
            long days = t.getValue().containsKey("retention.ms") ? days(topics, t.getKey()) : -1;
            String retention = days < 0 ? "compacted" : days == 1 ? "1 day" : days + " days";
            assertThat(readme).as("README retention table").contains("| Kafka topic `" + t.getKey() + "` | " + retention + " |");
        }
        assertThat(Files.readString(Path.of("docker-compose.yml"))).contains("/jobs/kafka/create-topics.sh kafka:19092");
    }
}
