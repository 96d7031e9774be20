package org.tiktokdetector.emit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRecordsTest {
    private static final long MONTH_AGO = Instant.now().minusSeconds(30 * 86400).toEpochMilli();

    private static ProducerRecord<byte[], byte[]> serialize(KafkaOutputs.Timestamps timestamps, Long eventTime) {
        return new JsonRecords<String>("violations", v -> "LAPTOP-1", v -> "{\"v\":\"" + v + "\"}", timestamps)
                .serialize("x", null, eventTime);
    }

    @Test
    void detectionTimeIsTheTimeTheRecordIsWrittenWhateverItsEventTime() {
        long before = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> r = serialize(KafkaOutputs.Timestamps.DETECTION, MONTH_AGO);
        long after = System.currentTimeMillis();
        assertThat(r.timestamp()).isBetween(before, after);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("LAPTOP-1");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":\"x\"}");
        assertThat(serialize(KafkaOutputs.Timestamps.DETECTION, null).timestamp()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void eventTimeIsTheElementsTimestampOrNoneWithoutOne() {
        assertThat(serialize(KafkaOutputs.Timestamps.EVENT, MONTH_AGO).timestamp()).isEqualTo(MONTH_AGO);
        assertThat(serialize(KafkaOutputs.Timestamps.EVENT, null).timestamp()).isNull();
    }
}
