package org.tiktokdetector.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link MatcherBench}'s loop timed by the thread's CPU clock instead of the wall clock: lookups per CPU-second, a
 * figure that other processes on a shared machine disturb far less than JMH's (they still share the caches).
 * Warms up for 5 one-second rounds, then prints the median of {@code --rounds}. {@code --names} cycles through fewer
 * distinct names than {@link MatcherBench}'s 65,536 (e.g. 2048, which stay in the cache). {@code --touch} times only
 * reading each name's characters in the same order, no matching: the floor that fetching the names sets.
 * <pre>java -cp target/benchmarks.jar org.tiktokdetector.bench.MatcherCpu [--list default|1000000] [--rounds 9] [--names 65536] [--touch]</pre>
 */
public final class MatcherCpu {
    private MatcherCpu() {}

    public static void main(String[] argv) {
        MatcherBench bench = new MatcherBench();
        bench.list = stringArg(argv, "--list", "default");
        bench.count = ListLoad.intArg(argv, "--names", MatcherBench.NAMES);
        bench.setup();
        int rounds = ListLoad.intArg(argv, "--rounds", 9);
        boolean touch = java.util.List.of(argv).contains("--touch");
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        double[] rates = new double[rounds];
        long hits = 0;
        for (int round = -5; round < rounds; round++) {
            long start = clock.getCurrentThreadCpuTime();
            long lookups = 0;
            long used;
            do {
                hits += touch ? bench.touchNames() : bench.normaliseAndMatch();
                lookups += bench.count;
                used = clock.getCurrentThreadCpuTime() - start;
            } while (used < 1_000_000_000L);
            if (round >= 0) {
                rates[round] = lookups / (used / 1e9);
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("%s %s, %d names: median %.2f M %s per CPU-second, %.1f ns each (min %.2f, max %.2f, %d rounds; %d %s)%n",
                touch ? "touch only, list" : "list", bench.list, bench.count, sorted[rounds / 2] / 1e6, touch ? "names" : "lookups",
                1e9 / sorted[rounds / 2], sorted[0] / 1e6, sorted[rounds - 1] / 1e6, rounds, hits, touch ? "checksum" : "hits");
    }

    private static String stringArg(String[] argv, String name, String fallback) {
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals(name)) {
                return argv[i + 1];
            }
        }
        return fallback;
    }
}
