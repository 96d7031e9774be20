package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job, as the README runs it, on the bundled sample data (logs and captures) in a
 * MiniCluster with parallelism 2: the violations are the ones sample-data/README.md promises.
 */
class DetectSampleDataIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path out;
    static List<JsonNode> violations;
    static List<JsonNode> deadLetters;
    static List<JsonNode> hits;
    static String summary;

    @BeforeAll
    static void runDetect() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of("detect", "--input", "sample-data", "--devices", "sample-data/devices.csv",
                "--out", out.resolve("violations.jsonl").toString(), "--hits", out.resolve("hits.jsonl").toString()),
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        summary = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(summary).isZero();
        violations = DetectRun.jsonLines(out.resolve("violations.jsonl"));
        deadLetters = DetectRun.jsonLines(out.resolve("violations.dead-letter.jsonl"));
        hits = DetectRun.jsonLines(out.resolve("hits.jsonl"));
    }

    private static String verdict(JsonNode v) {
        return v.get("device_id").asText() + " " + v.get("window_start").asText().substring(11, 16)
                + " " + v.get("hit_count").asInt() + " " + v.get("severity").asText();
    }

    @Test
    void finalViolationsAreTheOnesTheSampleDataDescribes() {
        assertThat(violations).filteredOn(v -> v.get("status").asText().equals("final")).extracting(DetectSampleDataIT::verdict)
                .containsExactlyInAnyOrder(
                        "LAPTOP-0042 09:00 20 high",
                        // Wi-Fi: told by DHCP and NAC bindings; roams 10.20.9.40 -> 10.20.9.77 (3 + 3 hits)
                        "PHONE-0230 09:00 6 high",
                        "PHONE-0107 09:10 12 high",
                        "DESK-0311 09:20 6 low",
                        "TABLET-0007 09:30 7 high",
                        "10.20.7.2 09:50 6 medium",
                        // sample-data/captures: real clients on loopback; all.pcapng repeats the other five
                        "127.0.0.1 20:30 28 high");
    }

    @Test
    void everyViolationIsReportedEarlyWithTheIdOfItsFinalRecord() {
        Map<String, List<String>> statusesById = violations.stream().collect(Collectors.groupingBy(
                v -> v.get("violation_id").asText(), Collectors.mapping(v -> v.get("status").asText(), Collectors.toList())));
        assertThat(statusesById).hasSize(7);
        statusesById.values().forEach(s -> assertThat(s).containsExactly("early", "final"));
        violations.stream().filter(v -> v.get("status").asText().equals("early"))
                .forEach(v -> assertThat(v.get("hit_count").asInt()).isEqualTo(5));
    }

    @Test
    void violationsCarryTheEvidenceAnAnalystNeeds() {
        JsonNode tablet = violations.stream().filter(v -> v.get("device_id").asText().equals("TABLET-0007")
                && v.get("status").asText().equals("final")).findFirst().orElseThrow();
        assertThat(tablet.get("owner").asText()).isEqualTo("s.maes");
        assertThat(tablet.get("department").asText()).isEqualTo("Cabinet");
        // In either order: the addresses are keyed apart in the binding join, and their hits reach the window from two tasks.
        assertThat(tablet.get("client_ips")).extracting(JsonNode::asText).containsExactlyInAnyOrder("10.20.6.40", "10.20.6.77");
        assertThat(tablet.get("macs")).extracting(JsonNode::asText).containsExactly("3c:22:fb:7a:10:05");
        assertThat(tablet.get("services")).extracting(JsonNode::asText).containsExactly("CapCut");
        assertThat(tablet.get("categories").get("capcut").asInt()).isEqualTo(7);
        assertThat(tablet.get("sensors")).extracting(JsonNode::asText).containsExactly("nac-gw");
        assertThat(tablet.get("list_version").asLong()).isZero();

        JsonNode laptop = violations.stream().filter(v -> v.get("device_id").asText().equals("LAPTOP-0042")
                && v.get("status").asText().equals("final")).findFirst().orElseThrow();
        assertThat(laptop.get("evidence").fieldNames()).toIterable().contains("dns", "tls", "quic", "http");
        assertThat(laptop.get("resolved_addresses")).isNotEmpty();
        assertThat(laptop.get("window_end").asText()).isEqualTo("2026-11-24T09:10:00Z");
    }

    @Test
    void capturesGiveTheSameEvidenceAsLogs() {
        JsonNode loopback = violations.stream().filter(v -> v.get("device_id").asText().equals("127.0.0.1")
                && v.get("status").asText().equals("final")).findFirst().orElseThrow();
        assertThat(loopback.get("evidence").fieldNames()).toIterable().containsExactlyInAnyOrder("dns", "tls", "quic", "http");
        assertThat(loopback.get("sensors")).extracting(JsonNode::asText).contains("quic-ngtcp2.pcap", "all.pcapng");
        assertThat(loopback.get("resolved_addresses")).extracting(JsonNode::asText).contains("23.1.2.3");
    }

    @Test
    void nearMissesAndOtherAppsAreNeverHits() {
        assertThat(hits).extracting(h -> h.get("name").asText().toLowerCase())
                .noneMatch(n -> n.contains("aaatiktok") || n.contains("evil.example") || n.contains("nottiktok")
                        || n.contains("attacker.test") || n.contains("instagram") || n.contains("snapchat")
                        || n.contains("bytedancefan") || n.contains("mytiktokcdn"));
        assertThat(hits).extracting(h -> h.get("device_id").asText()).doesNotContain("DESK-0420");
    }

    @Test
    void malformedLinesGoToTheDeadLetterFileWithReasonAndOriginal() {
        assertThat(deadLetters).hasSize(5);
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.get("source").asText()).endsWith("malformed.jsonl");
            assertThat(d.get("line").asInt()).isPositive();
            assertThat(d.get("reason").asText()).isNotBlank();
            assertThat(d.get("original").asText()).isNotBlank();
        });
        assertThat(summary).contains("5 malformed").contains("14 violation records (7 early, 7 final)");
    }

    @Test
    void bindingsMakeOneDeviceOfARoamingPhoneAndTwoOfAReusedAddress() {
        JsonNode phone = violations.stream().filter(v -> v.get("device_id").asText().equals("PHONE-0230")
                && v.get("status").asText().equals("final")).findFirst().orElseThrow();
        assertThat(phone.get("owner").asText()).isEqualTo("e.claes");
        assertThat(phone.get("client_ips")).extracting(JsonNode::asText).containsExactlyInAnyOrder("10.20.9.40", "10.20.9.77");
        assertThat(phone.get("macs")).extracting(JsonNode::asText).containsExactly("6a:1f:3c:90:22:01");
        assertThat(phone.get("attributions")).extracting(JsonNode::asText).containsExactlyInAnyOrder("lease", "nac");
        assertThat(phone.get("host_names")).extracting(JsonNode::asText).containsExactly("Pixel-8-ec");
        assertThat(phone.get("user_names")).extracting(JsonNode::asText).containsExactly("e.claes");
        // 10.20.9.40 after the phone left it: the next phone's 2 hits, no violation for anyone else.
        assertThat(hits).filteredOn(h -> h.get("client_ip").asText().startsWith("10.20.9."))
                .extracting(h -> h.get("client_ip").asText() + " " + h.get("device_id").asText() + " " + h.get("attribution").asText())
                .containsExactlyInAnyOrder("10.20.9.40 PHONE-0230 lease", "10.20.9.40 PHONE-0230 lease", "10.20.9.40 PHONE-0230 lease",
                        "10.20.9.77 PHONE-0230 nac", "10.20.9.77 PHONE-0230 nac", "10.20.9.77 PHONE-0230 nac",
                        "10.20.9.40 PHONE-0231 lease", "10.20.9.40 PHONE-0231 lease");
        assertThat(violations).extracting(v -> v.get("device_id").asText()).doesNotContain("PHONE-0231", "10.20.9.40", "10.20.9.77");
        assertThat(summary).contains("159 judged + 8 bindings + 19 ignored");
    }
}
