package org.tiktokdetector.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeTest {
    /**
     * Records what the generator says, in order: a watermark value or "idle". A watermark below an earlier one fails
     * at once: Flink drops it (WatermarkToDataOutput), so no test may count on one having an effect.
     */
    private static final class Recorder implements WatermarkOutput {
        final List<String> said = new ArrayList<>();
        private long highest = Long.MIN_VALUE;

        @Override
        public void emitWatermark(Watermark watermark) {
            assertThat(watermark.getTimestamp()).as("watermark after %s: one that steps back is dropped by Flink", said)
                    .isGreaterThanOrEqualTo(highest);
            highest = watermark.getTimestamp();
            said.add(String.valueOf(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            said.add("idle");
        }

        @Override
        public void markActive() {
            said.add("active");
        }
    }

    private long now = 1_000_000;

    @Test
    void watermarkTrailsTheLatestRecordByTheBound() {
        var g = new EventTime.QuietSourceWatermarks<String>(30_000, 60_000, () -> now);
        Recorder out = new Recorder();
        g.onEvent("a", 500_000, out);
        g.onEvent("b", 400_000, out); // out of order: does not move the watermark back
        g.onPeriodicEmit(out);
        assertThat(out.said).containsExactly("469999");
    }

    @Test
    void aQuietSourceLetsEventTimeRunOnWithTheWallClock() {
        var g = new EventTime.QuietSourceWatermarks<String>(30_000, 60_000, () -> now);
        Recorder out = new Recorder();
        g.onEvent("a", 500_000, out);
        now += 59_999;
        g.onPeriodicEmit(out);
        now += 1;
        g.onPeriodicEmit(out);
        now += 600_000;
        g.onPeriodicEmit(out);
        assertThat(out.said).containsExactly("469999", String.valueOf(469_999 + 60_000), String.valueOf(469_999 + 660_000));
        g.onEvent("b", 510_000, out); // records again, behind the clock-driven time: event time does not go back
        g.onPeriodicEmit(out);
        assertThat(out.said).last().isEqualTo(String.valueOf(469_999 + 660_000));
        g.onEvent("c", 1_200_000, out); // and moves on once records pass it
        g.onPeriodicEmit(out);
        assertThat(out.said).last().isEqualTo("1169999");
    }

    @Test
    void aBacklogBehindTheClockDrivenTimeNeitherMovesItBackNorHoldsItStill() {
        var g = new EventTime.QuietSourceWatermarks<String>(30_000, 60_000, () -> now);
        Recorder out = new Recorder();
        g.onEvent("a", 500_000, out);
        now += 600_000; // a sensor's outage: event time follows the wall clock
        g.onPeriodicEmit(out);
        long carried = 469_999 + 600_000;
        g.onEvent("buffered during the outage", 700_000, out);
        g.onEvent("older still", 480_000, out);
        g.onPeriodicEmit(out);
        assertThat(out.said).containsExactly(String.valueOf(carried), String.valueOf(carried));
        now += 59_999; // the backlog is records, so the input is not quiet yet
        g.onPeriodicEmit(out);
        assertThat(out.said).last().isEqualTo(String.valueOf(carried));
        now += 1; // quiet again: on with the wall clock at once, not after another 600 s
        g.onPeriodicEmit(out);
        assertThat(out.said).last().isEqualTo(String.valueOf(carried + 60_000));
    }

    @Test
    void anInputThatNeverSawARecordIsMarkedIdleSoItHoldsNobodyBack() {
        var g = new EventTime.QuietSourceWatermarks<String>(30_000, 60_000, () -> now);
        Recorder out = new Recorder();
        g.onPeriodicEmit(out);
        now += 60_000;
        g.onPeriodicEmit(out);
        assertThat(out.said).containsExactly("idle");
    }
}
