package org.tiktokdetector.decode.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tiktokdetector.cli.ExtractCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test of {@code extract} against tshark on every field it writes: each flow record is paired with
 * the record tshark's view of the same packet gives (same kind, name and endpoints, nearest time), and then its
 * ts, kind, transport, client and server address and port, name, qtype, answers, alpn, ech and tunnel layers are
 * compared one by one; records either side has and the other has not are differences too. tshark's view is
 * stored per capture (FILE.tshark-fields.tsv, written by src/test/resources/captures/make-tshark-names.sh) so the
 * test needs no tshark. The few places where the two legitimately differ are listed in {@link #EXPLAINED}.
 *
 * <p>Run on the sample captures, on the extract golden file (so that its expected records are checked by tshark,
 * not only written by the code under test), and on every shared capture beside the repository (skipped where
 * ../shared/captures is not there).
 */
class ExtractMatchesTsharkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STORED = TestCaptures.RESOURCES;
    private static final Path GOLDEN = Path.of("src/test/resources/extract/sample-captures.jsonl");
    private static final List<String> FIELDS = List.of("ts", "sensor", "kind", "transport", "client_ip", "client_port",
            "server_ip", "server_port", "name", "qtype", "answers", "alpn", "ech", "tunnel");

    /**
     * Differences that are explained, by capture: each a prefix of the difference's text (see {@link #compare}),
     * the number of times it occurs, and why.
     */
    private static final Map<String, List<Explained>> EXPLAINED = Map.of(
            "shared/zeek/tls/ssl-to-http-server.pcap", List.of(new Explained("only ours: ", 1,
                    "a TLS hello sent to port 80: tshark decodes port 80 as HTTP, extract tells TLS by its bytes")),
            "shared/zeek/tunnels/socks.pcap", List.of(new Explained("only tshark: ", 1,
                    "an HTTP request inside a SOCKS connection: the stream starts with the SOCKS handshake, not the request")));

    private record Explained(String difference, int times, String why) {}

    /**
     * tshark's number of the query type, kept beside its name: extract names the common types and writes the
     * others in RFC 3597's form, TYPE and the number (tshark names nearly all: WKS, HINFO, LOC, TKEY, ...).
     */
    private static final String QTYPE_NUMBER = "qtype number";

    /** Per field: how many record pairs were compared, over the whole run; printed at the end. */
    private static final Map<String, AtomicInteger> COMPARED = new ConcurrentSkipListMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"dns-udp-tcp.pcap", "tls-openssl.pcap", "tls-large-hello.pcap", "http-curl-sll2.pcap",
            "quic-ngtcp2.pcap", "all.pcapng"})
    void sampleCaptures(String name) throws Exception {
        assertMatches("sample/" + name, extract(TestCaptures.sample(name)));
    }

    /**
     * One handshake of each QUIC version extract opens (drafts 22 to 34, mvfst, v1, v2, Google's Q043 to T051) and a
     * chaos-protected hello, built by {@link QuicVersionCaptures}: tshark opens them with Wireshark's own salts.
     */
    @Test
    void everyQuicVersion() throws Exception {
        assertMatches("generated/quic-versions.pcap", extract(QuicVersionCaptures.FILE));
    }

    /** ExtractCommandTest holds extract to the golden file; here every record in it is held to tshark. */
    @Test
    void theGoldenFileIsWhatTsharkSees() throws Exception {
        Map<String, List<JsonNode>> bySensor = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN)) {
            JsonNode r = JSON.readTree(line);
            bySensor.computeIfAbsent(r.get("sensor").asText(), s -> new ArrayList<>()).add(r);
        }
        assertEquals(5, bySensor.size(), bySensor.keySet().toString());
        for (Map.Entry<String, List<JsonNode>> e : bySensor.entrySet()) {
            assertMatches("sample/" + e.getKey(), e.getValue());
        }
    }

    @ParameterizedTest
    @MethodSource("org.tiktokdetector.decode.capture.TestCaptures#shared")
    void sharedCaptures(String capture) throws Exception {
        assertMatches("shared/" + capture, extract(TestCaptures.SHARED.resolve(capture)));
    }

    /** The list of explained differences names only captures that exist: a renamed capture is not silently excused. */
    @Test
    void everyExplainedDifferenceNamesAStoredCapture() {
        for (String capture : EXPLAINED.keySet()) {
            assertTrue(Files.exists(STORED.resolve(capture + ".tshark-fields.tsv")), capture);
        }
    }

    @AfterAll
    static void printCounts() {
        System.out.println("ExtractMatchesTsharkTest: record pairs compared per field: " + COMPARED);
    }

    /** The records {@code extract} prints for one capture. */
    private static List<JsonNode> extract(Path capture) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, new ExtractCommand().run(List.of(capture.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                discard));
        List<JsonNode> records = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    private static void assertMatches(String capture, List<JsonNode> ours) throws IOException {
        Path stored = STORED.resolve(capture + ".tshark-fields.tsv");
        assertTrue(Files.exists(stored), "no stored tshark fields for " + capture + ": run make-tshark-names.sh");
        String sensor = capture.substring(capture.lastIndexOf('/') + 1);
        List<ObjectNode> tshark = new ArrayList<>();
        Set<String> httpConnections = new java.util.HashSet<>();
        List<String> lines = Files.readAllLines(stored).stream().filter(l -> !l.startsWith("#")).toList();
        List<String> header = List.of(lines.get(0).split("\t", -1));
        for (String line : lines.subList(1, lines.size())) {
            tshark.addAll(TsharkRow.of(header, line).records(sensor, httpConnections));
        }
        List<String> differences = compare(ours, tshark);
        Map<String, Integer> unexplained = new TreeMap<>();
        differences.forEach(d -> unexplained.merge(d, 1, Integer::sum));
        for (Explained e : EXPLAINED.getOrDefault(capture, List.of())) {
            int times = 0;
            for (Iterator<Map.Entry<String, Integer>> it = unexplained.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Integer> d = it.next();
                if (d.getKey().startsWith(e.difference())) {
                    times += d.getValue();
                    it.remove();
                }
            }
            assertEquals(e.times(), times, capture + ": explained difference '" + e.difference() + "' (" + e.why() + ")");
        }
        assertEquals(Map.of(), unexplained, capture + ": differences from tshark (text: count)");
    }

    /**
     * Pairs each of our records with tshark's record of the same kind, name and endpoints (either direction),
     * nearest in time, and lists every field that differs, every record only we have and every one only tshark has.
     */
    private static List<String> compare(List<JsonNode> ours, List<ObjectNode> tshark) {
        List<String> differences = new ArrayList<>();
        List<ObjectNode> left = new ArrayList<>(tshark);
        for (JsonNode r : ours) {
            ObjectNode best = null;
            for (ObjectNode t : left) {
                if (samePair(r, t) && (best == null || distance(r, t) < distance(r, best))) {
                    best = t;
                }
            }
            if (best == null) {
                differences.add("only ours: " + r);
                continue;
            }
            left.remove(best);
            JsonNode expected = reparse(best); // numbers as a JSON parser types them, as ours are
            for (String field : FIELDS) {
                JsonNode a = field.equals("ts") ? instant(r) : r.get(field);
                JsonNode b = field.equals("ts") ? instant(best) : expected.get(field);
                if (a == null && b == null) {
                    continue;
                }
                COMPARED.computeIfAbsent(field, f -> new AtomicInteger()).incrementAndGet();
                boolean unnamedType = field.equals("qtype") && a != null
                        && a.asText().equals("TYPE" + expected.path(QTYPE_NUMBER).asText());
                if (a == null || !a.equals(b) && !unnamedType) {
                    differences.add(field + ": ours " + a + ", tshark " + b + " (" + r.get("kind").asText() + " "
                            + r.get("name").asText() + ")");
                }
            }
        }
        left.forEach(t -> differences.add("only tshark: " + t));
        return differences;
    }

    private static JsonNode reparse(JsonNode n) {
        try {
            return JSON.readTree(n.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean samePair(JsonNode r, JsonNode t) {
        return r.get("kind").equals(t.get("kind")) && r.get("name").equals(t.get("name"))
                && endpoints(r).equals(endpoints(t));
    }

    private static Set<String> endpoints(JsonNode r) {
        return new TreeSet<>(List.of(r.path("client_ip").asText() + " " + r.path("client_port").asInt(),
                r.path("server_ip").asText() + " " + r.path("server_port").asInt()));
    }

    private static long distance(JsonNode r, JsonNode t) {
        return Math.abs(instant(r).asLong() - instant(t).asLong());
    }

    /** A record's time in epoch milliseconds: the ISO-8601 text may leave out zero milliseconds. */
    private static JsonNode instant(JsonNode r) {
        return JSON.getNodeFactory().numberNode(java.time.Instant.parse(r.get("ts").asText()).toEpochMilli());
    }

    /**
     * One packet as tshark shows it (fields of the stored header; a field that occurs several times in the
     * packet has its values joined by commas), and the flow records it gives in the form {@code extract} writes.
     */
    private record TsharkRow(Map<String, String> fields) {
        static TsharkRow of(List<String> header, String line) {
            String[] values = line.split("\t", -1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), i < values.length ? values[i] : "");
            }
            return new TsharkRow(fields);
        }

        List<String> all(String field) {
            String v = fields.getOrDefault(field, "");
            return v.isEmpty() ? List.of() : List.of(v.split(",", -1));
        }

        String first(String field) {
            List<String> v = all(field);
            return v.isEmpty() ? "" : v.get(0);
        }

        /**
         * The records extract is documented to write for this packet (README "Replaying captures"): not for mDNS
         * and LLMNR (ports 5353, 5355), nor for HTTP requests after the first of a connection (those seen so far
         * are in {@code httpConnections}), nor for a DNS message quoted in an ICMP error, which tshark decodes
         * too; tshark's "<...>" placeholders (e.g. "<Name contains a pointer that loops>") are diagnostics, not names.
         */
        List<ObjectNode> records(String sensor, Set<String> httpConnections) {
            List<String> protocols = List.of(fields.get("frame.protocols").split(":"));
            Layers layers = new Layers(this, protocols);
            List<ObjectNode> out = new ArrayList<>();
            boolean response = first("dns.flags.response").equals("1");
            List<String> qtypes = all("_ws.col.QT");
            List<String> qtypeNumbers = all("dns.qry.type");
            List<String> questions = all("dns.qry.name");
            boolean quoted = protocols.contains("icmp") || protocols.contains("icmpv6");
            for (int i = 0; i < questions.size() && !quoted && !layers.onPort(5353) && !layers.onPort(5355); i++) {
                if (questions.get(i).matches("<.*>")) {
                    continue;
                }
                ObjectNode r = layers.record(sensor, "dns", questions.get(i), !response);
                String qtype = qtypes.get(i).split(" ")[0];
                // tshark calls type 255 "*"; RFC 1035 and extract call it ANY
                r.put("qtype", qtype.equals("*") ? "ANY" : qtype);
                r.put(QTYPE_NUMBER, qtypeNumbers.get(i));
                if (response) {
                    r.set("answers", answers());
                }
                out.add(r);
            }
            for (String sni : all("tls.handshake.extensions_server_name")) {
                ObjectNode r = layers.record(sensor, protocols.contains("quic") ? "quic" : "tls", sni, true);
                List<String> alpn = all("tls.handshake.extensions_alpn_str");
                if (!alpn.isEmpty()) {
                    alpn.forEach(r.putArray("alpn")::add);
                }
                if (all("tls.handshake.extension.type").contains("65037")) {
                    r.put("ech", true);
                }
                out.add(r);
            }
            for (String sni : all("gquic.tag.sni")) {
                out.add(userAgent(layers.record(sensor, "quic", sni, true), "gquic.tag.uaid"));
            }
            for (String host : all("http.host")) {
                if (httpConnections.add(layers.connection())) {
                    out.add(userAgent(layers.record(sensor, "http", host, true), "http.user_agent"));
                }
            }
            return out;
        }

        /** The client's user agent as tshark reads it from {@code field}, where the packet has one. */
        private ObjectNode userAgent(ObjectNode record, String field) {
            String ua = first(field);
            if (!ua.isEmpty()) {
                record.put("user_agent", ua);
            }
            return record;
        }

        /** The A, AAAA and CNAME records of the answer section (the first dns.count.answers records), in order. */
        private ArrayNode answers() {
            ArrayNode a = JSON.createArrayNode();
            int count = Integer.parseInt(first("dns.count.answers").isEmpty() ? "0" : first("dns.count.answers"));
            List<String> types = all("_ws.col.RT");
            List<String> ttls = all("dns.resp.ttl");
            Map<String, Iterator<String>> data = Map.of("A", all("dns.a").iterator(), "AAAA", all("dns.aaaa").iterator(),
                    "CNAME", all("dns.cname").iterator());
            for (int i = 0; i < count && i < types.size(); i++) {
                String type = types.get(i).split(" ")[0];
                if (data.containsKey(type)) {
                    a.addObject().put("type", type).put("data", data.get(type).next()).put("ttl", Long.parseLong(ttls.get(i)));
                }
            }
            return a;
        }
    }

    /**
     * The layers of one packet from tshark's protocol list: the tunnels it went through, outermost first (each with
     * the addresses of the IP header that carried it and its identifier), and the innermost IP header and ports.
     */
    private static final class Layers {
        private final TsharkRow row;
        private final ArrayNode tunnel = JSON.createArrayNode();
        private String src;
        private String dst;
        private String transport;

        Layers(TsharkRow row, List<String> protocols) {
            this.row = row;
            Map<String, Iterator<String>> values = new TreeMap<>();
            for (String f : List.of("ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "gre.flags.key", "gre.key", "erspan.spanid",
                    "vxlan.vni", "geneve.vni", "gtp.teid", "mpls.label", "ieee8021ah.isid")) {
                values.put(f, row.all(f).iterator());
            }
            String previous = "";
            for (int i = 0; i < protocols.size(); i++) {
                String p = protocols.get(i);
                switch (p) {
                    case "ip", "ipv6" -> {
                        if (previous.equals("ip") || previous.equals("ipv6")) {
                            layer("ipip", -1);
                        }
                        src = values.get(p + ".src").next();
                        dst = values.get(p + ".dst").next();
                    }
                    // PPTP's enhanced GRE (carrying PPP) has a call id per direction in its key field: no id
                    case "gre" -> layer("gre", values.get("gre.flags.key").next().equals("1")
                            && !next(protocols, i).equals("ppp") ? number(values.get("gre.key").next()) : -1);
                    case "vxlan" -> layer("vxlan", number(values.get("vxlan.vni").next()));
                    case "geneve" -> layer("geneve", number(values.get("geneve.vni").next()));
                    case "gtp" -> layer("gtp", number(values.get("gtp.teid").next()));
                    case "erspan" -> layer("erspan", values.get("erspan.spanid").hasNext()
                            ? number(values.get("erspan.spanid").next()) : -1);
                    case "teredo", "ayiya" -> layer(p, -1);
                    case "mpls" -> values.get("mpls.label").forEachRemaining(l -> tunnel.addObject().put("type", "mpls")
                            .put("id", number(l)));
                    case "ieee8021ah" -> tunnel.addObject().put("type", "pbb")
                            .put("id", number(values.get("ieee8021ah.isid").next()));
                    case "tcp", "udp" -> transport = p;
                    default -> { }
                }
                if (!p.startsWith("ipv6.")) { // IPv6 extension headers are part of their IPv6 layer
                    previous = p;
                }
            }
        }

        private static String next(List<String> protocols, int i) {
            return i + 1 < protocols.size() ? protocols.get(i + 1) : "";
        }

        /** tshark writes some identifiers in hex (0x...), others in decimal. */
        private static long number(String s) {
            return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        }

        private void layer(String type, long id) {
            ObjectNode l = tunnel.addObject().put("type", type);
            if (id >= 0) {
                l.put("id", id);
            }
            l.put("outer_src", src).put("outer_dst", dst);
        }

        /** The innermost source or destination port. */
        private String port(String which) {
            List<String> ports = transport == null ? List.of() : row.all(transport + "." + which);
            return ports.isEmpty() ? "0" : ports.get(ports.size() - 1);
        }

        boolean onPort(int port) {
            return port("srcport").equals(String.valueOf(port)) || port("dstport").equals(String.valueOf(port));
        }

        /** The innermost connection, with the tunnel it came through. */
        String connection() {
            return transport + " " + src + " " + port("srcport") + " " + dst + " " + port("dstport") + " " + tunnel;
        }

        ObjectNode record(String sensor, String kind, String name, boolean clientIsSource) {
            String srcPort = port("srcport");
            String dstPort = port("dstport");
            String epoch = row.fields().get("frame.time_epoch");
            int dot = epoch.indexOf('.');
            long millis = Long.parseLong(epoch.substring(0, dot)) * 1000 + Long.parseLong((epoch.substring(dot + 1) + "000").substring(0, 3));
            ObjectNode r = JSON.createObjectNode();
            r.put("ts", java.time.format.DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochMilli(millis)));
            r.put("sensor", sensor).put("kind", kind).put("transport", transport);
            r.put("client_ip", clientIsSource ? src : dst).put("client_port", Integer.parseInt(clientIsSource ? srcPort : dstPort));
            r.put("server_ip", clientIsSource ? dst : src).put("server_port", Integer.parseInt(clientIsSource ? dstPort : srcPort));
            r.put("name", name);
            if (!tunnel.isEmpty()) {
                r.set("tunnel", tunnel.deepCopy());
            }
            return r;
        }
    }
}
