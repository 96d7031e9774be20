package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.TunnelLayer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tap encapsulations peeled down to the inner traffic, on Zeek's tunnel traces (copied into the test resources,
 * see their README) and on packets built here: each layer's type, id and outer addresses, the depth limit, headers
 * that lie, tunnel ports on traffic that is no tunnel, and flows of two tunnels kept apart.
 */
class TunnelsTest {
    private static final String MACS = "020000000001 020000000002";

    /** What one packet decoded to: the headers' result, and the tunnel layers or the skip reason. */
    private record Decoded(int result, List<TunnelLayer> layers, String skipReason) {}

    private static List<Decoded> decode(String zeekTrace) throws IOException {
        PacketHeaders h = new PacketHeaders(new IpFragments(), TunnelPorts.DEFAULTS);
        List<Decoded> out = new ArrayList<>();
        for (Packet p : TestCaptures.packets(TestCaptures.zeek(zeekTrace))) {
            int result = h.decode(p);
            out.add(new Decoded(result, h.tunnels.layers(), result < 0 ? h.skipReason : null));
        }
        return out;
    }

    private static TunnelLayer layer(String type, long id, String outerSrc, String outerDst) {
        return new TunnelLayer(type, id, outerSrc, outerDst);
    }

    private static FlowRecord only(List<FlowRecord> records, String name) {
        List<FlowRecord> named = records.stream().filter(r -> r.name.equals(name)).toList();
        assertFalse(named.isEmpty(), name + " in " + records);
        return named.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vxlan-encapsulated-http.pcap", "vxlan-triple-v2.pcap", "geneve-vxlan-dns-truncated.pcap",
            "geneve-many-options.pcap", "gre-over-udp-4754.pcap", "gre-pptp.pcap", "gre-sample.pcap", "gre-ethernet-key.pcap",
            "gtp-gtp1-first7.pcap", "gtp-gtp3_false_gtp.pcap", "mpls-in-vlan.pcap", "ayiya3.pcap", "teredo-some.pcap",
            "gre-aruba-first30.pcap"})
    void theNamesTsharkFinds(String trace) throws IOException {
        Set<String> tshark = new TreeSet<>(Files.readAllLines(TestCaptures.zeek(trace + ".tshark-names.txt")).stream()
                .filter(l -> !l.startsWith("#")).toList());
        assertFalse(tshark.isEmpty());
        assertEquals(tshark, new TreeSet<>(TestCaptures.sortedNames(TestCaptures.records(TestCaptures.zeek(trace)))));
    }

    @Test
    void vxlanAndVxlanGpeThreeDeep() throws IOException {
        FlowRecord http = only(TestCaptures.records(TestCaptures.zeek("vxlan-encapsulated-http.pcap")), "eu.httpbin.org");
        assertEquals(Kind.HTTP, http.kind);
        assertEquals("172.16.11.201", http.clientIp);
        assertEquals(List.of(layer("vxlan", 1, "10.1.200.131", "10.1.1.172")), http.tunnel);

        // Flags 0x0c: the I bit and VXLAN-GPE's P bit, next protocol 3 (Ethernet)
        FlowRecord dns = only(TestCaptures.records(TestCaptures.zeek("vxlan-triple-v2.pcap")), "www.bbc.com");
        assertEquals("4.4.4.4", dns.clientIp);
        assertEquals(List.of(layer("vxlan", 1, "1.1.1.1", "1.1.1.9"), layer("vxlan", 2, "2.2.2.2", "2.2.2.9"),
                layer("vxlan", 3, "3.3.3.3", "3.3.3.9")), dns.tunnel);
    }

    @Test
    void geneveWithOptionsWithIpv6AndAroundVxlan() throws IOException {
        FlowRecord http = only(TestCaptures.records(TestCaptures.zeek("geneve-many-options.pcap")), "wtfismyip.com");
        assertEquals(List.of(layer("geneve", 0x0c012e, "192.168.33.179", "192.168.179.33")), http.tunnel);

        FlowRecord dns = only(TestCaptures.records(TestCaptures.zeek("geneve-vxlan-dns-truncated.pcap")), "corelight.com");
        assertEquals(List.of(layer("geneve", 4242, "127.0.0.1", "127.0.0.1"), layer("vxlan", 4242, "127.0.0.1", "127.0.0.1")),
                dns.tunnel);

        for (Decoded d : decode("geneve-ipv6.pcap")) {
            assertEquals(PacketHeaders.UDP, d.result());
            assertEquals("geneve", d.layers().get(0).type);
        }
    }

    @Test
    void greOverIpOverUdpAndWithinGre() throws IOException {
        assertEquals(List.of(layer("gre", -1, "172.27.1.66", "66.59.109.137")),
                only(TestCaptures.records(TestCaptures.zeek("gre-sample.pcap")), "www.gleeble.org").tunnel);
        assertEquals(List.of(layer("gre", -1, "192.168.0.107", "192.168.5.1")),
                only(TestCaptures.records(TestCaptures.zeek("gre-over-udp-4754.pcap")), "zeek.org").tunnel);
        Decoded icmp = decode("gre-within-gre-first.pcap").get(0);
        assertEquals(PacketHeaders.NOTHING, icmp.result());
        assertEquals(List.of(layer("gre", -1, "72.205.54.70", "86.106.164.150"), layer("gre", -1, "10.10.11.2", "10.10.13.2")),
                icmp.layers());
    }

    /** PPTP's enhanced GRE (key, sequence and acknowledgement) with PPP, over IPv4 over IPv6. */
    @Test
    void pptpInIpv4InIpv6() throws IOException {
        FlowRecord r = TestCaptures.records(TestCaptures.zeek("gre-pptp.pcap")).get(0);
        assertEquals("172.16.44.3", r.clientIp);
        assertEquals(List.of(layer("ipip", -1, "2402:f000:1:8e01::5555", "2607:fcd0:100:2300::b108:2a6b"),
                layer("gre", -1, "16.0.0.200", "192.52.166.154")), r.tunnel);
    }

    @Test
    void erspanTypesOneTwoAndThree() throws IOException {
        assertEquals(List.of(layer("erspan", -1, "192.168.1.1", "192.168.1.2")), decode("erspanI.pcap").get(0).layers());
        assertEquals(List.of(layer("erspan", 100, "2.2.2.2", "1.1.1.1")), decode("erspanII.pcap").get(0).layers());
        assertEquals(List.of(layer("erspan", 0, "10.0.0.1", "10.0.0.2")), decode("erspanIII.pcap").get(0).layers());
        // Type III with the 8-byte platform sub-header, around a VLAN-tagged frame
        assertEquals(List.of(layer("erspan", 0, "172.31.1.23", "172.31.1.135")), decode("gre-erspan3-dot1q.pcap").get(0).layers());
        for (String trace : List.of("erspanI.pcap", "erspanII.pcap", "erspanIII.pcap", "gre-erspan3-dot1q.pcap")) {
            assertTrue(decode(trace).stream().allMatch(d -> d.result() == PacketHeaders.NOTHING), trace); // ICMP inside
        }
    }

    /** Ethernet bridged over keyed GRE (protocol 0x6558); this sender keys its two directions differently. */
    @Test
    void ethernetOverKeyedGre() throws IOException {
        List<FlowRecord> records = TestCaptures.records(TestCaptures.zeek("gre-ethernet-key.pcap"));
        String name = "www.xkcd.com.sp.local";
        FlowRecord query = records.stream().filter(r -> r.name.equals(name) && r.answers == null).findFirst().orElseThrow();
        assertEquals("192.168.69.10", query.clientIp);
        assertEquals(List.of(layer("gre", 0, "10.200.0.3", "10.200.0.224")), query.tunnel);
        FlowRecord answer = records.stream().filter(r -> r.name.equals(name) && r.answers != null).findFirst().orElseThrow();
        assertEquals("192.168.69.10", answer.clientIp);
        assertEquals(List.of(layer("gre", 0x02000000, "10.200.0.3", "10.200.0.224")), answer.tunnel);
    }

    @Test
    void gtpWithExtensionHeadersFragmentsAndIpv6() throws IOException {
        Decoded ext = decode("gtp-gtp_ext_header.pcap").get(1); // the first is an outer fragment
        assertEquals(PacketHeaders.TCP, ext.result());
        assertEquals(List.of(layer("gtp", 0x00100657, "10.155.148.149", "10.155.148.157")), ext.layers());

        // The G-PDU of the fourth and fifth packets is fragmented in the outer IPv4
        List<Decoded> fragmented = decode("gtp-gtp1-first7.pcap");
        assertEquals(PacketHeaders.NOTHING, fragmented.get(3).result());
        assertEquals(PacketHeaders.TCP, fragmented.get(4).result());
        FlowRecord http = only(TestCaptures.records(TestCaptures.zeek("gtp-gtp1-first7.pcap")),
                "o-o.preferred.telekomrs-beg1.v2.lscache8.c.youtube.com");
        assertEquals(List.of(layer("gtp", 0x8c61be36L, "239.114.155.111", "63.94.149.181")), http.tunnel);

        for (Decoded d : decode("gtp-gtp7_ipv6.pcap")) {
            assertEquals(List.of(layer("gtp", 0x91364467L, "118.92.124.41", "118.92.124.72")), d.layers());
        }
    }

    /** Port 2152 to 53: DNS, not GTP. */
    @Test
    void dnsFromTheGtpPortIsDns() throws IOException {
        FlowRecord r = only(TestCaptures.records(TestCaptures.zeek("gtp-gtp3_false_gtp.pcap")), "abcd.efg.hijklm.nm");
        assertNull(r.tunnel);
    }

    @Test
    void mplsLabelStacksAndPbb() throws IOException {
        List<FlowRecord> records = TestCaptures.records(TestCaptures.zeek("mpls-in-vlan.pcap"));
        assertEquals(List.of(layer("mpls", 254, null, null), layer("mpls", 99, null, null)), only(records, "ww.example.org").tunnel);
        assertNull(only(records, "AAAAAAAAAAAAA").tunnel);

        List<Decoded> pbb = decode("pbb.pcap");
        assertEquals(List.of(layer("pbb", 2014000, null, null)), pbb.get(0).layers());
        assertTrue(pbb.stream().filter(d -> d.result() == PacketHeaders.TCP).count() >= 8);
        assertEquals(PacketHeaders.TOO_DEEP, decode("pbb-recursive-frames.pcapng").get(0).skipReason());
    }

    @Test
    void ipInIp() throws IOException {
        Decoded fourInFour = decode("4in4.pcap").get(0);
        assertEquals(PacketHeaders.UDP, fourInFour.result());
        assertEquals(List.of(layer("ipip", -1, "1.2.3.4", "5.6.7.8")), fourInFour.layers());
        assertEquals(PacketHeaders.TCP, decode("4in6.pcap").get(0).result());
        assertEquals(PacketHeaders.UDP, decode("6in4.pcap").get(0).result());
        Decoded sixInSixInSix = decode("6in6in6.pcap").get(0);
        assertEquals(PacketHeaders.UDP, sixInSixInSix.result());
        assertEquals(List.of(layer("ipip", -1, "feed::beef", "feed::cafe"), layer("ipip", -1, "babe::beef", "dead::babe")),
                sixInSixInSix.layers());
        assertEquals("inner IP version differs from its protocol number",
                decode("mpls-6in6-6in6-4in6-invalid-version-4.pcap").get(0).skipReason());
    }

    @Test
    void teredoAndAyiya() throws IOException {
        List<Decoded> teredo = decode("teredo-some.pcap");
        assertEquals(List.of(layer("teredo", -1, "192.168.2.16", "65.55.158.80")), teredo.get(0).layers());
        assertNull(teredo.get(2).layers()); // the DNS query beside the tunnel

        FlowRecord http = only(TestCaptures.records(TestCaptures.zeek("ayiya3.pcap")), "ipv6.google.com");
        assertEquals("2001:4978:f:4c::2", http.clientIp);
        assertEquals(List.of(layer("ayiya", -1, "192.168.3.101", "216.14.98.22")), http.tunnel);
    }

    @Test
    void arubaWirelessFramesInGre() throws IOException {
        FlowRecord dns = only(TestCaptures.records(TestCaptures.zeek("gre-aruba-first30.pcap")), "zeek.org");
        assertEquals("gre", dns.tunnel.get(0).type);
        assertEquals("encrypted 802.11 frame", decode("gre-aruba-ccmp.pcap").get(0).skipReason());
        assertEquals("802.11 A-MSDU (not read)", decode("gre-aruba-amsdu.pcap").get(0).skipReason());
    }

    // ---------------------------------------------------------------------------------------------- built here

    static byte[] bytes(Packet p) {
        return Arrays.copyOf(p.data, p.length);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(b -> b.length).sum()];
        int o = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, o, b.length);
            o += b.length;
        }
        return out;
    }

    static byte[] dnsQuery(String client, String name) {
        return bytes(TestCaptures.ipv4(0, client, "10.0.0.53", 40000, 53, false, 0, 0, FlowExtractorTest.dnsQuery(name)));
    }

    /** An Ethernet frame around an IPv4 packet. */
    static byte[] ethernet(byte[] ip) {
        return concat(TestCaptures.hex(MACS + "0800"), ip);
    }

    /** A raw IPv4 packet (link type 101) from {@code outerSrc} carrying {@code payload} as IP protocol {@code protocol}. */
    private static Packet ipPacket(long micros, String outerSrc, int protocol, byte[] payload) {
        Packet p = TestCaptures.ipv4(micros, outerSrc, "192.0.2.254", 0, 0, false, 0, 0, new byte[0]);
        byte[] header = Arrays.copyOf(p.data, 20);
        header[9] = (byte) protocol;
        byte[] b = concat(header, payload);
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        return new Packet().set(101, micros, b, b.length);
    }

    private static byte[] vxlanPayload(int vni, byte[] frame) {
        return concat(new byte[] {0x08, 0, 0, 0, (byte) (vni >> 16), (byte) (vni >> 8), (byte) vni, 0}, frame);
    }

    /** A VXLAN datagram from {@code outerSrc} to port {@code port}, carrying {@code frame}. */
    static Packet vxlan(long micros, String outerSrc, int port, int vni, byte[] frame) {
        return TestCaptures.ipv4(micros, outerSrc, "192.0.2.254", 50000, port, false, 0, 0, vxlanPayload(vni, frame));
    }

    private static List<FlowRecord> extract(TunnelPorts ports, List<Packet> packets) {
        List<FlowRecord> out = new ArrayList<>();
        FlowExtractor extractor = new FlowExtractor(new CaptureStats("built"), out::add, ports);
        packets.forEach(extractor::accept);
        return out;
    }

    @Test
    void greWithEveryCombinationOfChecksumKeyAndSequence() {
        for (int flags = 0; flags < 8; flags++) {
            boolean checksum = (flags & 1) != 0;
            boolean key = (flags & 2) != 0;
            boolean sequence = (flags & 4) != 0;
            StringBuilder gre = new StringBuilder(String.format("%04x0800", (checksum ? 0x8000 : 0) | (key ? 0x2000 : 0) | (sequence ? 0x1000 : 0)));
            if (checksum) {
                gre.append("abcd0000");
            }
            if (key) {
                gre.append("000004d2"); // 1234
            }
            if (sequence) {
                gre.append("00000007");
            }
            byte[] payload = concat(TestCaptures.hex(gre.toString()), dnsQuery("10.0.0.5", "www.tiktok.com"));
            List<FlowRecord> records = TestCaptures.records(List.of(ipPacket(0, "198.51.100.1", 47, payload)));
            assertEquals(1, records.size(), "flags " + gre.substring(0, 4));
            assertEquals(List.of(layer("gre", key ? 1234 : -1, "198.51.100.1", "192.0.2.254")), records.get(0).tunnel);
        }
    }

    @Test
    void mplsPseudowireWithAControlWordBeforeEthernet() {
        byte[] frame = concat(TestCaptures.hex(MACS + "8847" + "00064140" + "00000000"), ethernet(dnsQuery("10.0.0.5", "www.tiktok.com")));
        List<FlowRecord> records = TestCaptures.records(List.of(new Packet().set(1, 0, frame, frame.length)));
        assertEquals(1, records.size());
        assertEquals(List.of(layer("mpls", 100, null, null)), records.get(0).tunnel);
    }

    @Test
    void tunnelPortsAreSettings() {
        byte[] frame = ethernet(dnsQuery("10.0.0.5", "www.tiktok.com"));
        Packet onLinuxPort = vxlan(0, "198.51.100.1", 8472, 7, frame);
        Packet onIanaPort = vxlan(0, "198.51.100.1", 4789, 7, frame);
        Packet onOwnPort = vxlan(0, "198.51.100.1", 9999, 7, frame);
        assertEquals(2, extract(TunnelPorts.DEFAULTS, List.of(onLinuxPort, onIanaPort, onOwnPort)).size());

        TunnelPorts own = new TunnelPorts(Set.of(9999), Set.of(6081), Set.of(2152), Set.of(4754), Set.of(3544), Set.of(5072));
        List<FlowRecord> records = extract(own, List.of(onLinuxPort, onIanaPort, onOwnPort));
        assertEquals(1, records.size());
        assertEquals("vxlan", records.get(0).tunnel.get(0).type);

        assertThrows(IllegalArgumentException.class,
                () -> new TunnelPorts(Set.of(4789), Set.of(4789), Set.of(2152), Set.of(4754), Set.of(3544), Set.of(5072)));
        assertThrows(IllegalArgumentException.class,
                () -> new TunnelPorts(Set.of(53), Set.of(6081), Set.of(2152), Set.of(4754), Set.of(3544), Set.of(5072)));
    }

    /**
     * Two tenants whose inner client is 10.0.0.5:40000 talking to the same server: each one's ClientHello, split
     * over two segments with the same sequence numbers, interleaved. Merged into one stream, the second tenant's
     * segments would be taken for retransmissions and give no record.
     */
    @Test
    void twoVxlanTenantsWithTheSameInnerAddressAreTwoFlows() throws IOException {
        byte[] hello = ClientHelloTest.opensslHello();
        byte[] record = concat(new byte[] {0x16, 3, 1, (byte) (hello.length >> 8), (byte) hello.length}, hello);
        int split = 60;
        List<Packet> packets = new ArrayList<>();
        for (int vni : new int[] {100, 200}) {
            packets.add(vxlan(1, "198.51.100." + vni / 100, 4789, vni, ethernet(bytes(TestCaptures.ipv4(1, "10.0.0.5", "10.9.9.9",
                    40000, 443, true, 1000, PacketHeaders.TCP_SYN, new byte[0])))));
        }
        for (int part = 0; part < 2; part++) {
            byte[] segment = part == 0 ? Arrays.copyOf(record, split) : Arrays.copyOfRange(record, split, record.length);
            for (int vni : new int[] {100, 200}) {
                packets.add(vxlan(2 + part, "198.51.100." + vni / 100, 4789, vni, ethernet(bytes(TestCaptures.ipv4(2 + part,
                        "10.0.0.5", "10.9.9.9", 40000, 443, true, 1001 + part * split, PacketHeaders.TCP_ACK, segment)))));
            }
        }
        List<FlowRecord> records = extract(TunnelPorts.DEFAULTS, packets);
        assertEquals(2, records.size(), records.toString());
        for (FlowRecord r : records) {
            assertEquals("www.tiktok.com", r.name);
            assertEquals("10.0.0.5", r.clientIp);
        }
        assertEquals(List.of(layer("vxlan", 100, "198.51.100.1", "192.0.2.254")), records.get(0).tunnel);
        assertEquals(List.of(layer("vxlan", 200, "198.51.100.2", "192.0.2.254")), records.get(1).tunnel);
    }

    /** The same for QUIC: one client Initial (ngtcp2's) sent in two tenants, and in one tenant from two VTEPs. */
    @Test
    void oneQuicInitialInTwoTunnelsIsTwoConnections() throws IOException {
        Packet initial = TestCaptures.packets(TestCaptures.sample("quic-ngtcp2.pcap")).get(0); // Ethernet
        byte[] frame = bytes(initial);
        List<FlowRecord> records = extract(TunnelPorts.DEFAULTS, List.of(vxlan(0, "198.51.100.1", 4789, 100, frame),
                vxlan(0, "198.51.100.1", 4789, 200, frame), vxlan(0, "198.51.100.2", 4789, 100, frame)));
        assertEquals(3, records.size());
        assertEquals(Set.of(Kind.QUIC), Set.copyOf(records.stream().map(r -> r.kind).toList()));
        assertEquals(3, Set.copyOf(records.stream().map(r -> r.tunnel).toList()).size());
    }

    // ---------------------------------------------------------------------------------------------- adversarial

    @Test
    void tunnelsNestedPastTheLimitAreSkipped() {
        for (int depth : new int[] {Tunnels.MAX_DEPTH, Tunnels.MAX_DEPTH + 1, 100}) {
            byte[] packet = dnsQuery("10.0.0.5", "www.tiktok.com");
            for (int i = 0; i < depth; i++) {
                packet = bytes(ipPacket(0, "198.51.100.1", 4, packet));
            }
            CaptureStats stats = new CaptureStats("nested");
            List<FlowRecord> records = new ArrayList<>();
            new FlowExtractor(stats, records::add).accept(new Packet().set(101, 0, packet, packet.length));
            if (depth <= Tunnels.MAX_DEPTH) {
                assertEquals(depth, records.get(0).tunnel.size());
            } else {
                assertEquals(List.of(), records);
                assertEquals(1L, stats.skipReasons().get(PacketHeaders.TOO_DEEP));
            }
        }
    }

    /** A VXLAN port on traffic that is not VXLAN: the datagram is read as it is. */
    @Test
    void aVxlanPortOnTrafficThatIsNotVxlan() throws IOException {
        // A DNS query from port 4789 whose first byte (the id) looks like VXLAN's flags
        byte[] query = FlowExtractorTest.dnsQuery("www.tiktok.com");
        query[0] = 0x08;
        query[1] = 0;
        List<FlowRecord> dns = TestCaptures.records(List.of(TestCaptures.ipv4(0, "10.0.0.5", "10.0.0.53", 4789, 53, false, 0, 0, query)));
        assertEquals(1, dns.size());
        assertNull(dns.get(0).tunnel);

        // A QUIC Initial from port 4789
        Packet initial = TestCaptures.packets(TestCaptures.sample("quic-ngtcp2.pcap")).get(0);
        int udp = 14 + (initial.data[14] & 0xf) * 4;
        initial.data[udp] = 0x12;
        initial.data[udp + 1] = (byte) 0xb5;
        List<FlowRecord> quic = TestCaptures.records(List.of(initial));
        assertEquals(1, quic.size());
        assertEquals(Kind.QUIC, quic.get(0).kind);
        assertNull(quic.get(0).tunnel);

        // Reserved flag bits set, or too short for a frame: an ordinary datagram, decoded, no record
        for (String payload : List.of("48000000000064000000000000000000000000000000000000000000", "0800000000006400")) {
            CaptureStats stats = new CaptureStats("not vxlan");
            new FlowExtractor(stats, r -> { }).accept(TestCaptures.ipv4(0, "10.0.0.5", "10.0.0.6", 50000, 4789, false, 0, 0,
                    TestCaptures.hex(payload)));
            assertEquals(1, stats.packetsDecoded(), payload);
            assertEquals(0, stats.records());
        }
    }

    @Test
    void headersThatLieOrStopShort() {
        byte[] inner = dnsQuery("10.0.0.5", "www.tiktok.com");
        List<Object[]> cases = List.of(
                // GRE: cut in its flags, cut before its key, routing present, version 2
                new Object[] {ipPacket(0, "198.51.100.1", 47, TestCaptures.hex("20")), "truncated GRE header"},
                new Object[] {ipPacket(0, "198.51.100.1", 47, TestCaptures.hex("2000080000")), "truncated GRE header"},
                new Object[] {ipPacket(0, "198.51.100.1", 47, concat(TestCaptures.hex("40000800"), inner)), "GRE version or flags not read"},
                new Object[] {ipPacket(0, "198.51.100.1", 47, concat(TestCaptures.hex("00020800"), inner)), "GRE version or flags not read"},
                // GTP-U with the E flag and an extension header that runs past the packet
                new Object[] {TestCaptures.ipv4(0, "198.51.100.1", "192.0.2.254", 2152, 2152, false, 0, 0,
                        TestCaptures.hex("34ff000c0000000100000085" + "05000000")), "truncated GTP header"},
                // GTP-U whose extension header has length 0 (would never end)
                new Object[] {TestCaptures.ipv4(0, "198.51.100.1", "192.0.2.254", 2152, 2152, false, 0, 0,
                        concat(TestCaptures.hex("34ff00300000000100000085" + "00000000"), inner)), "truncated GTP header"},
                // An inner IPv4 header that claims more than there is
                new Object[] {ipPacket(0, "198.51.100.1", 4, Arrays.copyOf(inner, 24)), "truncated UDP header"},
                // An MPLS stack that never reaches its bottom
                new Object[] {new Packet().set(1, 0, TestCaptures.hex(MACS + "8847" + "00064000" + "00064000"), 22), "truncated MPLS header"});
        for (Object[] c : cases) {
            CaptureStats stats = new CaptureStats("lies");
            List<FlowRecord> records = new ArrayList<>();
            new FlowExtractor(stats, records::add).accept((Packet) c[0]);
            assertEquals(List.of(), records);
            assertEquals(Long.valueOf(1), stats.skipReasons().get((String) c[1]), c[1] + ": " + stats.summary());
        }

        // A GTP-U length larger than the datagram is a snapped packet: it keeps what it has
        byte[] gtp = concat(TestCaptures.hex("30ff0fff00000001"), inner);
        assertEquals(1, TestCaptures.records(List.of(TestCaptures.ipv4(0, "198.51.100.1", "192.0.2.254", 2152, 2152, false, 0, 0, gtp))).size());
        // Geneve options longer than the datagram, AYIYA identity longer than the datagram: not those tunnels
        for (Packet p : List.of(TestCaptures.ipv4(0, "198.51.100.1", "192.0.2.254", 50000, 6081, false, 0, 0, TestCaptures.hex("3f00080000006400")),
                TestCaptures.ipv4(0, "198.51.100.1", "192.0.2.254", 5072, 5072, false, 0, 0, TestCaptures.hex("f1001104000000000000")))) {
            CaptureStats stats = new CaptureStats("not a tunnel");
            new FlowExtractor(stats, r -> { }).accept(p);
            assertEquals(1, stats.packetsDecoded());
        }
    }

    /** Every tunnel trace cut at every length, and with random bytes changed: counted, never an exception. */
    @Test
    void mangledTunnelPacketsNeverEscapeTheExtractor() throws IOException {
        Random random = new Random(11);
        CaptureStats stats = new CaptureStats("mangled");
        FlowExtractor extractor = new FlowExtractor(stats, r -> { });
        long packets = 0;
        for (String trace : List.of("vxlan-triple-v2.pcap", "geneve-vxlan-dns-truncated.pcap", "gre-pptp.pcap", "erspanII.pcap",
                "gre-erspan3-dot1q.pcap", "gtp-gtp_ext_header.pcap", "gtp-gtp7_ipv6.pcap", "mpls-in-vlan.pcap", "pbb.pcap",
                "6in6in6.pcap", "ayiya3.pcap", "teredo-some.pcap", "gre-aruba-first30.pcap", "gre-over-udp-4754.pcap")) {
            for (Packet p : TestCaptures.packets(TestCaptures.zeek(trace))) {
                for (int length = 0; length <= p.length; length++) {
                    extractor.accept(new Packet().set(p.linkType, 0, p.data, length));
                    packets++;
                }
                for (int i = 0; i < 200; i++) {
                    Packet m = TestCaptures.copy(p);
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                        m.data[random.nextInt(m.length)] = (byte) random.nextInt(256);
                    }
                    extractor.accept(m);
                    packets++;
                }
            }
        }
        assertEquals(packets, stats.packetsRead());
        assertEquals(packets, stats.packetsDecoded() + stats.packetsSkipped());
        assertFalse(stats.skipReasons().containsKey(FlowExtractor.DECODER_FAILURE), stats.firstProblems().toString());
    }
}
