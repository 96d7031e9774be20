package org.tiktokdetector.cli;

import org.tiktokdetector.io.UsageException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, {@code --name=value}, repeated or multi-valued options
 * ({@code --input a b c}), boolean flags, and positional arguments. Unknown options are refused with
 * the list of known ones, so a typo never silently changes behaviour.
 */
public final class Args {
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * @param valued options that take one or more values
     * @param flags  options that take none
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> flags) {
        return parse(argv, valued, Set.of(), flags);
    }

    /**
     * @param single options that take exactly one value: the arguments after it are positional
     *               ({@code --topic flows a.jsonl b.jsonl})
     */
    public static Args parse(List<String> argv, Set<String> valued, Set<String> single, Set<String> flags) {
        Args a = new Args();
        String current = null;
        for (String arg : argv) {
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    a.options.computeIfAbsent(name, k -> new ArrayList<>());
                    current = null;
                } else if (valued.contains(name) || single.contains(name)) {
                    List<String> values = a.options.computeIfAbsent(name, k -> new ArrayList<>());
                    if (inline != null) {
                        values.add(inline);
                        current = null;
                    } else {
                        current = name;
                    }
                } else {
                    List<String> known = new ArrayList<>(valued);
                    known.addAll(single);
                    known.addAll(flags);
                    known.sort(null);
                    throw new UsageException("unknown option --" + name + "; known options: --" + String.join(", --", known));
                }
            } else if (current != null) {
                a.options.get(current).add(arg);
                if (single.contains(current)) {
                    current = null;
                }
            } else {
                a.positional.add(arg);
            }
        }
        a.options.forEach((name, values) -> {
            if ((valued.contains(name) || single.contains(name)) && values.isEmpty()) {
                throw new UsageException("option --" + name + " needs a value");
            }
        });
        return a;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public String get(String name, String fallback) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new UsageException("option --" + name + " takes one value, got " + v.size() + ": " + String.join(" ", v));
        }
        return v.isEmpty() ? fallback : v.get(0);
    }

    public int getInt(String name, int fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a whole number, got \"" + v + "\"");
        }
    }

    /** Durations as 30s, 10m, 2h, 1d, 500ms or ISO-8601 (PT10M). */
    public Duration getDuration(String name, Duration fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                return Duration.parse(v);
            }
            String digits = v.replaceAll("[a-z]+$", "");
            long n = Long.parseLong(digits);
            return switch (v.substring(digits.length())) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException("option --" + name + " needs a duration like 30s, 10m or 2h, got \"" + v + "\"");
        }
    }

    /** Sizes in bytes: 4096, 512k, 1m. */
    public int getSize(String name, int fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            String lower = v.toLowerCase(java.util.Locale.ROOT);
            int shift = lower.endsWith("k") ? 10 : lower.endsWith("m") ? 20 : 0;
            long n = Long.parseLong(shift == 0 ? lower : lower.substring(0, lower.length() - 1)) << shift;
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a size like 4096, 512k or 1m, got \"" + v + "\"");
        }
    }

    public List<String> positional() {
        return positional;
    }
}
