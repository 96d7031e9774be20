package org.tiktokdetector.flink;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's own contract, apart from the matcher (whose cases run on it in BlocklistMatcherTest): what the
 * function sees of timestamps, broadcast state and watermarks, and the event time the task hands on.
 */
class ChainedBroadcastTest {
    private static final MapStateDescriptor<String, String> PREFIX = new MapStateDescriptor<>("prefix", Types.STRING, Types.STRING);

    /** Tags each element with the broadcast prefix, the element's timestamp and the watermark it saw. */
    private static final class Tagger extends BroadcastProcessFunction<String, String, String> {
        @Override
        public void processElement(String value, ReadOnlyContext ctx, Collector<String> out) throws Exception {
            String prefix = ctx.getBroadcastState(PREFIX).get("p");
            out.collect(prefix + value + "@" + ctx.timestamp() + " wm " + ctx.currentWatermark());
        }

        @Override
        public void processBroadcastElement(String value, Context ctx, Collector<String> out) throws Exception {
            ctx.getBroadcastState(PREFIX).put("p", value);
        }
    }

    private static ChainedBroadcastHarness<String, String, String> harness() throws Exception {
        return new ChainedBroadcastHarness<>(new Tagger(), List.of(PREFIX), Types.STRING, Types.STRING, Types.STRING);
    }

    @Test
    void elementsSeeTheBroadcastStateTheirTimestampAndTheWatermark() throws Exception {
        try (var h = harness()) {
            h.processBroadcastElement("a-", 1);
            h.processWatermark(Long.MAX_VALUE, 1); // the update stream holds no event time
            h.processWatermark(5, 0);
            h.processElement("x", 7);
            h.processBroadcastElement("b-", 8);
            h.processElement("y", 9);
            assertThat(h.extractOutputValues()).containsExactly("a-x@7 wm 5", "b-y@9 wm 5");
            assertThat(h.outputTimestamps()).containsExactly(7L, 9L);
        }
    }

    @Test
    void theTaskHandsOnTheLesserWatermarkOfItsTwoInputs() throws Exception {
        try (var h = harness()) {
            h.processWatermark(10, 0);
            assertThat(h.outputWatermarks()).isEmpty();
            h.processWatermark(Long.MAX_VALUE, 1);
            h.processWatermark(20, 0);
            assertThat(h.outputWatermarks()).containsExactly(10L, 20L);
        }
    }

    /** A chained source that ends does not end its task's event time by itself; the operator does, or no replay window would close. */
    @Test
    void theEndOfTheElementInputEndsItsEventTime() throws Exception {
        try (var h = harness()) {
            h.processWatermark(Long.MAX_VALUE, 1);
            h.processWatermark(20, 0);
            h.endInput(0);
            assertThat(h.outputWatermarks()).as("watermarks").containsExactly(20L, Long.MAX_VALUE);
        }
    }
}
