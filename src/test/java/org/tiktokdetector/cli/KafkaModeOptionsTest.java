package org.tiktokdetector.cli;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Option checks of the Kafka path that need no broker: each mistake is a usage error (exit 2) saying what to do. */
class KafkaModeOptionsTest {
    private static String usageError(String... argv) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(argv), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void kafkaOptionsNeedTheBootstrap() throws Exception {
        assertThat(usageError("detect", "--input", "x", "--violations-topic", "v")).contains("--kafka-bootstrap");
    }

    @Test
    void localOutputsAreRefusedInKafkaMode() throws Exception {
        assertThat(usageError("detect", "--kafka-bootstrap", "b:9092", "--flows-topic", "f", "--violations-topic", "v",
                "--dead-letter-topic", "d", "--out", "v.jsonl")).contains("--out is a local-mode option");
    }

    @Test
    void kafkaModeNamesTheMissingTopic() throws Exception {
        assertThat(usageError("detect", "--kafka-bootstrap", "b:9092", "--flows-topic", "f", "--violations-topic", "v"))
                .contains("--dead-letter-topic");
        assertThat(usageError("detect", "--kafka-bootstrap", "b:9092", "--flows-topic", "f", "--violations-topic", "v",
                "--dead-letter-topic", "d")).isEqualTo("tiktok-detector detect: Kafka mode needs --late-topic TOPIC\n");
    }

    @Test
    void missingPropertiesFileIsAUsageError() throws Exception {
        assertThat(usageError("detect", "--kafka-bootstrap", "b:9092", "--flows-topic", "f", "--violations-topic", "v",
                "--dead-letter-topic", "d", "--late-topic", "l", "--kafka-properties", "/nonexistent/client.properties")).contains("does not exist");
    }

    @Test
    void kafkaTimestampsAreDetectionOrEvent() throws Exception {
        assertThat(usageError("detect", "--kafka-bootstrap", "b:9092", "--flows-topic", "f", "--violations-topic", "v",
                "--dead-letter-topic", "d", "--late-topic", "l", "--kafka-timestamps", "ingestion"))
                .contains("--kafka-timestamps must be detection or event, got \"ingestion\"");
        assertThat(usageError("detect", "--input", "x", "--kafka-timestamps", "event")).contains("--kafka-bootstrap");
    }

    @Test
    void produceSplitsKeyAndValueAndMakesTombstones() {
        ProducerRecord<byte[], byte[]> add = ProduceCommand.record("blocklist", "tiktokv.com\ttiktok-app", "\t");
        assertThat(new String(add.key(), StandardCharsets.UTF_8)).isEqualTo("tiktokv.com");
        assertThat(new String(add.value(), StandardCharsets.UTF_8)).isEqualTo("tiktok-app");
        ProducerRecord<byte[], byte[]> remove = ProduceCommand.record("blocklist", "tiktokv.com", "\t");
        assertThat(remove.value()).isNull();
        ProducerRecord<byte[], byte[]> plain = ProduceCommand.record("flows", "{\"a\":1}", null);
        assertThat(plain.key()).isNull();
        assertThat(new String(plain.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void singleValuedOptionsLeaveTheFilesPositional() {
        Args a = Args.parse(List.of("--topic", "flows", "a.jsonl", "b.jsonl"), java.util.Set.of(), java.util.Set.of("topic"), java.util.Set.of());
        assertThat(a.get("topic", null)).isEqualTo("flows");
        assertThat(a.positional()).containsExactly("a.jsonl", "b.jsonl");
    }
}
