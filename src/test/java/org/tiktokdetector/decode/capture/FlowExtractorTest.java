package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP reassembly, IP fragments and extension headers, and the bounds on per-flow state. */
class FlowExtractorTest {
    private static final String LARGE_HELLO_NAME = "api16-normal-c-useast1a.tiktokv.com";

    private static boolean isClientData(Packet p) {
        // tls-large-hello.pcap: Ethernet + IPv4 (no options); the client is the side not on port 8443
        int tcp = 14 + 20;
        int srcPort = Bytes.u16(p.data, tcp);
        int headerLength = ((p.data[tcp + 12] >> 4) & 0xf) * 4;
        return srcPort != 8443 && p.length > tcp + headerLength;
    }

    private static List<Packet> largeHello() throws IOException {
        return TestCaptures.packets(TestCaptures.sample("tls-large-hello.pcap"));
    }

    private static void assertOneLargeHello(List<FlowRecord> records) {
        assertEquals(1, records.size(), records.toString());
        FlowRecord r = records.get(0);
        assertEquals(Kind.TLS, r.kind);
        assertEquals(LARGE_HELLO_NAME, r.name);
        assertEquals(62, r.alpn.size());
    }

    @Test
    void aClientHelloOverFourSegments() throws IOException {
        List<Packet> packets = largeHello();
        assertTrue(packets.stream().filter(FlowExtractorTest::isClientData).count() >= 4,
                "the premise: the hello spans several client segments");
        assertOneLargeHello(TestCaptures.records(packets));
    }

    @Test
    void segmentsInReverseOrder() throws IOException {
        List<Packet> packets = largeHello();
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            if (isClientData(packets.get(i))) {
                data.add(i);
            }
        }
        List<Packet> reordered = new ArrayList<>(packets);
        List<Packet> reversed = new ArrayList<>(data.stream().map(packets::get).toList());
        Collections.reverse(reversed);
        for (int k = 0; k < data.size(); k++) {
            reordered.set(data.get(k), reversed.get(k));
        }
        assertOneLargeHello(TestCaptures.records(reordered));
    }

    @Test
    void everySegmentRetransmitted() throws IOException {
        List<Packet> doubled = new ArrayList<>();
        for (Packet p : largeHello()) {
            doubled.add(p);
            if (isClientData(p)) {
                doubled.add(TestCaptures.copy(p));
            }
        }
        assertOneLargeHello(TestCaptures.records(doubled));
    }

    @Test
    void aHelloMidConnectionWithSegmentsOutOfOrderIsFoundOnce() throws IOException {
        // The capture starts after the handshake (no SYN, no SYN-ACK) and the hello's four segments arrive
        // in the order 2, 4, 1, 3; then again with segments 2 and 1 retransmitted.
        List<Packet> packets = new ArrayList<>(largeHello().stream()
                .filter(p -> (Bytes.u8(p.data, 14 + 20 + 13) & PacketHeaders.TCP_SYN) == 0).toList());
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < packets.size() && data.size() < 4; i++) {
            if (isClientData(packets.get(i))) {
                data.add(i); // the hello's segments: 524, 524, 524 and 137 bytes
            }
        }
        List<Packet> hello = data.stream().map(packets::get).toList();
        List<Packet> swapped = new ArrayList<>(packets);
        List<Packet> order = List.of(hello.get(1), hello.get(3), hello.get(0), hello.get(2));
        for (int k = 0; k < 4; k++) {
            swapped.set(data.get(k), order.get(k));
        }
        List<Packet> retransmitted = new ArrayList<>(swapped);
        retransmitted.add(data.get(2) + 1, TestCaptures.copy(hello.get(0)));
        retransmitted.add(data.get(0) + 1, TestCaptures.copy(hello.get(1)));
        for (List<Packet> capture : List.of(swapped, retransmitted)) {
            CaptureStats[] stats = new CaptureStats[1];
            List<FlowRecord> records = TestCaptures.records(TestCaptures.pcap(capture), "mid-connection.pcap", stats);
            assertOneLargeHello(records);
            assertEquals(50960, records.get(0).clientPort);
            assertEquals(Map.of(), stats[0].skipReasons());
        }
    }

    @Test
    void midConnectionDataWaitsForAHelloWithin16KiB() throws IOException {
        byte[] hello = ClientHelloTest.opensslHello();
        byte[] record = Arrays.copyOf(TestCaptures.hex("160301"), 5 + hello.length);
        record[3] = (byte) (hello.length >> 8);
        record[4] = (byte) hello.length;
        System.arraycopy(hello, 0, record, 5, hello.length);
        byte[] bulk = new byte[1400];
        for (int segments : new int[] {2, 12}) { // 2.8 KB of a connection's middle, then 16.8 KB: past the bound
            CaptureStats stats = new CaptureStats("mid-connection");
            List<FlowRecord> records = new ArrayList<>();
            FlowExtractor extractor = new FlowExtractor(stats, records::add);
            int seq = 1000;
            for (int i = 0; i < segments; i++, seq += bulk.length) {
                extractor.accept(TestCaptures.ipv4(i, "10.0.0.1", "10.0.0.2", 40000, 443, true, seq, PacketHeaders.TCP_ACK, bulk));
            }
            extractor.accept(TestCaptures.ipv4(segments, "10.0.0.1", "10.0.0.2", 40000, 443, true, seq, PacketHeaders.TCP_ACK, record));
            assertEquals(segments == 2 ? List.of("www.tiktok.com") : List.of(), records.stream().map(r -> r.name).toList());
            assertEquals(Map.of(), stats.skipReasons(), "bulk data is not counted as a stream without its name");
        }
    }

    @Test
    void aClientHelloSplitOverTwoTlsRecords() throws IOException {
        byte[] hello = ClientHelloTest.opensslHello();
        byte[] payload = new byte[hello.length + 10];
        int split = 100;
        System.arraycopy(TestCaptures.hex("1603010064"), 0, payload, 0, 5); // a record of the first 100 bytes
        System.arraycopy(hello, 0, payload, 5, split);
        int rest = hello.length - split;
        System.arraycopy(TestCaptures.hex("160301"), 0, payload, 5 + split, 3);
        payload[5 + split + 3] = (byte) (rest >> 8);
        payload[5 + split + 4] = (byte) rest;
        System.arraycopy(hello, split, payload, 10 + split, rest);
        List<FlowRecord> records = TestCaptures.records(List.of(
                TestCaptures.ipv4(0, "10.0.0.1", "10.0.0.2", 40000, 443, true, 1, PacketHeaders.TCP_ACK, payload)));
        assertEquals(1, records.size());
        assertEquals("www.tiktok.com", records.get(0).name);
        assertEquals(List.of("h2", "http/1.1"), records.get(0).alpn);
    }

    @Test
    void aDnsMessageSplitAcrossSegmentsAndTwoInOneSegment() throws IOException {
        byte[] query = dnsQuery("www.tiktok.com");
        byte[] framed = new byte[2 + query.length];
        framed[1] = (byte) query.length;
        System.arraycopy(query, 0, framed, 2, query.length);
        byte[] two = new byte[2 * framed.length];
        System.arraycopy(framed, 0, two, 0, framed.length);
        System.arraycopy(framed, 0, two, framed.length, framed.length);
        List<Packet> packets = List.of(
                TestCaptures.ipv4(1000, "10.0.0.1", "10.0.0.53", 40000, 53, true, 99, PacketHeaders.TCP_SYN, new byte[0]),
                TestCaptures.ipv4(2000, "10.0.0.1", "10.0.0.53", 40000, 53, true, 100, PacketHeaders.TCP_ACK, Arrays.copyOf(framed, 1)),
                TestCaptures.ipv4(3000, "10.0.0.1", "10.0.0.53", 40000, 53, true, 101, PacketHeaders.TCP_ACK,
                        Arrays.copyOfRange(framed, 1, framed.length)),
                TestCaptures.ipv4(4000, "10.0.0.1", "10.0.0.53", 40000, 53, true, 100 + framed.length, PacketHeaders.TCP_ACK, two));
        List<FlowRecord> records = TestCaptures.records(packets);
        assertEquals(3, records.size());
        assertEquals(List.of(3L, 4L, 4L), records.stream().map(r -> r.timestamp).toList());
        for (FlowRecord r : records) {
            assertEquals("www.tiktok.com", r.name);
            assertEquals("tcp", r.transport);
            assertEquals("10.0.0.1", r.clientIp);
            assertNull(r.answers);
        }
    }

    @Test
    void aFragmentedDnsQueryIsReassembledInAnyOrder() {
        byte[] query = dnsQuery("v16-webapp.tiktokcdn.com");
        Packet whole = TestCaptures.ipv4(5000, "192.0.2.7", "192.0.2.53", 33333, 53, false, 0, 0, query);
        byte[] ip = Arrays.copyOf(whole.data, whole.length);
        // fragment 1: header + the first 16 bytes of the UDP datagram; fragment 2: the rest at offset 16
        Packet first = fragment(ip, 0, 16, true);
        Packet second = fragment(ip, 16, ip.length - 20 - 16, false);
        for (List<Packet> order : List.of(List.of(first, second), List.of(second, first))) {
            List<FlowRecord> records = TestCaptures.records(order);
            assertEquals(1, records.size());
            assertEquals("v16-webapp.tiktokcdn.com", records.get(0).name);
            assertEquals("192.0.2.7", records.get(0).clientIp);
        }
    }

    private static Packet fragment(byte[] ip, int offset, int length, boolean more) {
        byte[] b = new byte[20 + length];
        System.arraycopy(ip, 0, b, 0, 20);
        System.arraycopy(ip, 20 + offset, b, 20, length);
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        b[4] = 0x12;
        b[5] = 0x34;
        int flagsOffset = (more ? 0x2000 : 0) | offset / 8;
        b[6] = (byte) (flagsOffset >> 8);
        b[7] = (byte) flagsOffset;
        return new Packet().set(101, 5000, b, b.length);
    }

    @Test
    void everyLinkLayerLeadsToTheSameRecord() {
        Packet raw = TestCaptures.ipv4(0, "10.1.1.1", "10.1.1.53", 40000, 53, false, 0, 0, dnsQuery("www.tiktok.com"));
        byte[] ip = Arrays.copyOf(raw.data, raw.length);
        String macs = "000000000001 000000000002";
        List<Packet> framed = List.of(
                link(1, macs + "0800", ip),                                      // Ethernet
                link(1, macs + "8100 0064 0800", ip),                            // 802.1Q
                link(1, macs + "88a8 0064 8100 00c8 0800", ip),                  // QinQ
                link(1, macs + "8864 1100 0001 0000 0021", ip),                  // PPPoE session, PPP IPv4
                link(113, "0000 0001 0006 000000000001 0000 0800", ip),          // Linux cooked v1
                link(276, "0800 0000 00000001 0001 01 06 000000000001 0000", ip), // Linux cooked v2
                link(0, "02000000", ip),                                         // BSD null, host order
                link(108, "00000002", ip),                                       // OpenBSD loopback
                link(9, "ff03 0021", ip),                                        // PPP in HDLC framing
                link(12, "", ip));                                               // DLT_RAW
        for (Packet p : framed) {
            List<FlowRecord> records = TestCaptures.records(List.of(p));
            assertEquals(1, records.size(), "link type " + p.linkType);
            assertEquals("www.tiktok.com", records.get(0).name);
            assertEquals("10.1.1.1", records.get(0).clientIp);
        }
    }

    private static Packet link(int linkType, String header, byte[] ip) {
        byte[] h = TestCaptures.hex(header);
        byte[] b = Arrays.copyOf(h, h.length + ip.length);
        System.arraycopy(ip, 0, b, h.length, ip.length);
        return new Packet().set(linkType, 0, b, b.length);
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        // hop-by-hop (8 bytes) and destination options (8 bytes) before UDP
        Packet p = ipv6(0, TestCaptures.hex("3c00 0000 0000 0000" + "1100 0000 0000 0000"), udp(dnsQuery("www.tiktok.com")));
        List<FlowRecord> records = TestCaptures.records(List.of(p));
        assertEquals(1, records.size());
        assertEquals("2001::1", records.get(0).clientIp);
        assertEquals("2001::35", records.get(0).serverIp);
        assertEquals(40000, records.get(0).clientPort);
    }

    @Test
    void aFragmentedIpv6DnsQueryIsFoundOnceInAnyOrderWithDuplicatesAndOverlaps() {
        byte[] udp = udp(dnsQuery("v16-webapp.tiktokcdn.com")); // 50 bytes: fragments of 16, 16 and 18
        Packet a = ipv6Fragment(udp, 0, 16, true);
        Packet b = ipv6Fragment(udp, 16, 16, true);
        Packet c = ipv6Fragment(udp, 32, udp.length - 32, false);
        Packet overlap = ipv6Fragment(udp, 8, 24, true); // the same bytes as the end of a and all of b
        for (List<Packet> order : List.of(List.of(a, b, c), List.of(c, b, a), List.of(b, c, a), List.of(a, a, c, b, c),
                List.of(a, overlap, c), List.of(overlap, c, a, b))) {
            CaptureStats stats = new CaptureStats("v6 fragments");
            List<FlowRecord> records = new ArrayList<>();
            FlowExtractor extractor = new FlowExtractor(stats, records::add);
            order.forEach(extractor::accept);
            assertEquals(1, records.size(), order.toString());
            assertEquals("v16-webapp.tiktokcdn.com", records.get(0).name);
            assertEquals("2001::1", records.get(0).clientIp);
            assertEquals(40000, records.get(0).clientPort);
            assertEquals(0, stats.packetsSkipped(), stats.summary());
        }
    }

    @Test
    void aRealIpv6PacketInThreeFragments() throws IOException {
        // Zeek's gre-pptp.pcap: Ethernet, 802.1Q, IPv6 carrying IPv4, GRE, PPP, IPv4, a DNS query. Its IPv6
        // packet is fragmented here as raw IPv6: reassembled, it is peeled like the whole one.
        Packet query = TestCaptures.packets(TestCaptures.zeek("gre-pptp.pcap")).get(0);
        int ip = 18;
        byte[] header = Arrays.copyOfRange(query.data, ip, ip + 40);
        byte[] payload = Arrays.copyOfRange(query.data, ip + 40, query.length);
        assertEquals(4, header[6], "the premise: IPv6 carries IPv4");
        Packet a = ipv6Fragment(header, 4, payload, 0, 56, true);
        Packet b = ipv6Fragment(header, 4, payload, 56, 56, true);
        Packet c = ipv6Fragment(header, 4, payload, 112, payload.length - 112, false);
        for (List<Packet> order : List.of(List.of(a, b, c), List.of(c, a, b), List.of(b, b, a, c, a))) {
            List<FlowRecord> records = TestCaptures.records(order);
            assertEquals(List.of("xqt-detect-mode2-97712e88-167a-45b9-93ee-913140e76678"),
                    records.stream().map(r -> r.name).toList());
            assertEquals("172.16.44.3", records.get(0).clientIp);
            assertEquals("2402:f000:1:8e01::5555", records.get(0).tunnel.get(0).outerSrc);
        }
    }

    @Test
    void ipv6FragmentsThatLieAreCountedAndDropped() {
        byte[] udp = udp(dnsQuery("v16-webapp.tiktokcdn.com"));
        byte[] forged = udp.clone();
        forged[20] ^= 0x20; // a letter of the name in another case
        Packet a = ipv6Fragment(udp, 0, 16, true);
        Packet b = ipv6Fragment(udp, 16, 16, true);
        Packet c = ipv6Fragment(udp, 32, udp.length - 32, false);
        Packet forgedB = ipv6Fragment(forged, 16, 16, true);
        Packet shorterEnd = ipv6Fragment(udp, 16, 16, false);
        Packet odd = ipv6Fragment(udp, 16, 15, true); // not a multiple of 8 with more to come
        Object[][] cases = {
                {List.of(a, forgedB, b, c), "IP fragments overlap with different bytes"},
                {List.of(a, c, shorterEnd, b), "IP fragments disagree on the datagram's end"},
                {List.of(a, odd), "IP fragment with a bad length or offset"}};
        for (Object[] k : cases) {
            CaptureStats stats = new CaptureStats("lying v6 fragments");
            List<FlowRecord> records = new ArrayList<>();
            FlowExtractor extractor = new FlowExtractor(stats, records::add);
            @SuppressWarnings("unchecked") List<Packet> packets = (List<Packet>) k[0];
            packets.forEach(extractor::accept);
            assertEquals(List.of(), records, stats.summary());
            assertEquals(1L, stats.skipReasons().get((String) k[1]), stats.summary());
            assertEquals(0, stats.problems(), stats.summary());
        }
    }

    /** A UDP datagram from port 40000 to 53. */
    private static byte[] udp(byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        udp[0] = (byte) 0x9c;
        udp[1] = 0x40; // port 40000
        udp[3] = 53;
        udp[5] = (byte) udp.length;
        System.arraycopy(payload, 0, udp, 8, payload.length);
        return udp;
    }

    /** An IPv6 header from 2001::1 to 2001::35. */
    private static final byte[] IPV6_HEADER = TestCaptures.hex("6000 0000 0000 0040"
            + "2001 0000 0000 0000 0000 0000 0000 0001" + "2001 0000 0000 0000 0000 0000 0000 0035");

    private static Packet ipv6(int firstNext, byte[] ext, byte[] udp) {
        return ipv6(IPV6_HEADER, firstNext, ext, udp);
    }

    /** A raw IPv6 packet of {@code header}: the extension headers (the first byte of each names the next), then UDP. */
    private static Packet ipv6(byte[] header, int firstNext, byte[] ext, byte[] udp) {
        byte[] b = Arrays.copyOf(header, 40 + ext.length + udp.length);
        b[4] = (byte) ((ext.length + udp.length) >> 8);
        b[5] = (byte) (ext.length + udp.length);
        b[6] = (byte) firstNext;
        System.arraycopy(ext, 0, b, 40, ext.length);
        System.arraycopy(udp, 0, b, 40 + ext.length, udp.length);
        return new Packet().set(229, 0, b, b.length);
    }

    /** The bytes {@code udp[offset, offset + length)} in an IPv6 packet with a Fragment header (identification 0x1234abcd). */
    private static Packet ipv6Fragment(byte[] udp, int offset, int length, boolean more) {
        return ipv6Fragment(IPV6_HEADER, PacketHeaders.UDP, udp, offset, length, more);
    }

    /** The bytes {@code payload[offset, offset + length)} of protocol {@code next} in a fragment of {@code header}'s packet. */
    private static Packet ipv6Fragment(byte[] header, int next, byte[] payload, int offset, int length, boolean more) {
        byte[] fragment = TestCaptures.hex("0000 0000 1234abcd");
        fragment[0] = (byte) next;
        int offsetFlags = offset | (more ? 1 : 0);
        fragment[2] = (byte) (offsetFlags >> 8);
        fragment[3] = (byte) offsetFlags;
        return ipv6(header, 44, fragment, Arrays.copyOfRange(payload, offset, offset + length));
    }

    @Test
    void aStreamThatGrowsPast16KiBWithoutAHelloIsGivenUp() {
        CaptureStats stats = new CaptureStats("big");
        List<FlowRecord> records = new ArrayList<>();
        FlowExtractor extractor = new FlowExtractor(stats, records::add);
        byte[] chunk = new byte[1400];
        chunk[0] = 0x16;
        chunk[1] = 0x03;
        chunk[3] = (byte) 0x7f; // a 32 KiB TLS record: the hello never completes within the bound
        chunk[4] = (byte) 0xff;
        chunk[5] = 1;
        for (int i = 0; i < 14; i++) {
            extractor.accept(TestCaptures.ipv4(i, "10.0.0.1", "10.0.0.2", 40000, 443, true, 1 + i * chunk.length,
                    PacketHeaders.TCP_ACK, i == 0 ? chunk : new byte[chunk.length]));
        }
        assertEquals(List.of(), records);
        assertEquals(1L, stats.skipReasons().get("TCP stream over 16 KiB before its name"));
    }

    @Test
    void tcpStateIsBoundedInConnections() {
        CaptureStats stats = new CaptureStats("syn flood");
        FlowExtractor extractor = new FlowExtractor(stats, r -> { });
        int connections = FlowExtractor.MAX_TCP_STREAMS + 1000;
        for (int i = 0; i < connections; i++) {
            extractor.accept(TestCaptures.ipv4(i, "10.0.0.1", "10.0.0.2", 1024 + i, 443, true, 0, PacketHeaders.TCP_SYN, new byte[0]));
        }
        assertEquals(FlowExtractor.MAX_TCP_STREAMS, extractor.tcpStreamCount());
        assertEquals(connections, stats.packetsDecoded());
    }

    @Test
    void unsupportedLinkTypesAndNonIpPacketsAreCountedAsSkipped() {
        CaptureStats stats = new CaptureStats("odd");
        FlowExtractor extractor = new FlowExtractor(stats, r -> { });
        extractor.accept(new Packet().set(147, 0, new byte[40], 40));
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        extractor.accept(new Packet().set(1, 0, arp, arp.length));
        assertEquals(2, stats.packetsSkipped());
        assertEquals(1L, stats.skipReasons().get("unsupported link type"));
        assertEquals(1L, stats.skipReasons().get("not IPv4 or IPv6"));
    }

    /** A minimal DNS query for an A record. */
    static byte[] dnsQuery(String name) {
        byte[] q = new byte[12 + name.length() + 2 + 4];
        q[0] = 0x12;
        q[1] = 0x34;
        q[2] = 0x01; // recursion desired
        q[5] = 1;
        int o = 12;
        for (String label : name.split("\\.")) {
            q[o++] = (byte) label.length();
            for (char c : label.toCharArray()) {
                q[o++] = (byte) c;
            }
        }
        q[o + 2] = 1;
        q[o + 4] = 1;
        return q;
    }
}
