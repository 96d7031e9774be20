package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires a window twice: at once when its hit count reaches the threshold (the early record an
 * analyst sees within seconds), and when the watermark passes its end (the final record). A late
 * hit inside the allowed lateness fires it again, so the final record is restated with that hit.
 */
public class ThresholdTrigger extends Trigger<Object, TimeWindow> {
    private final long threshold;
    private final ReducingStateDescriptor<Long> countDescriptor =
            new ReducingStateDescriptor<>("hit-count", Long::sum, LongSerializer.INSTANCE);

    public ThresholdTrigger(long threshold) {
        this.threshold = threshold;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE; // late but within the allowed lateness: restate the final record
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        ReducingState<Long> count = ctx.getPartitionedState(countDescriptor);
        count.add(1L);
        return count.get() == threshold ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ctx.getPartitionedState(countDescriptor).clear();
    }

    @Override
    public String toString() {
        return "ThresholdTrigger(" + threshold + ")";
    }
}
