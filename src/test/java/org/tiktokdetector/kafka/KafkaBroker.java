package org.tiktokdetector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * A real single-node KRaft Kafka cluster in this JVM (Kafka's own KafkaClusterTestKit), with the
 * replication factors a one-broker cluster needs for transactions. Tests share one per class.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static KafkaBroker start() throws Exception {
        return start(Map.of());
    }

    /** @param brokerConfig more broker settings (e.g. log.retention.check.interval.ms) */
    public static KafkaBroker start(Map<String, String> brokerConfig) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> news = new ArrayList<>();
            for (String t : topics) {
                news.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(news).all().get();
        }
    }

    public void createCompactedTopic(String topic) throws Exception {
        createTopic(topic, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** A topic of one partition with its own settings (e.g. retention.ms). */
    public void createTopic(String topic, Map<String, String> configs) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get();
        }
    }

    /** The log start offset of a topic's partition 0: it moves up when retention deletes a segment. */
    public long logStartOffset(String topic) throws Exception {
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            return admin.listOffsets(Map.of(p0, OffsetSpec.earliest())).partitionResult(p0).get().offset();
        }
    }

    /**
     * Deletes every record of the topic's partition 0 so far, as retention would. Kafka deletes records only
     * from topics with the delete policy, so a compacted topic becomes compact,delete first.
     */
    public void deleteRecords(String topic) throws Exception {
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            AlterConfigOp policy = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(policy))).all().get();
            long end = admin.listOffsets(Map.of(p0, OffsetSpec.latest())).partitionResult(p0).get().offset();
            admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(end))).all().get();
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends records (key may be null, value null is a tombstone) and waits until the broker has them. */
    public void send(String topic, List<String[]> keyValues) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String[] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, bytes(kv[0]), bytes(kv[1]))).get();
            }
        }
    }

    public void sendValues(String topic, List<String> values) throws Exception {
        List<String[]> kvs = new ArrayList<>();
        values.forEach(v -> kvs.add(new String[] {null, v}));
        send(topic, kvs);
    }

    /** Values without a key into one partition, in this order; waits until the broker has them. */
    public void sendValues(String topic, int partition, List<String> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, partition, null, bytes(v))).get();
            }
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    public KafkaConsumer<byte[], byte[]> readCommittedConsumer() {
        return consumer("read_committed");
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolationLevel) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Everything committed in a topic right now: reads from the beginning up to the last stable
     * offset (read_committed end offsets), so the result is complete and nothing is waited for.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = readCommittedConsumer()) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            out.removeIf(r -> r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())));
            return out;
        }
    }

    /**
     * Follows a topic from the beginning (read_committed) until {@code done} holds for the values
     * seen so far, or fails after {@code timeout}. The wait is the consumer's poll, not a sleep.
     */
    public List<String> awaitValues(String topic, Duration timeout, Predicate<List<String>> done) {
        return awaitValues(topic, timeout, done, () -> {});
    }

    /** As above; {@code alive} is checked on every poll and throws to stop waiting on a job that died. */
    public List<String> awaitValues(String topic, Duration timeout, Predicate<List<String>> done, Runnable alive) {
        return follow(readCommittedConsumer(), topic, timeout, done, alive);
    }

    /**
     * As {@link #awaitValues} but read_uncommitted: it also sees what a transactional producer wrote in a
     * transaction that is still open (or was aborted).
     */
    public List<String> awaitUncommitted(String topic, Duration timeout, Predicate<List<String>> done) {
        return follow(consumer("read_uncommitted"), topic, timeout, done, () -> {});
    }

    /** Every value the topic holds, committed or not, as read within {@code window}: what a failing wait reports. */
    public List<String> uncommittedValues(String topic, Duration window) {
        List<String> seen = new ArrayList<>();
        try {
            follow(consumer("read_uncommitted"), topic, window, v -> {
                seen.clear();
                seen.addAll(v);
                return false;
            }, () -> {});
        } catch (AssertionError timedOut) {
            // the window is over: seen holds what was there
        }
        return seen;
    }

    private static List<String> follow(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout,
                                       Predicate<List<String>> done, Runnable alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!done.test(values)) {
                alive.run();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " waiting on topic " + topic + "; saw " + values);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
