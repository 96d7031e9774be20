package org.tiktokdetector.decode.capture;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code detect} on a capture of two VXLAN tenants whose devices share the private address 10.0.0.5: two devices,
 * each violation naming its tunnel, each hit carrying it.
 */
class TwoTenantsDetectIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli() * 1000;

    @Test
    void twoTenantsSameAddressTwoDevices(@TempDir Path dir) throws Exception {
        List<Packet> packets = new ArrayList<>();
        String[] names = {"api16-normal-c-useast1a.tiktokv.com", "log16-normal-c-useast1a.tiktokv.com", "mon.musical.ly",
                "api22-normal-c-alisg.tiktokv.com", "v16m.tiktokcdn.com", "www.tiktok.com"};
        for (int i = 0; i < names.length; i++) {
            for (int vni : new int[] {100, 200}) {
                packets.add(TunnelsTest.vxlan(T0 + i * 1_000_000L, "198.51.100." + vni / 100, 4789, vni,
                        TunnelsTest.ethernet(TunnelsTest.dnsQuery("10.0.0.5", names[i]))));
            }
        }
        Files.createDirectories(dir.resolve("in"));
        Files.write(dir.resolve("in/tenants.pcap"), TestCaptures.pcap(packets));

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("v.jsonl").toString(),
                "--hits", dir.resolve("hits.jsonl").toString());
        assertThat(run.exit()).as(run.err()).isZero();

        List<JsonNode> finals = DetectRun.jsonLines(dir.resolve("v.jsonl")).stream().filter(v -> v.get("status").asText().equals("final")).toList();
        assertThat(finals).extracting(v -> v.get("device_id").asText())
                .containsExactlyInAnyOrder("10.0.0.5@vxlan:100", "10.0.0.5@vxlan:200");
        for (JsonNode v : finals) {
            String vni = v.get("device_id").asText().substring("10.0.0.5@vxlan:".length());
            assertThat(v.get("client_ips").toString()).isEqualTo("[\"10.0.0.5\"]");
            assertThat(v.get("hit_count").asInt()).isEqualTo(names.length);
            assertThat(v.get("tunnels").toString()).isEqualTo("[[{\"type\":\"vxlan\",\"id\":" + vni + ",\"outer_src\":\"198.51.100."
                    + Integer.parseInt(vni) / 100 + "\",\"outer_dst\":\"192.0.2.254\"}]]");
        }
        List<JsonNode> hits = DetectRun.jsonLines(dir.resolve("hits.jsonl"));
        assertThat(hits).hasSize(2 * names.length);
        assertThat(hits).allSatisfy(h -> assertThat(h.get("tunnel").get(0).get("type").asText()).isEqualTo("vxlan"));
    }
}
