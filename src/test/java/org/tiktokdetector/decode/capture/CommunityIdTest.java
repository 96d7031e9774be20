package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.CommunityId;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Community ID of hits, checked against the spec's own vectors and against Wireshark's: for every record
 * extracted from captures without tunnels (IPv4 and IPv6, UDP and TCP, fragments), the ID computed from its
 * 5-tuple equals the one tshark computes for the packet the record names ({@code packet}), as stored by
 * make-community-ids.sh.
 */
class CommunityIdTest {
    private static final Path RESOURCES = TestCaptures.RESOURCES;

    /** community-id-spec, README "Baseline data", seed 0, both directions. */
    @Test
    void matchesTheSpecificationsVectors() {
        assertThat(CommunityId.of("1.2.3.4", 1122, "5.6.7.8", 3344, 6)).isEqualTo("1:wCb3OG7yAFWelaUydu0D+125CLM=");
        assertThat(CommunityId.of("5.6.7.8", 3344, "1.2.3.4", 1122, 6)).isEqualTo("1:wCb3OG7yAFWelaUydu0D+125CLM=");
        assertThat(CommunityId.of("1.2.3.4", 1122, "5.6.7.8", 3344, 17)).isEqualTo("1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
        assertThat(CommunityId.of("5.6.7.8", 3344, "1.2.3.4", 1122, 17)).isEqualTo("1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=");
    }

    @Test
    void aRecordWithoutItsWholeFiveTupleHasNone() {
        FlowRecord r = new FlowRecord(0, Kind.DNS, "10.0.0.5", 40000, "10.0.0.53", 53, null, "www.tiktok.com");
        assertThat(CommunityId.of(r)).as("DNS without a transport").isNull();
        r.transport = "udp";
        assertThat(CommunityId.of(r)).isEqualTo(CommunityId.of("10.0.0.5", 40000, "10.0.0.53", 53, 17));
        r.serverPort = 0;
        assertThat(CommunityId.of(r)).as("no server port").isNull();
        FlowRecord tls = new FlowRecord(0, Kind.TLS, "10.0.0.5", 40000, "www.tiktok.com", 443, null, "www.tiktok.com");
        assertThat(CommunityId.of(tls)).as("a name where an address should be is never looked up").isNull();
        tls.serverIp = "2001:db8::1";
        assertThat(CommunityId.of(tls)).as("IPv4 client, IPv6 server").isNull();
    }

    @Test
    void equalsWiresharksForEveryRecordOfCapturesWithoutTunnels() throws Exception {
        List<Path> captures = new ArrayList<>();
        for (String f : List.of("dns-udp-tcp.pcap", "tls-openssl.pcap", "tls-large-hello.pcap", "http-curl-sll2.pcap", "quic-ngtcp2.pcap")) {
            captures.add(TestCaptures.sample(f));
        }
        captures.add(RESOURCES.resolve("generated/quic-versions.pcap"));
        for (String f : List.of("chromium-115.0.5790.110-google-de-fragmented.pcap", "quic-decrypt-fail-google-de-51833.pcap",
                "dns-binds.pcap", "firefox-102.13.0esr-blog-cloudflare-com.pcap", "tls13-ech.pcap", "curl-8.1.2-dev-http3-www-google-de.pcap")) {
            captures.add(TestCaptures.zeek(f));
        }
        int compared = 0;
        int ipv6 = 0;
        for (Path capture : captures) {
            Map<Long, String> wireshark = wiresharkIds(capture);
            List<FlowRecord> records = new ArrayList<>();
            try (InputStream in = Files.newInputStream(capture)) {
                FlowExtractor.extract(in, capture.getFileName().toString(), records::add);
            }
            assertThat(records).as(capture + " has records").isNotEmpty();
            for (FlowRecord r : records) {
                assertThat(wireshark).as(capture + ": tshark has a Community ID for packet " + r.packet + " of " + r).containsKey(r.packet);
                assertThat(CommunityId.of(r)).as(capture + " packet " + r.packet).isEqualTo(wireshark.get(r.packet));
                compared++;
                ipv6 += r.clientIp.contains(":") ? 1 : 0;
            }
        }
        assertThat(compared).isEqualTo(50);
        assertThat(ipv6).as("IPv6 records compared").isEqualTo(2);
    }

    private static Map<Long, String> wiresharkIds(Path capture) throws Exception {
        Path stored = capture.startsWith(TestCaptures.SAMPLES)
                ? RESOURCES.resolve("sample").resolve(capture.getFileName() + ".community-ids.tsv")
                : capture.resolveSibling(capture.getFileName() + ".community-ids.tsv");
        Map<Long, String> ids = new HashMap<>();
        for (String line : Files.readAllLines(stored)) {
            String[] f = line.split("\t");
            if (!line.startsWith("#") && f.length == 2) {
                ids.put(Long.parseLong(f[0]), f[1]);
            }
        }
        return ids;
    }
}
