package org.tiktokdetector.bench;

import org.tiktokdetector.match.Blocklist;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loading a big list: parse a generated list file of N rules (default 1,000,000) and index it, as the job does
 * at start, and how much of that time the garbage collector's pauses took; the heap the loaded list holds (forced GC
 * before and after, MemoryMXBean); then the time to apply
 * updates (adds of new rules and removes of existing ones). Each step runs {@code --runs} times; medians printed.
 * <pre>java -Xmx2g -cp target/benchmarks.jar org.tiktokdetector.bench.ListLoad [--rules 1000000] [--updates 100000] [--runs 5]</pre>
 */
public final class ListLoad {
    private ListLoad() {}

    public static void main(String[] argv) throws Exception {
        int rules = intArg(argv, "--rules", 1_000_000);
        // Half the updates remove a rule of the list, each a different one: no more updates than rules.
        int updates = Math.min(intArg(argv, "--updates", 100_000), rules);
        int runs = intArg(argv, "--runs", 5);
        Path file = Files.createTempFile("bench-list", ".list");
        Files.writeString(file, BenchData.generatedListFile(rules));
        System.out.printf("list file: %d rules, %.1f MB%n", rules, Files.size(file) / 1e6);

        double[] parse = new double[runs];
        double[] index = new double[runs];
        double[] retained = new double[runs];
        double[] update = new double[runs];
        double[] gc = new double[runs];
        for (int run = 0; run < runs; run++) {
            long before = usedHeapAfterGc();
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            BlocklistParser.Result parsed = BlocklistParser.parse(file);
            long t1 = System.nanoTime();
            List<BlocklistRule> all = new ArrayList<>(BenchData.defaultRules());
            all.addAll(parsed.rules());
            Blocklist list = Blocklist.of(all);
            long t2 = System.nanoTime();
            gc[run] = (gcMillis() - gc0) / 1e3;
            // What a running matcher keeps: the rule objects (initial list) and the lookup index.
            retained[run] = (usedHeapAfterGc() - before) / 1e6;
            parse[run] = (t1 - t0) / 1e9;
            index[run] = (t2 - t1) / 1e9;

            List<BlocklistUpdate> changes = new ArrayList<>(updates);
            BenchData data = new BenchData(run);
            for (int i = 0; i < updates; i++) {
                changes.add(i % 2 == 0
                        ? BlocklistUpdate.add(new BlocklistRule("upd" + i + "." + data.word() + ".com",
                                org.tiktokdetector.match.MatchType.SUFFIX, false, org.tiktokdetector.records.Category.UNCLASSIFIED, "updates.list:" + i))
                        : BlocklistUpdate.remove(parsed.rules().get(i)));
            }
            long t3 = System.nanoTime();
            for (BlocklistUpdate u : changes) {
                list.apply(u);
            }
            long t4 = System.nanoTime();
            update[run] = (t4 - t3) / 1e3 / updates;
            if (list.size() != all.size()) {
                throw new IllegalStateException("updates did not balance: " + list.size());
            }
            System.out.printf("run %d: parse %.3f s, index %.3f s, load %.3f s (GC pauses %.3f s of it), heap retained %.1f MB, update %.3f us each%n",
                    run + 1, parse[run], index[run], parse[run] + index[run], gc[run], retained[run], update[run]);
        }
        Files.delete(file);
        double[] load = new double[runs];
        for (int i = 0; i < runs; i++) {
            load[i] = parse[i] + index[i];
        }
        System.out.printf("median of %d: load %.3f s (parse %.3f s + index %.3f s; GC pauses %.3f s), heap retained %.1f MB, update %.3f us (%.0f updates/s)%n",
                runs, median(load), median(parse), median(index), median(gc), median(retained), median(update), 1e6 / median(update));
    }

    /** Milliseconds the collectors have spent so far (for G1: its young, mixed and full pauses). */
    private static long gcMillis() {
        long sum = 0;
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, collector.getCollectionTime());
        }
        return sum;
    }

    /** Heap in use once garbage is gone: GC until the figure stops falling. */
    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used >= last) {
                return Math.min(used, last);
            }
            last = used;
        }
        return last;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static int intArg(String[] argv, String name, int fallback) {
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals(name)) {
                return Integer.parseInt(argv[i + 1].replace("_", ""));
            }
        }
        return fallback;
    }
}
