package org.tiktokdetector.emit;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * One Kafka record per element: key from {@code key} (null = no key), value the element's JSON,
 * record timestamp as {@code timestamps} says. A class of its own rather than the connector's builder
 * with lambdas, whose element type Flink cannot infer.
 */
public class JsonRecords<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Object> json;
    private final KafkaOutputs.Timestamps timestamps;

    public JsonRecords(String topic, SerializableFunction<T, String> key, SerializableFunction<T, Object> json,
                       KafkaOutputs.Timestamps timestamps) {
        this.topic = topic;
        this.key = key;
        this.json = json;
        this.timestamps = timestamps;
    }

    /** @param eventTime the element's event time (Flink's record timestamp), or null */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long eventTime) {
        String k = key.apply(element);
        // Boxed on purpose: a ternary of Long and long would unbox a null event time.
        Long timestamp = timestamps == KafkaOutputs.Timestamps.EVENT ? eventTime : Long.valueOf(System.currentTimeMillis());
        return new ProducerRecord<>(topic, null, timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                json.apply(element).toString().getBytes(StandardCharsets.UTF_8));
    }
}
