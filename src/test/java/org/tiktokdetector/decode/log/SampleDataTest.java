package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Timestamps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes every line of sample-data/ and checks it against what sample-data/README.md promises: the line counts per
 * file, no malformed line outside malformed.jsonl, and the scenario itself (blocklist hits per device and 10-minute
 * window), so that the data and its description cannot drift apart.
 */
class SampleDataTest {
    private static final Path DIR = Path.of("sample-data");
    private static final long START = Timestamps.fromIso("2026-11-24T09:00:00Z");
    private static final long END = Timestamps.fromIso("2026-11-24T10:00:00Z");
    private static final String[] FILES = {"zeek/dns.log", "zeek/ssl.log", "zeek/quic.log", "zeek/http.log",
            "zeek/conn.log", "zeek/dhcp.log", "suricata/eve.json", "suricata/eve-wifi.json", "own/flows.jsonl",
            "own/nac-accounting.jsonl", "malformed.jsonl"};
    /** The Wi-Fi's flows carry no MAC: their devices are told by the DHCP and NAC bindings. */
    private static final String WIFI = "suricata/eve-wifi.json";

    private final LogLineDecoder decoder = new LogLineDecoder();

    private record Decoded(List<FlowRecord> records, List<Binding> bindings, int ignored, List<String> malformed,
                           Map<Dialect, Integer> dialects) {}

    private Decoded decodeFile(String file) throws IOException {
        List<FlowRecord> records = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Map<Dialect, Integer> dialects = new TreeMap<>();
        int ignored = 0;
        for (String line : Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8)) {
            try {
                LogLineDecoder.Result r = decoder.decode(line);
                dialects.merge(r.dialect(), 1, Integer::sum);
                if (r.ignored()) {
                    ignored++;
                }
                records.addAll(r.records());
                bindings.addAll(r.bindings());
            } catch (MalformedRecordException e) {
                malformed.add(e.getMessage());
            }
        }
        return new Decoded(records, bindings, ignored, malformed, dialects);
    }

    /** Counts as stated in sample-data/README.md. */
    @ParameterizedTest
    @CsvSource({
            // file,                  lines, records, bindings, ignored, malformed
            "zeek/dns.log,            32,    32,      0,        0,       0",
            "zeek/ssl.log,            22,    21,      0,        1,       0",
            "zeek/quic.log,           4,     4,       0,        0,       0",
            "zeek/http.log,           4,     4,       0,        0,       0",
            "zeek/conn.log,           10,    0,       0,        10,      0",
            "zeek/dhcp.log,           3,     0,       2,        1,       0",
            "suricata/eve.json,       37,    30,      0,        7,       0",
            "suricata/eve-wifi.json,  11,    9,       2,        0,       0",
            "own/flows.jsonl,         21,    21,      0,        0,       0",
            "own/nac-accounting.jsonl, 4,    0,       4,        0,       0",
            "malformed.jsonl,         7,     2,       0,        0,       5",
    })
    void countsPerFile(String file, int lines, int records, int bindings, int ignored, int malformed) throws IOException {
        Decoded d = decodeFile(file);
        assertEquals(lines, Files.readAllLines(DIR.resolve(file)).size(), "lines");
        assertEquals(records, d.records().size(), "records");
        assertEquals(bindings, d.bindings().size(), "bindings");
        assertEquals(ignored, d.ignored(), "ignored");
        assertEquals(malformed, d.malformed().size(), () -> "malformed: " + d.malformed());
    }

    @Test
    void dialectsPerFile() throws IOException {
        assertEquals(Map.of(Dialect.ZEEK_DNS, 32), decodeFile("zeek/dns.log").dialects());
        assertEquals(Map.of(Dialect.ZEEK_SSL, 22), decodeFile("zeek/ssl.log").dialects());
        assertEquals(Map.of(Dialect.ZEEK_QUIC, 4), decodeFile("zeek/quic.log").dialects());
        assertEquals(Map.of(Dialect.ZEEK_HTTP, 4), decodeFile("zeek/http.log").dialects());
        assertEquals(Map.of(Dialect.OTHER, 10), decodeFile("zeek/conn.log").dialects());
        assertEquals(Map.of(Dialect.SURICATA_DNS, 18, Dialect.SURICATA_TLS, 11, Dialect.SURICATA_QUIC, 1,
                Dialect.SURICATA_HTTP, 1, Dialect.OTHER, 6), decodeFile("suricata/eve.json").dialects());
        assertEquals(Map.of(Dialect.OWN, 21), decodeFile("own/flows.jsonl").dialects());
        assertEquals(Map.of(Dialect.ZEEK_DHCP, 3), decodeFile("zeek/dhcp.log").dialects());
        assertEquals(Map.of(Dialect.SURICATA_DHCP, 2, Dialect.SURICATA_TLS, 5, Dialect.SURICATA_DNS, 3, Dialect.SURICATA_QUIC, 1),
                decodeFile(WIFI).dialects());
        assertEquals(Map.of(Dialect.BINDING, 4), decodeFile("own/nac-accounting.jsonl").dialects());
    }

    @Test
    void malformedSampleReasons() throws IOException {
        List<String> reasons = decodeFile("malformed.jsonl").malformed();
        assertEquals(5, reasons.size(), reasons::toString);
        assertTrue(reasons.get(0).startsWith("not JSON: Unrecognized token 'nac'"), reasons.get(0));
        assertTrue(reasons.get(1).startsWith("truncated JSON: Unexpected end-of-input"), reasons.get(1));
        assertEquals("flow record: missing field \"name\"", reasons.get(2));
        assertEquals("flow record: timestamp \"24/11/2026 09:44:12\" is not ISO-8601 with an offset, "
                + "e.g. 2026-11-25T09:14:03.120Z", reasons.get(3));
        assertTrue(reasons.get(4).endsWith("(a Zeek TSV row without the #separator/#fields header it needs? a TSV log is read from its header)"),
                reasons.get(4));
    }

    @Test
    void everyRecordIsInsideTheScenarioHour() throws IOException {
        for (String file : FILES) {
            for (FlowRecord r : decodeFile(file).records()) {
                assertTrue(r.timestamp >= START && r.timestamp < END, () -> file + ": " + r);
                assertTrue(r.clientIp.startsWith("10.20."), () -> file + ": " + r);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ the scenario

    /** The lead's blocklist categories as README.md states them (suffix rules on label boundaries). */
    private static final Map<String, String> SUFFIX_CATEGORY = new HashMap<>();

    static {
        for (String s : new String[] {"tiktokv.com", "tiktokv.eu", "byteoversea.com", "musical.ly", "tiktokw.us"}) {
            SUFFIX_CATEGORY.put(s, "tiktok-app");
        }
        for (String s : new String[] {"tiktok.com"}) {
            SUFFIX_CATEGORY.put(s, "tiktok-web");
        }
        for (String s : new String[] {"tiktokcdn.com", "tiktokcdn-eu.com", "tiktokcdn-us.com", "ibyteimg.com",
                "ttwstatic.com", "muscdn.com", "byteimg.com"}) {
            SUFFIX_CATEGORY.put(s, "tiktok-cdn");
        }
        for (String s : new String[] {"bytedance.com", "bytedance.net", "byted.org"}) {
            SUFFIX_CATEGORY.put(s, "bytedance");
        }
        SUFFIX_CATEGORY.put("capcut.com", "capcut");
        SUFFIX_CATEGORY.put("capcutapi.com", "capcut");
        SUFFIX_CATEGORY.put("lemon8-app.com", "lemon8");
        for (String s : new String[] {"douyin.com", "snssdk.com", "amemv.com"}) {
            SUFFIX_CATEGORY.put(s, "douyin");
        }
    }

    private static String category(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        // Longest suffix first: walk the name label by label from the left.
        for (int i = -1; ; i = n.indexOf('.', i + 1)) {
            String c = SUFFIX_CATEGORY.get(n.substring(i + 1));
            if (c != null) {
                return c;
            }
            if (n.indexOf('.', i + 1) < 0) {
                return null;
            }
        }
    }

    private Map<String, String> inventory() throws IOException {
        Map<String, String> inv = new HashMap<>();
        List<String> lines = Files.readAllLines(DIR.resolve("devices.csv"));
        assertEquals("match,device_id,owner,department", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(4, f.length, line);
            inv.put(f[0], f[1]);
        }
        return inv;
    }

    /**
     * Hits per device and 10-minute window: device = inventory match on MAC, then on IP, else the IP itself.
     * Each entry reads "hits category=count ...". The verdicts in README.md follow from these numbers.
     */
    @Test
    void scenarioHitsPerDeviceAndWindowMatchTheReadme() throws IOException {
        Map<String, String> inv = inventory();
        Map<String, Map<String, Integer>> perWindow = new TreeMap<>();
        for (String file : FILES) {
            if (file.equals("malformed.jsonl") || file.equals(WIFI)) {
                continue;
            }
            for (FlowRecord r : decodeFile(file).records()) {
                String cat = category(r.name);
                if (cat == null) {
                    continue;
                }
                String device = r.mac != null && inv.containsKey(r.mac) ? inv.get(r.mac)
                        : inv.getOrDefault(r.clientIp, r.clientIp);
                String window = Timestamps.toIso(r.timestamp - r.timestamp % 600_000).substring(11, 16);
                perWindow.computeIfAbsent(device + " " + window, k -> new TreeMap<>()).merge(cat, 1, Integer::sum);
            }
        }
        Map<String, String> actual = new TreeMap<>();
        perWindow.forEach((k, cats) -> {
            StringBuilder sb = new StringBuilder().append(cats.values().stream().mapToInt(Integer::intValue).sum());
            cats.forEach((c, n) -> sb.append(' ').append(c).append('=').append(n));
            actual.put(k, sb.toString());
        });
        Map<String, String> expected = new TreeMap<>(Map.of(
                "LAPTOP-0042 09:00", "20 tiktok-app=12 tiktok-web=8",
                "LAPTOP-0042 09:10", "2 tiktok-app=2",
                "PHONE-0107 09:10", "12 tiktok-app=9 tiktok-cdn=3",
                "PHONE-0107 09:40", "3 tiktok-app=3",
                "DESK-0311 09:20", "6 tiktok-cdn=6",
                "10.20.5.9 09:20", "3 douyin=2 lemon8=1",
                "TABLET-0007 09:30", "7 capcut=7",
                "10.20.7.2 09:50", "6 bytedance=2 tiktok-app=2 tiktok-web=2"));
        assertEquals(expected, actual);
    }

    /**
     * The Wi-Fi phones, told by a plain reading of the bindings: the device of a hit is the MAC of the latest start on
     * its address before it, unless a stop came in between. PHONE-0230 roams 10.20.9.40 -> 10.20.9.77 (one device, 6
     * hits: a violation), PHONE-0231 gets 10.20.9.40 next (2 hits). By address alone, 10.20.9.40 would have 5.
     */
    @Test
    void wifiPhonesAreToldByTheirBindings() throws IOException {
        Map<String, String> inv = inventory();
        List<Binding> bindings = new ArrayList<>();
        for (String file : new String[] {"zeek/dhcp.log", WIFI, "own/nac-accounting.jsonl"}) {
            bindings.addAll(decodeFile(file).bindings());
        }
        bindings.sort(java.util.Comparator.comparingLong(b -> b.timestamp));
        Map<String, Map<String, Integer>> perWindow = new TreeMap<>();
        Map<String, Integer> perAddress = new TreeMap<>();
        for (FlowRecord r : decodeFile(WIFI).records()) {
            String cat = category(r.name);
            if (cat == null) {
                continue;
            }
            assertEquals(null, r.mac);
            String mac = null;
            for (Binding b : bindings) {
                if (b.timestamp <= r.timestamp && r.clientIp.equals(b.ip)) {
                    mac = b.action == Binding.Action.STOP ? null : b.mac.toLowerCase(Locale.ROOT);
                }
            }
            String window = Timestamps.toIso(r.timestamp - r.timestamp % 600_000).substring(11, 16);
            String held = mac;
            String device = held == null ? r.clientIp : inv.entrySet().stream()
                    .filter(e -> e.getKey().replace('-', ':').equalsIgnoreCase(held)).map(Map.Entry::getValue).findFirst().orElse(held);
            perWindow.computeIfAbsent(device + " " + window, k -> new TreeMap<>()).merge(cat, 1, Integer::sum);
            perAddress.merge(r.clientIp + " " + window, 1, Integer::sum);
        }
        assertEquals(Map.of("PHONE-0230 09:00", Map.of("tiktok-app", 5, "tiktok-cdn", 1),
                "PHONE-0231 09:00", Map.of("tiktok-app", 2)), perWindow);
        assertEquals(Map.of("10.20.9.40 09:00", 5, "10.20.9.77 09:00", 3), perAddress);
    }

    @Test
    void tabletKeepsItsMacAcrossTheDhcpChange() throws IOException {
        List<String> ips = new ArrayList<>();
        for (FlowRecord r : decodeFile("own/flows.jsonl").records()) {
            if ("3c:22:fb:7a:10:05".equals(r.mac) && category(r.name) != null && !ips.contains(r.clientIp)) {
                ips.add(r.clientIp);
            }
        }
        assertEquals(List.of("10.20.6.40", "10.20.6.77"), ips);
    }

    @Test
    void categoryMatchesOnLabelBoundariesOnly() {
        assertEquals("tiktok-app", category("Api16-Normal-C-Useast1a.TikTokV.com"));
        assertEquals("tiktok-web", category("WWW.TIKTOK.COM."));
        assertEquals(null, category("aaatiktok.com"));
        assertEquals(null, category("tiktok.com.evil.example"));
        assertEquals(null, category("mytiktokcdn.net"));
    }
}
