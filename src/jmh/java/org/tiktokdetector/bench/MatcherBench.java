package org.tiktokdetector.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tiktokdetector.match.Blocklist;
import org.tiktokdetector.match.BlocklistRule;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the matcher does per flow record: check and normalise the observed name and find its most specific rule
 * (one pass, {@code Blocklist.match}).
 * Names are 99% ordinary (must not match) and 1% hits; with the 1,000,000-rule list half the hits are on
 * generated rules. Score: lookups per second on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class MatcherBench {
    static final int NAMES = 1 << 16;

    /** default = the built-in list; 1000000 = the built-in list plus 1,000,000 generated rules. */
    @Param({"default", "1000000"})
    public String list;

    /**
     * How many distinct names the loop cycles through; {@code MatcherCpu --names} sets fewer, so they stay in the
     * cache, to tell the matcher's own cost from that of fetching 65,536 names (about 4 MB) from memory.
     */
    int count = NAMES;
    private Blocklist blocklist;
    private String[] names;

    @Setup
    public void setup() {
        BenchData data = new BenchData(42);
        List<BlocklistRule> rules = new ArrayList<>(BenchData.defaultRules());
        int generated = list.equals("default") ? 0 : Integer.parseInt(list);
        rules.addAll(data.generatedRules(generated));
        blocklist = Blocklist.of(rules);
        names = data.lookups(count, 1.0, generated);
    }

    @Benchmark
    @OperationsPerInvocation(NAMES)
    public int normaliseAndMatch() {
        int hits = 0;
        for (String raw : names) {
            if (blocklist.match(raw) != null) { // normalises as it matches
                hits++;
            }
        }
        return hits;
    }

    /**
     * Reads every character of every name, in {@link #normaliseAndMatch}'s order, and does nothing else: the part of
     * a lookup's time that is fetching the names from memory ({@code MatcherCpu --touch}).
     */
    int touchNames() {
        int sum = 0;
        for (String raw : names) {
            for (int i = raw.length() - 1; i >= 0; i--) {
                sum += raw.charAt(i);
            }
        }
        return sum;
    }
}
