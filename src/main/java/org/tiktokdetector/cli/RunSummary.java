package org.tiktokdetector.cli;

import org.apache.flink.api.common.JobExecutionResult;
import org.tiktokdetector.aggregate.BindingJoin;
import org.tiktokdetector.aggregate.DeviceAttribution;
import org.tiktokdetector.aggregate.LateHits;
import org.tiktokdetector.aggregate.ViolationWindowFunction;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.match.BlocklistMatcher;
import org.tiktokdetector.source.InputFiles;

import java.io.PrintStream;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The lines on stderr after an attached run: what an operator checks. Every line or capture unit read is
 * accounted for: judged (it held flow records), ignored (a record of a type without names), malformed
 * (a dead letter) or a packet the capture decoders skipped; nothing is left out of the sum.
 */
final class RunSummary {
    private RunSummary() {}

    /**
     * @param inputs  what was read, as {@link #describe} says it; null in Kafka mode
     * @param outputs option name to path of the files written (for where the dead letters and late hits are)
     */
    static void print(JobExecutionResult result, String inputs, Map<String, String> outputs, PrintStream err) {
        if (!result.isJobExecutionResult()) {
            return; // a detached `flink run` has no result to report
        }
        TreeMap<String, Long> byType = result.getAccumulatorResult(BlocklistMatcher.BY_TYPE);
        long read = byType == null ? 0 : byType.values().stream().mapToLong(Long::longValue).sum();
        long ignored = counter(result, BlocklistMatcher.IGNORED);
        long malformed = counter(result, BlocklistMatcher.MALFORMED);
        long skippedPackets = counter(result, BlocklistMatcher.SKIPPED_PACKETS);
        long bindingLines = counter(result, BlocklistMatcher.BINDING_LINES);
        long judged = read - ignored - malformed - skippedPackets - bindingLines;
        long late = counter(result, LateHits.ACCUMULATOR);
        long early = counter(result, ViolationWindowFunction.EARLY);
        long closed = counter(result, ViolationWindowFunction.FINAL);
        long millis = result.getNetRuntime(TimeUnit.MILLISECONDS);

        StringBuilder first = new StringBuilder("tiktok-detector: ");
        if (inputs != null) {
            first.append(inputs).append(": ");
        }
        first.append(counter(result, BlocklistMatcher.RECORDS)).append(" flow records, ").append(ignored).append(" ignored, ")
                .append(malformed).append(" malformed").append(where(malformed, outputs.get("dead-letter")))
                .append("; ").append(counter(result, DeviceAttribution.HITS)).append(" hits, ").append(late).append(" late")
                .append(where(late, outputs.get("late"))).append("; ").append(early + closed).append(" violation records (")
                .append(early).append(" early, ").append(closed).append(" final)");
        err.println(first);
        err.printf("  %d lines and capture records read in %.1f s (%,d per second): %d judged + %d bindings + %d ignored + %d malformed + %d skipped packets%n",
                read, millis / 1000.0, millis == 0 ? 0 : read * 1000 / millis, judged, bindingLines, ignored, malformed, skippedPackets);
        long noLease = counter(result, BindingJoin.NO_LEASE);
        long expired = counter(result, BindingJoin.EXPIRED);
        if (bindingLines > 0) {
            // Without bindings every hit lacks one: worth saying only when there were some.
            err.printf("  hits without a MAC and no binding at their time: %d no-lease, %d expired (attributed by inventory or address)%n",
                    noLease, expired);
        }
        if (byType != null && !byType.isEmpty()) {
            StringJoiner types = new StringJoiner(", ", "  by type: ", "");
            byType.forEach((type, n) -> types.add(type + " " + n));
            err.println(types);
        }
    }

    /** The replayed inputs: how many logs, captures and streams, and how many files were skipped. */
    static String describe(InputFiles.Found found) {
        StringBuilder s = new StringBuilder();
        s.append(found.count(InputFiles.Kind.LOG)).append(" log files, ").append(found.count(InputFiles.Kind.CAPTURE)).append(" captures");
        long streams = found.inputs().stream().filter(i -> i.kind() == null).count();
        if (streams > 0) {
            s.append(", ").append(streams).append(streams == 1 ? " stream" : " streams");
        }
        if (!found.skipped().isEmpty()) {
            s.append(" (").append(found.skipped().size()).append(" files skipped, listed above)");
        }
        return s.toString();
    }

    private static String where(long count, String path) {
        return count > 0 && path != null ? " (-> " + path + ")" : "";
    }

    private static long counter(JobExecutionResult result, String name) {
        Long v = result.getAccumulatorResult(name);
        return v == null ? 0 : v;
    }
}
