package org.tiktokdetector.emit;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * One Kafka record per element: key from {@code key} (null = no key), value the element's JSON.
 * A class of its own rather than the connector's builder with lambdas, whose element type Flink
 * cannot infer.
 */
public class JsonRecords<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Object> json;

    public JsonRecords(String topic, SerializableFunction<T, String> key, SerializableFunction<T, Object> json) {
        this.topic = topic;
        this.key = key;
        this.json = json;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(topic, null, timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                json.apply(element).toString().getBytes(StandardCharsets.UTF_8));
    }
}
