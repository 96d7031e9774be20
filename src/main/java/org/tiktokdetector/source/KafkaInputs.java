package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.log.LineDecoder;
import org.tiktokdetector.decode.log.LogLineDecoder;
import org.tiktokdetector.flink.DecodedLineType;
import org.tiktokdetector.kafka.KafkaConnection;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.records.DeadLetter;

import java.io.Serializable;
import java.util.List;

/**
 * Kafka mode's sources. Flow topics are decoded as they are read, any dialect, into
 * {@link DecodedLine}s that keep topic, partition, offset and bytes for the dead letters; the
 * blocklist topic gives list updates ({@link BlocklistTopic}). Consumers read only committed records (read_committed) and
 * commit their offsets to the group when a checkpoint completes; a restart from a checkpoint resumes
 * from the checkpointed offsets.
 */
public final class KafkaInputs {
    /**
     * @param untilLatest stop once the offsets that were the latest at start-up are consumed (a
     *                    bounded job: for tests and one-off backfills); false = run forever
     */
    public record Options(KafkaConnection connection, String groupId, boolean untilLatest) implements Serializable {}

    /** The control stream and the records of it that were not valid rules. */
    public record Blocklist(DataStream<BlocklistUpdate> updates, DataStream<DeadLetter> rejected) {}

    private KafkaInputs() {}

    /**
     * Flow records from one or more topics, starting where the group left off (the earliest offset
     * for a new group). Each record is decoded as it is read, so event time is tracked per
     * partition: a partition that runs ahead never makes another's records late.
     */
    public static DataStream<DecodedLine> flows(StreamExecutionEnvironment env, Options options, List<String> topics,
                                                WatermarkStrategy<DecodedLine> eventTime, InputLimits limits) {
        return decoded(env, options, "flows", topics, eventTime, limits);
    }

    /**
     * Address bindings (DHCP logs, NAC accounting) from one or more topics: read and decoded like the flow topics
     * (any line may be any dialect), a source of their own with its own event time, so a quiet bindings topic
     * follows the wall clock like a quiet flows topic does.
     */
    public static DataStream<DecodedLine> bindings(StreamExecutionEnvironment env, Options options, List<String> topics,
                                                   WatermarkStrategy<DecodedLine> eventTime, InputLimits limits) {
        return decoded(env, options, "bindings", topics, eventTime, limits);
    }

    private static DataStream<DecodedLine> decoded(StreamExecutionEnvironment env, Options options, String role, List<String> topics,
                                                   WatermarkStrategy<DecodedLine> eventTime, InputLimits limits) {
        KafkaSource<DecodedLine> source = builder(options, role, new DecodedRecords(limits))
                .setTopics(topics)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .build();
        return env.fromSource(source, eventTime, "kafka " + String.join(",", topics)).uid("kafka-" + role);
    }

    /**
     * List updates from the control topic, read with parallelism 1 so every matcher sees them in the
     * same order. A fresh job reads the (compacted) topic from the beginning, so it starts from the
     * current list; a restored job resumes from its checkpoint. Its watermark never holds back event
     * time ({@link EventTime#timeless()}).
     */
    public static Blocklist blocklist(StreamExecutionEnvironment env, Options options, String topic) {
        KafkaSource<RawRecord> source = builder(options, "blocklist", new ControlRecords())
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .build();
        SingleOutputStreamOperator<BlocklistUpdate> updates = env
                .fromSource(source, EventTime.timeless(), "kafka " + topic).setParallelism(1).uid("kafka-blocklist")
                .process(new BlocklistTopic()).setParallelism(1).uid("parse-blocklist-records").name("parse blocklist records");
        return new Blocklist(updates, updates.getSideOutput(BlocklistTopic.REJECTED));
    }

    private static <T> KafkaSourceBuilder<T> builder(Options options, String role, KafkaRecordDeserializationSchema<T> records) {
        KafkaSourceBuilder<T> b = KafkaSource.<T>builder()
                .setProperties(options.connection().consumerProperties())
                .setBootstrapServers(options.connection().bootstrap())
                .setGroupId(options.groupId())
                .setClientIdPrefix(options.groupId() + "-" + role)
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(records);
        if (options.untilLatest()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b;
    }

    /**
     * Decodes a flow record where it is read; an undecodable one keeps its topic, partition, offset and bytes, and so
     * does one too long to decode or stamped further ahead of the wall clock than {@link InputLimits#maxAhead()}.
     */
    static final class DecodedRecords implements KafkaRecordDeserializationSchema<DecodedLine> {
        private final LogLineDecoder decoder = new LogLineDecoder(); // stateless and serializable
        private final InputLimits limits;
        private final FileClock.WallClock time;

        DecodedRecords(InputLimits limits) {
            this.limits = limits;
            this.time = limits.wallClock();
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedLine> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            if (value.length > limits.maxLineLength()) {
                byte[] head = java.util.Arrays.copyOf(value, Math.min(value.length, LineReader.HEAD));
                out.collect(DecodedLine.unreadable(DeadLetter.of(record.topic(), -1, record.partition(), record.offset(), head,
                        LineReader.tooLong(value.length, limits.maxLineLength(), head.length))));
                return;
            }
            DecodedLine d = LineDecoder.decodeLine(decoder::decodeUtf8, record.topic(), -1, record.partition(), record.offset(), value);
            if (d == null) {
                return; // a blank record, or a comment
            }
            d.judgeTime(time, record.topic(), -1, record.partition(), record.offset(), () -> value);
            d.locate(record.topic(), 0);
            out.collect(d);
        }

        @Override
        public TypeInformation<DecodedLine> getProducedType() {
            return DecodedLineType.INSTANCE;
        }
    }

    /** Keeps each control record whole with its key (the rule) and its position; a tombstone's value stays null. */
    static final class ControlRecords implements KafkaRecordDeserializationSchema<RawRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            out.collect(RawRecord.ofKafka(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }
}
