package org.tiktokdetector.aggregate;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Hit;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LateHitsTest {
    @Test
    void aLateHitSaysWhichWindowHadClosedAndHowFarEventTimeHadGone() throws Exception {
        try (OneInputStreamOperatorTestHarness<Hit, Hit> harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new LateHits(Duration.ofMinutes(10), Duration.ofMinutes(2)))) {
            harness.processWatermark(Instant.parse("2026-11-24T09:45:00Z").toEpochMilli());
            long ts = Instant.parse("2026-11-24T09:04:31Z").toEpochMilli();
            harness.processElement(DeviceWindowsTest.hit(ts, "laptop", "x.tiktokv.com", Category.TIKTOK_APP), ts);

            Hit late = harness.extractOutputValues().get(0);
            assertThat(late.lateReason).isEqualTo("its window 2026-11-24T09:00:00Z - 2026-11-24T09:10:00Z had closed"
                    + " (end + allowed lateness 120000 ms): event time had reached 2026-11-24T09:45:00Z");
            assertThat(late.toJson().get("late_reason").asText()).isEqualTo(late.lateReason);
            assertThat(DeviceWindowsTest.hit(ts, "laptop", "x.tiktokv.com", Category.TIKTOK_APP).toJson().has("late_reason"))
                    .as("an ordinary hit has no late_reason").isFalse();
        }
    }
}
