package org.tiktokdetector.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaConnectionTest {
    @Test
    void describeNeverShowsSecrets(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("client.properties"), List.of(
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"det\" password=\"hunter2\";",
                "ssl.truststore.password=changeit",
                "ssl.keystore.location=/etc/kafka/keystore.p12"));
        KafkaConnection c = KafkaConnection.load("broker:9093", file);
        String shown = c.describe();
        assertThat(shown).contains("broker:9093", "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=<redacted>", "ssl.truststore.password=<redacted>");
        assertThat(shown).doesNotContain("hunter2", "changeit", "username");
        assertThat(c.toString()).isEqualTo(shown);
    }

    @Test
    void everyClientGetsTheFileSettings() {
        Properties file = new Properties();
        file.put("security.protocol", "SASL_SSL");
        KafkaConnection c = KafkaConnection.of("b:9092", file);
        assertThat(c.consumerProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "b:9092").containsEntry("isolation.level", "read_committed");
        assertThat(c.producerProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("transaction.timeout.ms", "900000");
    }

    @Test
    void theFileMayLowerTheTransactionTimeout() {
        Properties file = new Properties();
        file.put("transaction.timeout.ms", "300000");
        assertThat(KafkaConnection.of("b:9092", file).producerProperties()).containsEntry("transaction.timeout.ms", "300000");
    }
}
