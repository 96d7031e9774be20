package org.tiktokdetector.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.records.Category;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a report shows, counted from the violations that stand ({@link ViolationRecords}).
 *
 * <p>Collective (the first phase of CCT 81): violations are counted by group, a department and its site (the sensors
 * that saw the hits: the inventory has no site). A group of fewer than {@code minGroup} devices is merged into
 * {@link #OTHER}; when the merged devices are still fewer, they are left out of every figure (so no total less the
 * shown groups gives them away) and only their number of groups is said. No device, owner or address is kept.
 * Individual (the authorised second phase): every group, and a row per device.
 */
public final class Report {
    public static final String OTHER = "other departments and sites";

    /** One device's row in an individual report. */
    public record DeviceRow(String device, String owner, String department, long violations, long hits, String severity,
                            String firstWindow, String lastWindow) {}

    public final boolean individual;
    public final int minGroup;
    public final String source;
    public final long recordsRead;
    public final long violations;
    /** Groups below the minimum size left out altogether, and their devices. */
    public int suppressedGroups;
    /** Devices in violation per group, and per group and day (yyyy-mm-dd, UTC). */
    public final Map<String, Integer> devicesByGroup = new TreeMap<>();
    public final Map<String, Map<String, Integer>> devicesByGroupAndDay = new TreeMap<>();
    public final TreeSet<String> days = new TreeSet<>();
    public final Map<String, Long> hitsByService = new TreeMap<>();
    public final Map<String, Long> hitsByCategory = new TreeMap<>();
    /** Hits per day. */
    public final Map<String, Long> timeline = new TreeMap<>();
    public final Map<String, Long> topNames = new LinkedHashMap<>();
    /** Violations per severity, high first. */
    public final Map<String, Long> severities = new LinkedHashMap<>();
    /** Violations per list version in force. */
    public final Map<String, Long> listVersions = new TreeMap<>();
    public final List<DeviceRow> devices = new ArrayList<>();

    static final int TOP_NAMES = 15;

    public Report(ViolationRecords records, boolean individual, int minGroup, String source) {
        this.individual = individual;
        this.minGroup = minGroup;
        this.source = source;
        this.recordsRead = records.read();
        List<JsonNode> all = records.latest();
        Map<String, String> groupOf = groups(all);
        List<JsonNode> shown = all.stream().filter(v -> groupOf.containsKey(group(v))).toList();
        this.violations = shown.size();
        Map<String, Set<String>> devicesIn = new TreeMap<>();
        Map<String, Map<String, Set<String>>> devicesOnDay = new TreeMap<>();
        Map<String, Long> names = new LinkedHashMap<>();
        for (String s : List.of("high", "medium", "low")) {
            severities.put(s, 0L);
        }
        for (JsonNode v : shown) {
            String g = groupOf.get(group(v));
            String device = v.path("device_id").asText();
            String day = day(v);
            days.add(day);
            devicesIn.computeIfAbsent(g, k -> new HashSet<>()).add(device);
            devicesOnDay.computeIfAbsent(g, k -> new TreeMap<>()).computeIfAbsent(day, k -> new HashSet<>()).add(device);
            long hits = v.path("hit_count").asLong();
            timeline.merge(day, hits, Long::sum);
            v.path("categories").fields().forEachRemaining(e -> {
                hitsByCategory.merge(e.getKey(), e.getValue().asLong(), Long::sum);
                hitsByService.merge(Category.fromLabel(e.getKey()).service(), e.getValue().asLong(), Long::sum);
            });
            v.path("names").fields().forEachRemaining(e -> names.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            severities.merge(v.path("severity").asText("unknown"), 1L, Long::sum);
            listVersions.merge(v.path("list_version").asText("unknown"), 1L, Long::sum);
        }
        devicesIn.forEach((g, d) -> devicesByGroup.put(g, d.size()));
        devicesOnDay.forEach((g, byDay) -> {
            Map<String, Integer> counts = new TreeMap<>();
            byDay.forEach((day, d) -> counts.put(day, d.size()));
            devicesByGroupAndDay.put(g, counts);
        });
        names.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_NAMES).forEach(e -> topNames.put(e.getKey(), e.getValue()));
        if (individual) {
            deviceRows(shown);
        }
    }

    /** Each group that is shown, with the label it is shown under; groups left out are absent. */
    private Map<String, String> groups(List<JsonNode> all) {
        Map<String, Set<String>> devices = new TreeMap<>();
        for (JsonNode v : all) {
            devices.computeIfAbsent(group(v), k -> new HashSet<>()).add(v.path("device_id").asText());
        }
        Map<String, String> label = new LinkedHashMap<>();
        Set<String> small = new HashSet<>();
        List<String> smallGroups = new ArrayList<>();
        devices.forEach((g, d) -> {
            if (individual || d.size() >= minGroup) {
                label.put(g, g);
            } else {
                small.addAll(d);
                smallGroups.add(g);
            }
        });
        if (small.size() >= minGroup) {
            smallGroups.forEach(g -> label.put(g, OTHER));
        } else {
            suppressedGroups = smallGroups.size();
        }
        return label;
    }

    /** A department at a site: "Finance @ nac-gw". */
    private static String group(JsonNode v) {
        String department = v.path("department").asText("");
        TreeSet<String> sensors = new TreeSet<>();
        v.path("sensors").forEach(s -> sensors.add(s.asText()));
        return (department.isEmpty() ? "(no department)" : department) + " @ " + (sensors.isEmpty() ? "(no sensor)" : String.join("+", sensors));
    }

    private static String day(JsonNode v) {
        return v.path("window_start").asText().substring(0, 10);
    }

    private void deviceRows(List<JsonNode> shown) {
        Map<String, List<JsonNode>> byDevice = new TreeMap<>();
        shown.forEach(v -> byDevice.computeIfAbsent(v.path("device_id").asText(), k -> new ArrayList<>()).add(v));
        List<String> order = List.of("high", "medium", "low");
        byDevice.forEach((device, vs) -> {
            JsonNode first = vs.get(0);
            String worst = vs.stream().map(v -> v.path("severity").asText()).min(Comparator.comparingInt(s -> order.indexOf(s) < 0 ? 9 : order.indexOf(s)))
                    .orElse("");
            devices.add(new DeviceRow(device, first.path("owner").asText(""), first.path("department").asText(""), vs.size(),
                    vs.stream().mapToLong(v -> v.path("hit_count").asLong()).sum(), worst,
                    vs.stream().map(v -> v.path("window_start").asText()).min(String::compareTo).orElse(""),
                    vs.stream().map(v -> v.path("window_start").asText()).max(String::compareTo).orElse("")));
        });
    }
}
