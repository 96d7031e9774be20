package org.tiktokdetector.cli;

import org.tiktokdetector.kafka.KafkaConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** --kafka-bootstrap and --kafka-properties, as the produce and consume commands take them. */
final class KafkaClientOptions {
    private KafkaClientOptions() {}

    static KafkaConnection connection(Args args) throws IOException {
        String bootstrap = args.get("kafka-bootstrap", null);
        if (bootstrap == null) {
            throw new UsageException("give --kafka-bootstrap HOST:PORT");
        }
        String file = args.get("kafka-properties", null);
        if (file != null && !Files.isRegularFile(Path.of(file))) {
            throw new UsageException("Kafka properties file " + file + " does not exist");
        }
        return KafkaConnection.load(bootstrap, file == null ? null : Path.of(file));
    }

    static String topic(Args args) {
        String topic = args.get("topic", null);
        if (topic == null) {
            throw new UsageException("give --topic TOPIC");
        }
        return topic;
    }
}
