package org.tiktokdetector.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** --kafka-bootstrap and --kafka-properties, and the clients of the commands that talk to Kafka themselves (produce, consume, report, reveal). */
final class KafkaClientOptions {
    /** How long produce and consume wait for a broker to answer before they give up. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

    /** The client id of that check; log4j2.properties keeps its retry warnings quiet by it. */
    static final String BROKER_CHECK_CLIENT_ID = "tiktok-detector-broker-check";

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

    /**
     * Asks the cluster for the topic before anything is sent or read, so that a wrong --kafka-bootstrap, a
     * broker that is down or a missing topic is one line within {@link #BROKER_TIMEOUT}. The clients alone
     * would retry for a minute per record (the producer) or end in a TimeoutException (the consumer).
     *
     * @return the topic's partitions
     */
    static List<TopicPartition> requireTopic(KafkaConnection connection, String topic) throws InterruptedException {
        String timeoutMs = String.valueOf(BROKER_TIMEOUT.toMillis());
        Properties p = connection.clientProperties();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, BROKER_CHECK_CLIENT_ID);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            // A bootstrap that is no HOST:PORT or whose host does not resolve; the cause says which.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UsageException("--kafka-bootstrap " + connection.bootstrap() + ": " + cause.getMessage()
                    + "; give HOST:PORT of a broker, several separated by commas");
        }
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new UsageException("no Kafka broker answered at " + connection.bootstrap() + " within " + BROKER_TIMEOUT.toSeconds()
                        + "s; check --kafka-bootstrap and that the broker is running");
            }
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new UsageException("topic " + topic + " does not exist at " + connection.bootstrap() + "; check --topic, or create it");
            }
            throw new UsageException("Kafka at " + connection.bootstrap() + " refused to describe topic " + topic + ": "
                    + e.getCause().getMessage() + "; check --kafka-properties");
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /**
     * A consumer of every partition of the topic (asked for first: {@link #requireTopic}), assigned rather than in a
     * group and committing nothing, with the connection's isolation level (read_committed).
     */
    static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection connection, String topic) throws InterruptedException {
        List<TopicPartition> parts = requireTopic(connection, topic);
        Properties p = connection.consumerProperties();
        p.put("enable.auto.commit", "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(parts);
        return consumer;
    }

    /** A producer to the topic (asked for first: {@link #requireTopic}) whose sends wait for every in-sync replica. */
    static KafkaProducer<byte[], byte[]> producer(KafkaConnection connection, String topic) throws InterruptedException {
        requireTopic(connection, topic);
        Properties p = connection.clientProperties();
        p.put("acks", "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
