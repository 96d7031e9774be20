package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.privacy.Pseudonyms;
import org.tiktokdetector.privacy.Pseudonyms.Kind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample data run twice, in the clear and with --pseudonymise-key: the same violations and hits, with every
 * identifier replaced by its pseudonym in every output and on stderr; then reveal turns pseudonyms back into the
 * inventory's devices, with two approvers, a reason and an audit record, and refuses without them.
 */
class PseudonymisedRunIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;
    static Path key;
    static Pseudonyms pseudonyms;
    static List<JsonNode> clear;
    static List<JsonNode> clearHits;
    static List<JsonNode> keyed;
    static List<JsonNode> keyedHits;
    static String keyedOutput;

    @BeforeAll
    static void runBoth() throws Exception {
        key = Files.writeString(dir.resolve("pseudonym.key"), "6b1f0e3c9a7d4e2f8b5a1c0d3e6f9a2b4c7d0e1f2a3b4c5d6e7f8091a2b3c4d5\n");
        pseudonyms = new Pseudonyms(PseudonymKey.load(key));
        clear = detect("clear");
        clearHits = DetectRun.jsonLines(dir.resolve("clear-hits.jsonl"));
        DetectRun run = DetectRun.of("detect", "--input", "sample-data", "--devices", "sample-data/devices.csv", "--pseudonymise-key", key.toString(),
                "--out", dir.resolve("keyed.jsonl").toString(), "--hits", dir.resolve("keyed-hits.jsonl").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        keyed = DetectRun.jsonLines(dir.resolve("keyed.jsonl"));
        keyedHits = DetectRun.jsonLines(dir.resolve("keyed-hits.jsonl"));
        keyedOutput = Files.readString(dir.resolve("keyed.jsonl")) + Files.readString(dir.resolve("keyed-hits.jsonl")) + run.out() + run.err();
    }

    private static List<JsonNode> detect(String name) throws Exception {
        DetectRun run = DetectRun.of("detect", "--input", "sample-data", "--devices", "sample-data/devices.csv",
                "--out", dir.resolve(name + ".jsonl").toString(), "--hits", dir.resolve(name + "-hits.jsonl").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        return DetectRun.jsonLines(dir.resolve(name + ".jsonl"));
    }

    /** Each violation as device, window and hit count, with the device as the keyed run must name it. */
    private static Set<String> verdicts(List<JsonNode> vs, boolean pseudonymise) {
        return vs.stream().map(v -> {
            String device = v.get("device_id").asText();
            return (pseudonymise ? pseudonyms.of(Kind.DEVICE, device) : device) + " " + v.get("status").asText() + " "
                    + v.get("window_start").asText() + " " + v.get("hit_count").asInt() + " " + v.path("department").asText("");
        }).collect(Collectors.toSet());
    }

    @Test
    void theSameViolationsCarryPseudonymsOfTheirDevices() {
        assertThat(keyed).hasSize(clear.size());
        assertThat(verdicts(keyed, false)).isEqualTo(verdicts(clear, true));
        assertThat(keyedHits).hasSize(clearHits.size());
        Set<String> clearIds = clear.stream().map(v -> v.get("violation_id").asText()).collect(Collectors.toSet());
        assertThat(keyed).noneMatch(v -> clearIds.contains(v.get("violation_id").asText()));
        JsonNode tablet = keyed.stream().filter(v -> v.path("department").asText("").equals("Cabinet")).findFirst().orElseThrow();
        assertThat(tablet.get("owner").asText()).isEqualTo(pseudonyms.of(Kind.OWNER, "s.maes"));
        assertThat(tablet.get("macs")).extracting(JsonNode::asText).containsExactly(pseudonyms.of(Kind.MAC, "3c:22:fb:7a:10:05"));
        // In either order: the addresses are keyed apart in the binding join, and their hits reach the window from two tasks.
        assertThat(tablet.get("client_ips")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(pseudonyms.of(Kind.IP, "10.20.6.40"), pseudonyms.of(Kind.IP, "10.20.6.77"));
    }

    @Test
    void noIdentifierOfTheInventoryOrOfTheClearRunIsInAnyOutput() throws Exception {
        Set<String> identifiers = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(Path.of("sample-data/devices.csv")).subList(1, 7)) {
            String[] f = line.split(",");
            identifiers.addAll(List.of(f[0].replaceAll("/.*", ""), f[1], f[2]));
        }
        Stream.concat(clear.stream(), clearHits.stream()).forEach(v -> {
            identifiers.add(v.get("device_id").asText());
            v.path("client_ips").forEach(ip -> identifiers.add(ip.asText()));
            v.path("macs").forEach(mac -> identifiers.add(mac.asText()));
            if (v.has("client_ip")) {
                identifiers.add(v.get("client_ip").asText());
            }
            // The names the DHCP and NAC bindings carry.
            v.path("host_names").forEach(n -> identifiers.add(n.asText()));
            v.path("user_names").forEach(n -> identifiers.add(n.asText()));
            for (String field : List.of("host_name", "user_name")) {
                if (v.has(field)) {
                    identifiers.add(v.get(field).asText());
                }
            }
        });
        assertThat(identifiers).contains("LAPTOP-0042", "j.peeters", "10.20.1.15", "3c:22:fb:7a:10:05", "10.20.7.2", "127.0.0.1",
                "Pixel-8-ec", "e.claes", "6a:1f:3c:90:22:01");
        // The sample captures' clients talk to servers on the same loopback address: as a server's address it stays.
        clearHits.forEach(h -> identifiers.remove(h.path("server_ip").asText()));
        List<String> leaked = identifiers.stream()
                .filter(id -> keyedOutput.contains("\"" + id + "\"") || keyedOutput.contains(" " + id + " ")).toList();
        assertThat(leaked).as("identifiers in the violations, hits or what the run printed").isEmpty();
        assertThat(keyedOutput).doesNotContain(Files.readString(key).strip());
    }

    @Test
    void revealNamesTheDevicesBehindPseudonymsAndAuditsEveryCall() throws Exception {
        JsonNode laptop = keyed.stream().filter(v -> v.path("department").asText("").equals("Finance")).findFirst().orElseThrow();
        JsonNode unknown = keyed.stream().filter(v -> v.get("device_id").asText().equals(pseudonyms.of(Kind.DEVICE, "10.20.7.2")))
                .findFirst().orElseThrow();
        Path audit = dir.resolve("audit.jsonl");
        DetectRun reveal = DetectRun.of("reveal", "--key", key.toString(), "--devices", "sample-data/devices.csv",
                "--reason", "case 2026-114: HR decision of 2026-11-30", "--approver", "dpo.vermeulen", "--approver", "ciso.claes",
                "--audit-log", audit.toString(), "--candidate-ips", "10.20.9.0/24,10.20.7.0/24",
                laptop.get("device_id").asText(), laptop.get("owner").asText(), laptop.get("client_ips").get(0).asText(),
                unknown.get("device_id").asText(), "mac:0000000000000000");
        assertThat(reveal.exit()).as(reveal.err()).isZero();
        assertThat(reveal.out().lines()).containsExactly(
                laptop.get("device_id").asText() + " device LAPTOP-0042, owner j.peeters, department Finance",
                laptop.get("owner").asText() + " owner j.peeters of device LAPTOP-0042",
                laptop.get("client_ips").get(0).asText() + " address 10.20.1.15 of device LAPTOP-0042, owner j.peeters, department Finance",
                unknown.get("device_id").asText() + " device 10.20.7.2 (a client address the inventory does not list)",
                "mac:0000000000000000 not found (not in the inventory or the candidate addresses)");
        List<JsonNode> records = DetectRun.jsonLines(audit);
        assertThat(records).hasSize(1);
        JsonNode r = records.get(0);
        assertThat(r.get("approvers")).extracting(JsonNode::asText).containsExactly("dpo.vermeulen", "ciso.claes");
        assertThat(r.get("reason").asText()).isEqualTo("case 2026-114: HR decision of 2026-11-30");
        assertThat(r.get("os_user").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(r.get("key").asText()).isEqualTo(PseudonymKey.load(key).fingerprint());
        assertThat(r.get("time").asText()).isNotEmpty();
        assertThat(r.get("pseudonyms")).extracting(p -> p.get("found").asBoolean()).containsExactly(true, true, true, true, false);
        assertThat(r.get("pseudonyms").get(0).get("revealed").asText()).isEqualTo("device LAPTOP-0042, owner j.peeters, department Finance");

        // The log is appended to, never rewritten; a refused call writes nothing and reveals nothing.
        String before = Files.readString(audit);
        DetectRun again = DetectRun.of("reveal", "--key", key.toString(), "--devices", "sample-data/devices.csv", "--reason", "follow-up",
                "--approver", "dpo.vermeulen", "--approver", "hr.maes", "--audit-log", audit.toString(), laptop.get("device_id").asText());
        assertThat(again.exit()).isZero();
        assertThat(Files.readString(audit)).startsWith(before);
        assertThat(DetectRun.jsonLines(audit)).hasSize(2);
        for (List<String> bad : List.of(
                List.of("--reason", "x", "--approver", "dpo.vermeulen"),
                List.of("--reason", "x", "--approver", "dpo.vermeulen", "--approver", " DPO.Vermeulen "),
                List.of("--reason", "  ", "--approver", "a", "--approver", "b"))) {
            List<String> argv = new ArrayList<>(List.of("reveal", "--key", key.toString(), "--devices", "sample-data/devices.csv",
                    "--audit-log", audit.toString()));
            argv.addAll(bad);
            argv.add(laptop.get("device_id").asText());
            DetectRun refused = DetectRun.of(argv.toArray(String[]::new));
            assertThat(refused.exit()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(refused.err().lines()).hasSize(1);
            assertThat(refused.out()).isEmpty();
        }
        assertThat(DetectRun.jsonLines(audit)).hasSize(2);

        // A MAC of the inventory is found too.
        String tabletMac = keyed.stream().filter(v -> v.path("department").asText("").equals("Cabinet")).findFirst().orElseThrow()
                .get("macs").get(0).asText();
        DetectRun mac = DetectRun.of("reveal", "--key", key.toString(), "--devices", "sample-data/devices.csv", "--reason", "x",
                "--approver", "a", "--approver", "b", "--audit-log", audit.toString(), tabletMac);
        assertThat(mac.out().strip()).isEqualTo(tabletMac + " MAC 3c:22:fb:7a:10:05 of device TABLET-0007, owner s.maes, department Cabinet");

        // Another key gives other pseudonyms: nothing is found with it.
        Path other = Files.writeString(dir.resolve("other.key"), "f".repeat(64));
        DetectRun wrongKey = DetectRun.of("reveal", "--key", other.toString(), "--devices", "sample-data/devices.csv", "--reason", "x",
                "--approver", "a", "--approver", "b", "--audit-log", audit.toString(), laptop.get("device_id").asText());
        assertThat(wrongKey.out()).contains("not found");
    }

    @Test
    void aBadKeyFileStopsDetectWithOneLine() throws Exception {
        Path shortKey = Files.writeString(dir.resolve("short.key"), "too short\n");
        DetectRun run = DetectRun.of("detect", "--input", "sample-data", "--pseudonymise-key", shortKey.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("tiktok-detector detect: the key file " + shortKey.toAbsolutePath()
                + " holds 9 bytes; a key needs at least 32 (make one with: openssl rand -hex 32 > " + shortKey.toAbsolutePath() + ")");
    }
}
