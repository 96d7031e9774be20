package org.tiktokdetector.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;

/**
 * The detector's own Flink metrics, all in one group, so that a Prometheus reporter names them
 * {@code flink_taskmanager_job_task_operator_tiktok_detector_<name>} (README, "Metrics"). A count by a label
 * ({@link ByLabel}) is one series family with a label per value, e.g. {@code tiktok_detector_type_lines{type="zeek/dns"}}.
 */
public final class DetectorMetrics {
    public static final String GROUP = "tiktok_detector";
    /** The value a {@link ByLabel} count gives every value past {@link #MAX_VALUES}. */
    public static final String OTHER = "other";
    /** Distinct values of one label per task: a feed of made-up log types cannot grow the metric registry without end. */
    static final int MAX_VALUES = 512;

    private DetectorMetrics() {}

    /** The detector's group in an operator's metrics. */
    public static MetricGroup group(MetricGroup operator) {
        return operator.addGroup(GROUP);
    }

    /**
     * An accumulator for the run summary that is a metric as well, under the same name: one count, read by the summary
     * when the job ends and by a metrics reporter while it runs.
     */
    public static LongCounter counter(RuntimeContext context, String name) {
        LongCounter count = context.getLongCounter(name);
        group(context.getMetricGroup()).counter(name, new AccumulatorCounter(count));
        return count;
    }

    /** A count by the values of one label: a counter {@code name} for each value, registered when first seen. */
    public static final class ByLabel {
        private final MetricGroup group;
        private final String label;
        private final String name;
        private final HashMap<String, Counter> counters = new HashMap<>();

        public ByLabel(MetricGroup operator, String label, String name) {
            this.group = group(operator);
            this.label = label;
            this.name = name;
        }

        public void inc(String value) {
            inc(value, 1);
        }

        public void inc(String value, long n) {
            Counter c = counters.get(value);
            (c != null ? c : register(value)).inc(n);
        }

        private Counter register(String value) {
            String v = counters.size() < MAX_VALUES ? value : OTHER;
            return counters.computeIfAbsent(v, k -> group.addGroup(label, k).counter(name));
        }
    }

    /** The metric view of an accumulator; only the task that owns the accumulator counts, the reporter only reads. */
    private record AccumulatorCounter(LongCounter count) implements Counter {
        @Override
        public void inc() {
            count.add(1);
        }

        @Override
        public void inc(long n) {
            count.add(n);
        }

        @Override
        public void dec() {
            count.add(-1);
        }

        @Override
        public void dec(long n) {
            count.add(-n);
        }

        @Override
        public long getCount() {
            return count.getLocalValuePrimitive();
        }
    }
}
