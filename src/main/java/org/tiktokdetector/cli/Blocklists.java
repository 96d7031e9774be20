package org.tiktokdetector.cli;

import org.tiktokdetector.TextFile;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the lists a command was given, refusing to go on with a bad entry. */
final class Blocklists {
    private Blocklists() {}

    /**
     * The default list (unless left out) followed by each file; later rules with the same key win.
     * Every rejected line is printed to {@code err}; any rejection is a usage error.
     */
    static List<BlocklistRule> load(boolean withDefault, List<String> files, PrintStream err) {
        List<BlocklistParser.Result> results = new ArrayList<>();
        if (withDefault) {
            results.add(BlocklistParser.parseDefault());
        }
        for (String f : files) {
            results.add(parse(f));
        }
        List<BlocklistRule> rules = new ArrayList<>();
        int rejected = 0;
        for (BlocklistParser.Result r : results) {
            rules.addAll(r.rules());
            for (BlocklistParser.Rejected x : r.rejected()) {
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
        return rules;
    }

    static BlocklistParser.Result parse(String file) {
        try {
            return BlocklistParser.parse(Path.of(file));
        } catch (TextFile.Unreadable e) {
            throw new UsageException("blocklist " + e.getMessage());
        }
    }
}
