package org.tiktokdetector.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link MatcherBench}'s loop timed by the thread's CPU clock instead of the wall clock: lookups per CPU-second, a
 * figure that other processes on a shared machine disturb far less than JMH's (they still share the caches).
 * Warms up for 5 one-second rounds, then prints the median of {@code --rounds}. {@code --names} cycles through fewer
 * distinct names than {@link MatcherBench}'s 65,536 (e.g. 2048, which stay in the cache).
 * <pre>java -cp target/benchmarks.jar org.tiktokdetector.bench.MatcherCpu [--list default|1000000] [--rounds 9] [--names 65536]</pre>
 */
public final class MatcherCpu {
    private MatcherCpu() {}

    public static void main(String[] argv) {
        MatcherBench bench = new MatcherBench();
        bench.list = stringArg(argv, "--list", "default");
        bench.count = ListLoad.intArg(argv, "--names", MatcherBench.NAMES);
        bench.setup();
        int rounds = ListLoad.intArg(argv, "--rounds", 9);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        double[] rates = new double[rounds];
        long hits = 0;
        for (int round = -5; round < rounds; round++) {
            long start = clock.getCurrentThreadCpuTime();
            long lookups = 0;
            long used;
            do {
                hits += bench.normaliseAndMatch();
                lookups += bench.count;
                used = clock.getCurrentThreadCpuTime() - start;
            } while (used < 1_000_000_000L);
            if (round >= 0) {
                rates[round] = lookups / (used / 1e9);
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("list %s, %d names: median %.2f M lookups per CPU-second (min %.2f, max %.2f, %d rounds; %d hits)%n",
                bench.list, bench.count, sorted[rounds / 2] / 1e6, sorted[0] / 1e6, sorted[rounds - 1] / 1e6, rounds, hits);
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
