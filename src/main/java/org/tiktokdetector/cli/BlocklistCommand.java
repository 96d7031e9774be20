package org.tiktokdetector.cli;

import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.MatchType;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code blocklist check FILE...}: validates list files before an operator deploys them. */
public class BlocklistCommand implements Command {
    @Override
    public String name() {
        return "blocklist";
    }

    @Override
    public String summary() {
        return "check blocklist files: rules by category, every rejected line, rules that change another list's";
    }

    @Override
    public String help() {
        return """
                usage: blocklist check [--default] [--strict] [FILE...]

                Parses each list (plain, hosts, Adblock "||name^" or tiktok-detector's own format),
                prints the number of rules by category and match type, and every rejected line with
                its reason. The lists are then taken together in the order given, as `detect` loads
                them (the built-in list first with --default): a rule with the same name and match type
                as a rule of an earlier list replaces it, and where that changes something (an
                exception "@@name" switching a rule off, a rule lifting an exception, another category)
                a warning on stderr names both lines. Exits 1 when any line is rejected, or with
                --strict when there is a warning; 0 otherwise.

                  --default   check the built-in default list too (alone when no FILE is given), and
                              the files against it
                  --strict    exit 1 on a warning too""";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse(argv, Set.of(), Set.of("default", "strict"));
        List<String> pos = args.positional();
        if (pos.isEmpty() || !pos.get(0).equals("check")) {
            throw new UsageException("expected `blocklist check FILE...`");
        }
        List<String> files = pos.subList(1, pos.size());
        if (files.isEmpty() && !args.has("default")) {
            throw new UsageException("name at least one list file, or --default for the built-in list");
        }
        List<Blocklists.Parsed> lists = Blocklists.parse(args.has("default"), files);
        int rejected = 0;
        for (Blocklists.Parsed list : lists) {
            rejected += report(list.name(), list.result(), out);
        }
        List<String> warnings = Blocklists.overrides(lists);
        warnings.forEach(err::println);
        return rejected > 0 || (args.has("strict") && !warnings.isEmpty()) ? 1 : 0;
    }

    private static int report(String what, BlocklistParser.Result result, PrintStream out) {
        Map<String, Map<MatchType, Integer>> counts = new TreeMap<>();
        int allow = 0;
        for (BlocklistRule r : result.rules()) {
            counts.computeIfAbsent(r.category.label(), k -> new TreeMap<>()).merge(r.type, 1, Integer::sum);
            allow += r.allow ? 1 : 0;
        }
        out.printf("%s: %d rules (%d exceptions), %d rejected%n", what, result.rules().size(), allow, result.rejected().size());
        counts.forEach((category, byType) -> {
            StringBuilder sb = new StringBuilder();
            byType.forEach((t, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(t.name().toLowerCase()));
            out.printf("  %-14s %s%n", category, sb);
        });
        result.rejected().forEach(r -> out.println("  rejected " + r));
        return result.rejected().size();
    }
}
