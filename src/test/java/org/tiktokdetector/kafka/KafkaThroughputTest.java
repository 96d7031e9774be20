package org.tiktokdetector.kafka;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka benchmark still runs (on a few records: this checks that it works, not how fast). */
class KafkaThroughputTest {
    @Test
    void theBenchmarkRunsEndToEnd() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = KafkaThroughput.run(2_000, new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("produced 2,000 records", "tiktok-detector:", "2000 flow records");
    }
}
