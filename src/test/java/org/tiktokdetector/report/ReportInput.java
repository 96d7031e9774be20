package org.tiktokdetector.report;

import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Violation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Violations as detect writes them (Violation.toJson), with identifiers a report must keep out of a collective page:
 * six devices of Finance at tap-hq-1, and five in smaller groups (two of Legal at tap-hq-2, three of the Cabinet at
 * nac-gw). Each violation has an early record and a final one with more hits (restated once for some), so a report
 * that counted records instead of violations would show other figures.
 */
final class ReportInput {
    record Device(String id, String owner, String department, String sensor, String ip, String mac) {}

    final List<Device> devices = new ArrayList<>();
    /** The record that stands for each violation (its last final one), what a report must count. */
    final List<Violation> standing = new ArrayList<>();
    /** Every record, in the order they were written. */
    final List<String> lines = new ArrayList<>();

    ReportInput() {
        addGroup("Finance", "tap-hq-1", "FIN-LAPTOP-", "f.owner", 6, 1);
        addGroup("Legal", "tap-hq-2", "LEG-PHONE-", "l.owner", 2, 2);
        addGroup("Cabinet", "nac-gw", "CAB-TABLET-", "c.owner", 3, 3);
        Random random = new Random(14);
        Category[] categories = {Category.TIKTOK_APP, Category.TIKTOK_CDN, Category.TIKTOK_WEB, Category.CAPCUT, Category.BYTEDANCE};
        String[] names = {"api16-normal-c-useast1a.tiktokv.com", "v16-webapp.tiktokcdn.com", "www.tiktok.com", "mobile.capcut.com",
                "mon.byteoversea.com", "log22-normal-alisg.tiktokv.com"};
        String[] severities = {"high", "medium", "low"};
        long day = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
        int n = 0;
        for (Device d : devices) {
            int windows = 1 + random.nextInt(3);
            for (int w = 0; w < windows; w++) {
                long start = day + (w % 2) * 86_400_000L + (9 + w) * 3_600_000L;
                Violation early = violation(d, "v-" + n++, start, "early", 5, categories[random.nextInt(categories.length)],
                        names[random.nextInt(names.length)], severities[random.nextInt(3)], 0);
                lines.add(early.toJson().toString());
                Violation last = violation(d, early.violationId, start, "final", 6 + random.nextInt(20),
                        categories[random.nextInt(categories.length)], names[random.nextInt(names.length)], severities[random.nextInt(3)],
                        random.nextInt(3));
                lines.add(last.toJson().toString());
                if (random.nextBoolean()) {
                    last = violation(d, early.violationId, start, "final", last.hitCount + 1, Category.TIKTOK_APP,
                            names[0], "high", last.listVersion + 1);
                    lines.add(last.toJson().toString());
                }
                standing.add(last);
            }
        }
    }

    private void addGroup(String department, String sensor, String idPrefix, String ownerPrefix, int count, int subnet) {
        for (int i = 1; i <= count; i++) {
            devices.add(new Device(idPrefix + "00" + i, ownerPrefix + i, department, sensor, "10.30." + subnet + "." + (10 + i),
                    "02:00:00:00:0" + subnet + ":1" + i));
        }
    }

    private static Violation violation(Device d, String id, long start, String status, long hits, Category category, String name,
                                       String severity, long listVersion) {
        Violation v = new Violation();
        v.violationId = id;
        v.status = status;
        v.deviceId = d.id();
        v.owner = d.owner();
        v.department = d.department();
        v.clientIps = List.of(d.ip());
        v.macs = List.of(d.mac());
        v.windowStart = start;
        v.windowEnd = start + 600_000;
        v.firstHit = start + 1_000;
        v.lastHit = start + 500_000;
        v.hitCount = hits;
        v.names = new TreeMap<>(Map.of(name, hits));
        v.categories = new TreeMap<>(Map.of(category.label(), hits));
        v.services = List.of(category.service());
        v.evidence = new TreeMap<>(Map.of("dns", hits));
        v.sensors = List.of(d.sensor());
        v.resolvedAddresses = List.of("23.62.226.150");
        v.severity = severity;
        v.severityReason = "test";
        v.listVersion = listVersion;
        return v;
    }

    /** The identifiers a collective page must not hold. */
    List<String> identifiers() {
        List<String> all = new ArrayList<>();
        for (Device d : devices) {
            all.addAll(List.of(d.id(), d.owner(), d.ip(), d.mac()));
        }
        return all;
    }
}
