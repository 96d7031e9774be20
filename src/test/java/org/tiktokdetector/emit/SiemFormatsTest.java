package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;
import org.tiktokdetector.privacy.PersonalFields;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Tunnel;
import org.tiktokdetector.records.TunnelLayer;
import org.tiktokdetector.records.Violation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record the OCSF and ECS formats write, validated against the schemas' own files (copied from
 * ../shared/schemas into src/test/resources/schemas): unit cases for each kind of violation and hit, and every record
 * of the sample-data run. The validators are shown to reject a wrong type, an unknown field, a missing required
 * attribute and a value outside an enum, so a passing record is one the schema accepts.
 */
class SiemFormatsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OcsfSchema OCSF = schema();
    private static final EcsFields ECS = fields();

    private static OcsfSchema schema() {
        try {
            return new OcsfSchema(Path.of("src/test/resources/schemas/ocsf"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EcsFields fields() {
        try {
            return new EcsFields(Path.of("src/test/resources/schemas/ecs/fields.csv"), EcsRecords.NAMESPACE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ocsf(Violation v) throws Exception {
        return JSON.readTree(Format.OCSF.violation(v));
    }

    private static JsonNode ocsf(Hit h) throws Exception {
        return JSON.readTree(Format.OCSF.hit(h));
    }

    private static JsonNode ecs(Violation v) throws Exception {
        return JSON.readTree(Format.ECS.violation(v));
    }

    private static JsonNode ecs(Hit h) throws Exception {
        return JSON.readTree(Format.ECS.hit(h));
    }

    private static Hit hit(Kind kind, String name, boolean owner) {
        FlowRecord r = new FlowRecord(1_795_510_804_863L, kind, "10.20.1.15", 54830, "2.16.241.9",
                kind == Kind.DNS ? 53 : 443, kind == Kind.QUIC || kind == Kind.DNS ? "udp" : "tcp", name);
        r.sensor = "tap-hq-1";
        r.mac = "3c:22:fb:7a:10:05";
        r.source = "/var/log/zeek/current/dns.log";
        r.line = 17;
        r.uid = "Cr8ACrysI4mdf8Kwcb";
        if (kind == Kind.DNS) {
            r.answers = List.of(new DnsAnswer("CNAME", "www.tiktok.com.ttdns2.com", 60), new DnsAnswer("A", "23.62.226.150", 60));
        }
        if (kind == Kind.HTTP) {
            r.userAgent = "TikTok 26.1.3 rv:261303 (iPhone; iOS 17.1; en_US) Cronet";
        }
        Hit h = Hit.of(r, "tiktokv.com", "default.list:12", Category.TIKTOK_APP, 3);
        h.deviceId = "LAPTOP-0042";
        if (owner) {
            h.owner = "Doe, Jane";
            h.department = "Finance";
        }
        return h;
    }

    /** A hit from a capture, with a Suricata flow id and a tunnel, and one without server, MAC or owner. */
    private static List<Hit> hits() {
        List<Hit> hits = new ArrayList<>();
        for (Kind k : Kind.values()) {
            hits.add(hit(k, k == Kind.HTTP ? "www.tiktok.com" : "api16-normal-c-useast1a.tiktokv.com", true));
        }
        Hit captured = hit(Kind.QUIC, "www.capcut.com", false);
        captured.source = "/captures/tap.pcapng";
        captured.line = 0;
        captured.packet = 1832;
        captured.uid = null;
        captured.flowId = 1_234_567_890_123L;
        captured.tunnel = List.of(new TunnelLayer("vxlan", 100, "198.51.100.1", "192.0.2.254"), new TunnelLayer("mpls", 16, null, null));
        hits.add(captured);
        Hit bare = hit(Kind.TLS, "www.tiktok.com", false);
        bare.serverIp = null;
        bare.serverPort = 0;
        bare.mac = null;
        bare.communityId = null;
        bare.source = null;
        bare.line = 0;
        hits.add(bare);
        Hit late = hit(Kind.DNS, "www.tiktok.com", true);
        late.lateReason = "window 09:00-09:10 closed at 09:12 (allowed lateness 120s)";
        hits.add(late);
        return hits;
    }

    private static Violation violation(String status, String severity, boolean owner, boolean tunnelled) {
        Violation v = new Violation();
        v.violationId = "7d0a0f5e-3f0e-3b2c-9d3a-1b9c2f6f4a11";
        v.status = status;
        v.deviceId = owner ? "LAPTOP-0042" : "10.0.0.5@vxlan:100";
        if (owner) {
            v.owner = "Doe, Jane";
            v.department = "Finance";
        }
        v.clientIps = List.of("10.20.1.15", "fd00::15");
        v.macs = owner ? List.of("3c:22:fb:7a:10:05") : List.of();
        v.tunnels = tunnelled ? List.of(new Tunnel(List.of(new TunnelLayer("vxlan", 100, "198.51.100.1", "192.0.2.254")))) : List.of();
        v.windowStart = 1_795_510_800_000L;
        v.windowEnd = 1_795_511_400_000L;
        v.firstHit = 1_795_510_804_863L;
        v.lastHit = 1_795_510_999_000L;
        v.hitCount = 12;
        Map<String, Long> names = new LinkedHashMap<>();
        names.put("api16-normal-c-useast1a.tiktokv.com", 9L);
        names.put("www.tiktok.com", 3L);
        v.names = names;
        v.otherNameHits = tunnelled ? 4 : 0;
        v.categories = Map.of("tiktok-app", 9L, "tiktok-web", 3L);
        v.services = List.of("TikTok");
        v.evidence = Map.of("dns", 6L, "tls", 3L, "quic", 2L, "http", 1L);
        v.sensors = List.of("tap-hq-1", "tap-hq-2");
        v.resolvedAddresses = List.of("23.62.226.150", "2a02:26f0::1");
        v.severity = severity;
        v.severityReason = "app in use: 9 hits on app API hosts";
        v.listVersion = 3;
        v.handles = hits().stream().map(EvidenceHandle::of).toList();
        return v;
    }

    private static List<Violation> violations() {
        return List.of(violation("early", "high", true, false), violation("final", "high", true, true),
                violation("final", "medium", false, true), violation("early", "low", false, false));
    }

    @Test
    void everyUnitCaseIsAValidOcsfEventAndEcsDocument() throws Exception {
        for (Violation v : violations()) {
            assertThat(OCSF.validate(ocsf(v))).as("OCSF " + ocsf(v)).isEmpty();
            assertThat(ECS.validate(ecs(v))).as("ECS " + ecs(v)).isEmpty();
        }
        for (Hit h : hits()) {
            assertThat(OCSF.validate(ocsf(h))).as("OCSF " + ocsf(h)).isEmpty();
            assertThat(ECS.validate(ecs(h))).as("ECS " + ecs(h)).isEmpty();
        }
    }

    /**
     * With --pseudonymise-key the job pseudonymises each hit before its window, so violations and their handles are
     * made of pseudonymised hits: the records stay valid (a pseudonym goes where a string goes, never into an IP or
     * MAC field) and hold no clear identifier, nor a Community ID that a guess of the client's address recomputes.
     */
    @Test
    void pseudonymisedRecordsStayValidAndHoldNoIdentifier(@TempDir Path dir) throws Exception {
        Pseudonyms pseudonyms = new Pseudonyms(PseudonymKey.load(java.nio.file.Files.writeString(dir.resolve("k"), "k".repeat(40))));
        List<Hit> hits = hits();
        List<String> clear = new ArrayList<>(List.of("LAPTOP-0042", "Doe, Jane", "10.20.1.15", "3c:22:fb:7a:10:05", "3C-22-FB-7A-10-05",
                "198.51.100.1"));
        hits.forEach(h -> clear.add(h.communityId == null ? "LAPTOP-0042" : h.communityId));
        hits.forEach(h -> PersonalFields.pseudonymise(h, pseudonyms));
        Violation v = violation("final", "high", true, true);
        PersonalFields.pseudonymise(v, pseudonyms);
        v.handles = hits.stream().map(EvidenceHandle::of).toList();
        List<JsonNode> records = new ArrayList<>(List.of(ocsf(v), ecs(v)));
        for (Hit h : hits) {
            records.add(ocsf(h));
            records.add(ecs(h));
        }
        for (JsonNode r : records) {
            assertThat(r.has("class_uid") ? OCSF.validate(r) : ECS.validate(r)).as(r.toString()).isEmpty();
            for (String identifier : clear) {
                assertThat(r.toString()).doesNotContain(identifier);
            }
        }
        assertThat(ecs(hits.get(0)).at("/tiktok_detector/client_ip").asText()).startsWith("ip:");
        assertThat(ocsf(hits.get(0)).at("/src_endpoint/uid").asText()).startsWith("ip:");
        assertThat(ocsf(v).at("/evidences/0/connection_info/community_uid").asText()).startsWith("flow:");
    }

    @Test
    void theFormatsTargetTheSchemaVersionsTested() {
        assertThat(OcsfRecords.SCHEMA_VERSION).isEqualTo(OCSF.version);
        assertThat(ECS.version).isEqualTo("9.5.0-dev");
    }

    @Test
    void anEarlyViolationCreatesTheFindingAndTheFinalOneUpdatesIt() throws Exception {
        JsonNode early = ocsf(violation("early", "high", true, false));
        JsonNode fin = ocsf(violation("final", "medium", true, false));
        assertThat(early.at("/class_uid").asInt()).isEqualTo(2004);
        assertThat(early.at("/activity_id").asInt()).isEqualTo(1);
        assertThat(fin.at("/activity_id").asInt()).isEqualTo(2);
        assertThat(early.at("/type_uid").asLong()).isEqualTo(200401);
        assertThat(fin.at("/finding_info/uid").asText()).isEqualTo(early.at("/finding_info/uid").asText())
                .isEqualTo("7d0a0f5e-3f0e-3b2c-9d3a-1b9c2f6f4a11");
        assertThat(early.at("/severity_id").asInt()).isEqualTo(4);
        assertThat(fin.at("/severity_id").asInt()).isEqualTo(3);
        assertThat(early.at("/count").asLong()).isEqualTo(12);
        assertThat(early.at("/start_time").asLong()).isEqualTo(1_795_510_800_000L);
        assertThat(early.at("/device/uid").asText()).isEqualTo("LAPTOP-0042");
        assertThat(early.at("/device/owner/name").asText()).isEqualTo("Doe, Jane");
        assertThat(early.at("/actor/user/name").asText()).isEqualTo("Doe, Jane");
        assertThat(early.at("/device/org/ou_name").asText()).isEqualTo("Finance");
        assertThat(early.at("/finding_info/analytic/version").asText()).isEqualTo("3");
        assertThat(early.at("/metadata/product/name").asText()).isEqualTo("tiktok-detector");
        JsonNode evidences = early.at("/evidences");
        assertThat(evidences).hasSize(7);
        assertThat(evidences.get(0).at("/query/hostname").asText()).isEqualTo("api16-normal-c-useast1a.tiktokv.com");
        assertThat(evidences.get(1).at("/dst_endpoint/hostname").asText()).as("TLS SNI").isEqualTo("api16-normal-c-useast1a.tiktokv.com");
        assertThat(evidences.get(3).at("/http_request/url/hostname").asText()).isEqualTo("www.tiktok.com");
        assertThat(evidences.get(0).at("/connection_info/uid").asText()).isEqualTo("Cr8ACrysI4mdf8Kwcb");
        assertThat(evidences.get(4).at("/connection_info/uid").asText()).as("Suricata flow_id").isEqualTo("1234567890123");
        assertThat(evidences.get(4).at("/data/packet").asLong()).isEqualTo(1832);
        assertThat(evidences.get(0).at("/connection_info/community_uid").asText()).startsWith("1:");
        assertThat(early.at("/unmapped/status").asText()).isEqualTo("early");
        assertThat(ocsf(violation("early", "low", false, false)).has("actor")).as("no owner, no actor").isFalse();
    }

    @Test
    void eachHitIsTheActivityItWasSeenIn() throws Exception {
        List<Hit> hits = hits();
        assertThat(hits.stream().limit(4).map(h -> {
            try {
                JsonNode o = ocsf(h);
                return o.get("class_uid").asInt() + " " + o.get("activity_id").asInt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).containsExactly("4003 2", "4001 6", "4001 6", "4002 0");
        JsonNode dns = ecs(hits.get(0));
        assertThat(dns.at("/dns/question/name").asText()).isEqualTo("api16-normal-c-useast1a.tiktokv.com");
        assertThat(dns.at("/dns/resolved_ip/0").asText()).isEqualTo("23.62.226.150");
        assertThat(dns.at("/dns/resolved_ip")).hasSize(1);
        assertThat(ecs(hits.get(2)).at("/tls/client/server_name").asText()).as("QUIC SNI").isEqualTo("api16-normal-c-useast1a.tiktokv.com");
        assertThat(ecs(hits.get(3)).at("/url/domain").asText()).isEqualTo("www.tiktok.com");
        assertThat(ecs(hits.get(4)).at("/tiktok_detector/packet").asLong()).isEqualTo(1832);
        assertThat(ecs(hits.get(4)).at("/log/file/path").asText()).isEqualTo("/captures/tap.pcapng");
        assertThat(ecs(hits.get(6)).at("/event/dataset").asText()).isEqualTo("tiktok_detector.late_hit");
        JsonNode alert = ecs(violation("final", "high", true, false));
        assertThat(alert.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(alert.at("/event/id").asText()).isEqualTo("7d0a0f5e-3f0e-3b2c-9d3a-1b9c2f6f4a11");
        assertThat(alert.at("/rule/version").asText()).isEqualTo("3");
        assertThat(alert.at("/host/mac/0").asText()).isEqualTo("3C-22-FB-7A-10-05");
    }

    /** Breaks a valid record one way at a time: each break must be reported, or a passing record would prove nothing. */
    @Test
    void theValidatorsRejectWhatTheSchemasDoNot() throws Exception {
        Violation v = violation("early", "high", true, false);
        Map<String, Consumer<ObjectNode>> ocsfBreaks = new LinkedHashMap<>();
        ocsfBreaks.put("count as a string", o -> o.put("count", "12"));
        ocsfBreaks.put("an attribute the device has not", o -> ((ObjectNode) o.get("device")).put("colour", "red"));
        ocsfBreaks.put("a top-level attribute the class has not", o -> o.put("verdict", "bad"));
        ocsfBreaks.put("finding_info.uid missing", o -> ((ObjectNode) o.get("finding_info")).remove("uid"));
        ocsfBreaks.put("severity_id outside its enum", o -> o.put("severity_id", 7));
        ocsfBreaks.put("activity_id outside the class's enum", o -> o.put("activity_id", 5).put("type_uid", 200405));
        ocsfBreaks.put("type_uid that does not add up", o -> o.put("type_uid", 200402));
        ocsfBreaks.put("an IP that is none", o -> ((ObjectNode) o.get("device")).put("ip", "10.20.1"));
        ocsfBreaks.put("an object where a string goes", o -> ((ObjectNode) o.get("finding_info")).putObject("title"));
        ocsfBreaks.put("a string where an array goes", o -> ((ObjectNode) o.get("finding_info")).put("types", "TikTok"));
        ocsfBreaks.put("an evidence with nothing in it", o -> ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("evidences")).addObject());
        ocsfBreaks.put("a profile attribute without its profile", o -> ((ObjectNode) o.get("metadata")).putArray("profiles"));
        for (var b : ocsfBreaks.entrySet()) {
            ObjectNode o = (ObjectNode) ocsf(v);
            b.getValue().accept(o);
            assertThat(OCSF.validate(o)).as("OCSF: " + b.getKey()).isNotEmpty();
        }
        Map<String, Consumer<ObjectNode>> ecsBreaks = new LinkedHashMap<>();
        ecsBreaks.put("a field ECS has not", o -> ((ObjectNode) o.get("host")).put("colour", "red"));
        ecsBreaks.put("event.severity as a string", o -> ((ObjectNode) o.get("event")).put("severity", "high"));
        ecsBreaks.put("a date that is none", o -> o.put("@timestamp", "yesterday"));
        ecsBreaks.put("an IP that is none", o -> ((ObjectNode) o.get("related")).putArray("ip").add("10.20.1"));
        ecsBreaks.put("event.kind outside ECS's values", o -> ((ObjectNode) o.get("event")).put("kind", "finding"));
        ecsBreaks.put("a MAC in another form", o -> ((ObjectNode) o.get("host")).putArray("mac").add("3c:22:fb:7a:10:05"));
        ecsBreaks.put("a keyword as a number", o -> ((ObjectNode) o.get("rule")).put("version", 3));
        for (var b : ecsBreaks.entrySet()) {
            ObjectNode o = (ObjectNode) ecs(v);
            b.getValue().accept(o);
            assertThat(ECS.validate(o)).as("ECS: " + b.getKey()).isNotEmpty();
        }
    }

    /** The sample run in OCSF (every record), and in ECS with --final-only (the final records only, one per violation). */
    @Test
    void everyRecordOfTheSampleRunIsValidInEitherFormat(@TempDir Path dir) throws Exception {
        for (String format : List.of("ocsf", "ecs")) {
            Path out = dir.resolve(format + ".jsonl");
            List<String> argv = new ArrayList<>(List.of("detect", "--input", "sample-data", "--devices", "sample-data/devices.csv",
                    "--format", format, "--out", out.toString(), "--hits", dir.resolve(format + "-hits.jsonl").toString()));
            boolean finalOnly = format.equals("ecs");
            if (finalOnly) {
                argv.add("--final-only");
            }
            DetectRun run = DetectRun.of(argv.toArray(new String[0]));
            assertThat(run.exit()).as(run.err()).isZero();
            List<JsonNode> violations = DetectRun.jsonLines(out);
            List<JsonNode> hits = DetectRun.jsonLines(dir.resolve(format + "-hits.jsonl"));
            assertThat(violations).hasSize(finalOnly ? 7 : 14);
            if (finalOnly) {
                assertThat(violations).allSatisfy(d -> assertThat(d.at("/tiktok_detector/status").asText()).isEqualTo("final"));
            }
            assertThat(hits).hasSize(95);
            for (JsonNode r : concat(violations, hits)) {
                assertThat(format.equals("ocsf") ? OCSF.validate(r) : ECS.validate(r)).as(format + " " + r).isEmpty();
            }
            // How each device was named (the sample's Wi-Fi phones by their DHCP leases) reaches the SIEM too.
            String ours = format.equals("ocsf") ? "/unmapped" : "/tiktok_detector";
            assertThat(hits).anySatisfy(h -> {
                assertThat(h.at(ours + "/attribution").asText()).isEqualTo("lease");
                assertThat(h.at(format.equals("ocsf") ? "/unmapped/host_name" : "/host/hostname").asText()).isNotEmpty();
            });
            assertThat(violations).anySatisfy(v -> assertThat(v.at(ours + "/attributions").toString()).contains("lease"));
            assertThat(DetectRun.jsonLines(dir.resolve(format + ".dead-letter.jsonl"))).as("dead letters stay native")
                    .hasSize(5).allSatisfy(d -> assertThat(d.has("reason") && d.has("source")).isTrue());
        }
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
