package org.tiktokdetector.cli;

import org.tiktokdetector.io.TextFile;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loads the lists a command was given, refusing to go on with a bad entry. */
final class Blocklists {
    /** One parsed list: {@code name} as a report names it, {@code builtIn} for the default list in the jar. */
    record Parsed(String name, boolean builtIn, BlocklistParser.Result result) {}

    private Blocklists() {}

    /**
     * The default list (unless left out) followed by each file; later rules with the same key win.
     * Every rejected line is printed to {@code err}, and any rejection is a usage error; then a warning
     * for each rule that changes a rule of an earlier list ({@link #overrides}).
     */
    static List<BlocklistRule> load(boolean withDefault, List<String> files, PrintStream err) {
        List<Parsed> lists = parse(withDefault, files);
        List<BlocklistRule> rules = new ArrayList<>();
        int rejected = 0;
        for (Parsed list : lists) {
            rules.addAll(list.result().rules());
            for (BlocklistParser.Rejected x : list.result().rejected()) {
                err.println(x);
                rejected++;
            }
        }
        if (rejected > 0) {
            throw new UsageException(rejected + " blocklist line(s) rejected (listed above); fix or remove them, and check a list with `blocklist check FILE`");
        }
        if (rules.isEmpty()) {
            throw new UsageException("the blocklist is empty; drop --no-default-blocklist or give --blocklist FILE");
        }
        overrides(lists).forEach(err::println);
        return rules;
    }

    /** The default list (when asked for) first, then each file in the order given: the order rules are loaded in. */
    static List<Parsed> parse(boolean withDefault, List<String> files) {
        List<Parsed> lists = new ArrayList<>();
        if (withDefault) {
            lists.add(new Parsed("default list", true, BlocklistParser.parseDefault()));
        }
        for (String f : files) {
            try {
                lists.add(new Parsed(f, false, BlocklistParser.parse(Path.of(f))));
            } catch (TextFile.Unreadable e) {
                throw new UsageException("blocklist " + e.getMessage());
            }
        }
        return lists;
    }

    /**
     * One warning line for each rule that changes a rule of an earlier list. A rule's key is its name and
     * match type, and a later rule with the same key replaces the earlier one: this says so when that makes a
     * difference (an exception for a blocked name, a block for an excepted one, another category for a
     * blocked one). A rule repeated as it was changes nothing and is not mentioned; nor is an exception for a
     * narrower name ({@code @@creators.tiktok.com} under {@code tiktok.com}), which is what exceptions are for.
     */
    static List<String> overrides(List<Parsed> lists) {
        record Earlier(BlocklistRule rule, boolean builtIn) {}
        Map<String, Earlier> inForce = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            Parsed list = lists.get(i);
            for (BlocklistRule later : list.result().rules()) {
                Earlier earlier = inForce.get(later.key());
                String change = earlier == null ? null : change(earlier.rule(), describe(earlier.rule(), earlier.builtIn()), later);
                if (change != null) {
                    warnings.add("warning: " + later.origin + ": " + later.text() + " " + change);
                }
            }
            if (i < lists.size() - 1) { // the last list's rules have no later list to be changed by
                list.result().rules().forEach(r -> inForce.put(r.key(), new Earlier(r, list.builtIn())));
            }
        }
        return warnings;
    }

    /** @return how {@code later} changes {@code earlier} (described as {@code was}), or null when it does not */
    private static String change(BlocklistRule earlier, String was, BlocklistRule later) {
        if (!earlier.allow && later.allow) {
            return "switches off the rule " + was;
        }
        if (earlier.allow && !later.allow) {
            return "replaces the exception " + was + ": its names are blocked again";
        }
        if (!later.allow && earlier.category != later.category) {
            return "changes the category of the rule " + was + " to " + later.category.label();
        }
        return null;
    }

    /** "tiktokv.com (tiktok-app, suffix) of the built-in default list line 12", or "... of my.list:3". */
    private static String describe(BlocklistRule rule, boolean builtIn) {
        String where = builtIn ? "the built-in default list line " + rule.origin.substring(rule.origin.lastIndexOf(':') + 1) : rule.origin;
        return rule.text() + " (" + rule.category.label() + ", " + rule.type.name().toLowerCase(Locale.ROOT) + ") of " + where;
    }
}
