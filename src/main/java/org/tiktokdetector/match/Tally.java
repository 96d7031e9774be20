package org.tiktokdetector.match;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** A Flink accumulator that counts by name (input lines by log type), for the run summary. */
public final class Tally implements Accumulator<String, TreeMap<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Long> counts = new HashMap<>();

    @Override
    public void add(String name) {
        counts.merge(name, 1L, Long::sum);
    }

    @Override
    public TreeMap<String, Long> getLocalValue() {
        return new TreeMap<>(counts);
    }

    @Override
    public void resetLocal() {
        counts.clear();
    }

    @Override
    public void merge(Accumulator<String, TreeMap<String, Long>> other) {
        for (Map.Entry<String, Long> e : other.getLocalValue().entrySet()) {
            counts.merge(e.getKey(), e.getValue(), Long::sum);
        }
    }

    @Override
    public Tally clone() {
        Tally t = new Tally();
        t.counts.putAll(counts);
        return t;
    }
}
