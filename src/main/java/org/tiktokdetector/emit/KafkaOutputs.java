package org.tiktokdetector.emit;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.tiktokdetector.kafka.KafkaConnection;
import org.tiktokdetector.records.DeadLetter;

import java.io.Serializable;
import java.time.Duration;

/**
 * Kafka mode's sinks, all exactly once: each writes in Kafka transactions that commit when a
 * checkpoint completes, so a consumer with isolation.level=read_committed sees every record once,
 * across failures and restarts. Values are the records' JSON in the chosen {@link Format} (dead letters always in
 * their own form); violations
 * and hits are keyed by device id, so one device's records stay in order on one partition.
 * Record timestamps are the detection time unless {@link Timestamps#EVENT} is chosen (see there).
 */
public final class KafkaOutputs {
    /** Restarts after a failure before the job gives up. */
    public static final int RESTART_ATTEMPTS = 5;
    public static final Duration RESTART_DELAY = Duration.ofSeconds(10);

    /**
     * @param hits       every hit (audit), or null
     * @param lateHits   hits that arrived after their window closed (never dropped: a SOC wants a sensor's backlog)
     */
    public record Topics(String violations, String hits, String deadLetters, String lateHits) implements Serializable {}

    /**
     * What every output record carries as its Kafka timestamp. The broker's time-based retention goes by
     * it: a segment is deleted once its newest timestamp is older than the topic's retention.ms, and a
     * segment that starts with an old timestamp rolls on the next append. Event time of a backfill or an
     * old capture would therefore be deleted within one retention check; the payload keeps event time.
     */
    public enum Timestamps {
        /** When the job writes the record (processing time): outputs live for the topic's full retention. */
        DETECTION,
        /** The record's event time (window end, hit time): deleted at once when older than retention.ms. */
        EVENT
    }

    private KafkaOutputs() {}

    /**
     * What exactly-once needs from the job: checkpoints (the sinks commit on them) and a restart
     * strategy that brings a failed task back from the last checkpoint.
     */
    public static void configureExactlyOnce(StreamExecutionEnvironment env, Duration checkpointInterval,
                                            int restartAttempts, Duration restartDelay) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, restartDelay);
        env.configure(conf);
    }

    /**
     * Attaches a sink per output. Each sink has its own transactional id prefix
     * ({@code prefix-violations}, ...); two jobs writing to one cluster need different prefixes.
     */
    public static void attach(Outputs outputs, KafkaConnection connection, Topics topics,
                              String transactionalIdPrefix, Timestamps timestamps, Format format) {
        outputs.violations().sinkTo(sink(connection, topics.violations(), v -> v.deviceId, format::violation, timestamps,
                transactionalIdPrefix + "-violations")).uid("kafka-violations").name("violations to " + topics.violations());
        outputs.deadLetters().sinkTo(sink(connection, topics.deadLetters(), d -> null, DeadLetter::toJson, timestamps,
                transactionalIdPrefix + "-dead-letters")).uid("kafka-dead-letters").name("dead letters to " + topics.deadLetters());
        if (topics.hits() != null) {
            outputs.hits().sinkTo(sink(connection, topics.hits(), h -> h.deviceId, format::hit, timestamps,
                    transactionalIdPrefix + "-hits")).uid("kafka-hits").name("hits to " + topics.hits());
        }
        outputs.lateHits().sinkTo(sink(connection, topics.lateHits(), h -> h.deviceId, format::hit, timestamps,
                transactionalIdPrefix + "-late-hits")).uid("kafka-late-hits").name("late hits to " + topics.lateHits());
    }

    static <T> KafkaSink<T> sink(KafkaConnection connection, String topic, SerializableFunction<T, String> key,
                                 SerializableFunction<T, Object> json, Timestamps timestamps, String transactionalIdPrefix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(connection.bootstrap())
                .setKafkaProducerConfig(connection.producerProperties())
                .setRecordSerializer(new JsonRecords<>(topic, key, json, timestamps))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
