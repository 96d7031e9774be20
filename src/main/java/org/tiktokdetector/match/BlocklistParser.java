package org.tiktokdetector.match;

import org.tiktokdetector.io.TextFile;
import org.tiktokdetector.records.Category;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the list formats operators have, recognised line by line so lists can be concatenated:
 * <ul>
 *   <li>plain: {@code tiktok.com} - the name and all subdomains;</li>
 *   <li>hosts: {@code 0.0.0.0 name [name...]} - exactly those names;</li>
 *   <li>Adblock: {@code ||name^} - the name and all subdomains; {@code @@||name^} - an exception;</li>
 *   <li>ours: {@code [category]} sets the category of the rules below it, {@code =host} is an exact
 *       host, {@code *.name} subdomains only, {@code @@name} an exception.</li>
 * </ul>
 * Comments: lines starting with '#' or '!', and " #" to the end of a line. Every line that is not
 * a rule or a comment is rejected with its reason; nothing is silently dropped.
 */
public final class BlocklistParser {
    public static final String DEFAULT_RESOURCE = "/blocklist/default.list";
    /** Names hosts files carry for the machine itself, not for blocking. */
    private static final Set<String> HOSTS_LOCAL_NAMES = Set.of(
            "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
            "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0");

    /** What separates a hosts line's fields; compiled once (String.split compiles its regex on every call). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public record Rejected(String origin, int line, String text, String reason) {
        @Override
        public String toString() {
            return origin + ":" + line + ": " + reason + ": " + text;
        }
    }

    public record Result(List<BlocklistRule> rules, List<Rejected> rejected) {}

    private BlocklistParser() {}

    /**
     * @throws TextFile.Unreadable when the file is missing, a folder, unreadable or not UTF-8, with a
     *                             message for the user (the caller reports it as a usage error)
     */
    public static Result parse(Path file) throws TextFile.Unreadable {
        return TextFile.read(file, in -> parse(in, file.getFileName().toString()));
    }

    /** The curated list shipped in the jar. */
    public static Result parseDefault() {
        InputStream in = BlocklistParser.class.getResourceAsStream(DEFAULT_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the jar");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(r, "default.list");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result parse(BufferedReader in, String origin) throws IOException {
        List<BlocklistRule> rules = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Category category = Category.UNCLASSIFIED;
        int lineNo = 0;
        for (String raw; (raw = in.readLine()) != null; ) {
            lineNo++;
            String line = stripComment(raw);
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (line.startsWith("[Adblock")) {
                    continue;
                }
                String label = line.endsWith("]") ? line.substring(1, line.length() - 1).trim() : "";
                Category c = Category.fromLabel(label);
                if (c == null) {
                    rejected.add(new Rejected(origin, lineNo, raw, "unknown category [" + label + "]; known: " + Category.labels()));
                    category = Category.UNCLASSIFIED;
                } else {
                    category = c;
                }
                continue;
            }
            String where = origin + ":" + lineNo;
            try {
                for (BlocklistRule r : parseLine(line, category, where)) {
                    String refusal = SuffixGuard.refusal(r);
                    if (refusal != null) {
                        rejected.add(new Rejected(origin, lineNo, raw, refusal));
                    } else {
                        rules.add(r);
                    }
                }
            } catch (IllegalArgumentException e) {
                rejected.add(new Rejected(origin, lineNo, raw, e.getMessage()));
            }
        }
        return new Result(rules, rejected);
    }

    /**
     * One rule in our list syntax ("tiktokv.com", "=host", "*.name", "@@name", "||name^"), as a
     * control topic carries it: exactly one rule, no comment, no hosts line, checked like a list line
     * (including the shared-suffix guard).
     *
     * @throws IllegalArgumentException with the reason the rule is refused
     */
    public static BlocklistRule parseRule(String text, Category category, String origin) {
        String rule = text == null ? "" : text.strip();
        if (rule.isEmpty()) {
            throw new IllegalArgumentException("empty rule");
        }
        if (rule.startsWith("#") || rule.startsWith("!") || rule.startsWith("[") || rule.split("\\s+").length > 1) {
            throw new IllegalArgumentException("expected one rule such as \"tiktokv.com\", \"=host\", \"*.name\" or \"@@name\"");
        }
        BlocklistRule r = parseLine(rule, category, origin).get(0);
        String refusal = SuffixGuard.refusal(r);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        return r;
    }

    private static String stripComment(String raw) {
        String line = raw.strip();
        if (line.startsWith("#") || line.startsWith("!")) {
            return "";
        }
        int hash = line.indexOf(" #");
        return hash >= 0 ? line.substring(0, hash).strip() : line;
    }

    /** One line in any of the formats; hosts lines may carry several names. */
    private static List<BlocklistRule> parseLine(String line, Category category, String where) {
        // Nearly every line is one token: skip the regex unless the line has whitespace inside.
        String[] tokens = hasWhitespace(line) ? WHITESPACE.split(line) : new String[] {line};
        if (tokens.length > 1) {
            if (!looksLikeAddress(tokens[0])) {
                throw new IllegalArgumentException("expected one name per line, or a hosts line \"0.0.0.0 name\"");
            }
            List<BlocklistRule> out = new ArrayList<>();
            for (int i = 1; i < tokens.length; i++) {
                if (!HOSTS_LOCAL_NAMES.contains(tokens[i])) {
                    out.add(new BlocklistRule(name(tokens[i]), MatchType.EXACT, false, category, where));
                }
            }
            return out;
        }
        boolean allow = line.startsWith("@@");
        String body = allow ? line.substring(2) : line;
        if (body.startsWith("||")) {
            int caret = body.indexOf('^');
            if (caret < 0 || !(caret == body.length() - 1 || body.charAt(caret + 1) == '$')) {
                throw new IllegalArgumentException("unsupported Adblock rule: only \"||name^\" is understood");
            }
            return List.of(new BlocklistRule(name(body.substring(2, caret)), MatchType.SUFFIX, allow, category, where));
        }
        if (body.startsWith("/") || body.startsWith("|") || body.contains("*") && !body.startsWith("*.")) {
            throw new IllegalArgumentException("regular expressions and patterns are not supported: list names, \"*.name\" or \"||name^\"");
        }
        if (looksLikeAddress(body)) {
            throw new IllegalArgumentException("an address without a name; this list matches names, not addresses");
        }
        if (body.startsWith("=")) {
            return List.of(new BlocklistRule(name(body.substring(1)), MatchType.EXACT, allow, category, where));
        }
        if (body.startsWith("*.")) {
            return List.of(new BlocklistRule(name(body.substring(2)), MatchType.WILDCARD, allow, category, where));
        }
        return List.of(new BlocklistRule(name(body), MatchType.SUFFIX, allow, category, where));
    }

    /** Whether the line holds a character of the regex class \\s. */
    private static boolean hasWhitespace(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private static String name(String text) {
        String n = DomainName.normalise(text);
        if (n == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid host name");
        }
        if (looksLikeAddress(n)) {
            throw new IllegalArgumentException("\"" + text + "\" is an IP address; this list matches names, not addresses");
        }
        return n;
    }

    private static boolean looksLikeAddress(String s) {
        if (s.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
