package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tiktokdetector.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of the CLI as a user runs it (Main.run), with what it printed and the counts of its run summary. */
public record DetectRun(int exit, String out, String err) {
    private static final Pattern READ = Pattern.compile(
            "(\\d+) lines and capture records read .*: (\\d+) judged \\+ (\\d+) bindings \\+ (\\d+) ignored \\+ (\\d+) malformed \\+ (\\d+) skipped packets");
    private static final Pattern RECORDS = Pattern.compile("(\\d+) flow records, ");
    private static final Pattern HITS = Pattern.compile("; (\\d+) hits, (\\d+) late");
    private static final Pattern BY_TYPE = Pattern.compile("\n  by type: (.*)\n");
    private static final Pattern VIOLATIONS = Pattern.compile("(\\d+) violation records \\((\\d+) early, (\\d+) final\\)");

    public static DetectRun of(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new DetectRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The objects of a JSON-lines file a run wrote (violations, hits, dead letters). */
    public static List<JsonNode> jsonLines(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            nodes.add(m.readTree(line));
        }
        return nodes;
    }

    public long flowRecords() {
        return group(RECORDS, 1);
    }

    /** The summary's "by type" line: lines and capture units read, by log type. */
    public Map<String, Long> byType() {
        Matcher m = BY_TYPE.matcher(err);
        if (!m.find()) {
            throw new AssertionError("no counts by type in:\n" + err);
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String typeAndCount : m.group(1).split(", ")) {
            int space = typeAndCount.lastIndexOf(' ');
            counts.put(typeAndCount.substring(0, space), Long.parseLong(typeAndCount.substring(space + 1)));
        }
        return counts;
    }

    public long read() {
        return group(READ, 1);
    }

    public long judged() {
        return group(READ, 2);
    }

    /** Lines that held address bindings (DHCP, NAC). */
    public long bindings() {
        return group(READ, 3);
    }

    public long ignored() {
        return group(READ, 4);
    }

    public long malformed() {
        return group(READ, 5);
    }

    public long skippedPackets() {
        return group(READ, 6);
    }

    public long hits() {
        return group(HITS, 1);
    }

    public long late() {
        return group(HITS, 2);
    }

    public long earlyViolations() {
        return group(VIOLATIONS, 2);
    }

    public long finalViolations() {
        return group(VIOLATIONS, 3);
    }

    private long group(Pattern p, int group) {
        Matcher m = p.matcher(err);
        if (!m.find()) {
            throw new AssertionError("no run summary (" + p + ") in:\n" + err);
        }
        return Long.parseLong(m.group(group));
    }
}
