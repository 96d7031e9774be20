package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.TunnelLayer;
import org.tiktokdetector.records.Timestamps;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLineDecoderTest {
    private final LogLineDecoder decoder = new LogLineDecoder();

    private FlowRecord single(String line, Dialect expected) throws MalformedRecordException {
        LogLineDecoder.Result r = decoder.decode(line);
        assertEquals(expected, r.dialect());
        assertEquals(1, r.records().size(), () -> "records of " + line);
        return r.records().get(0);
    }

    private void ignored(String line, Dialect expected) throws MalformedRecordException {
        LogLineDecoder.Result r = decoder.decode(line);
        assertEquals(expected, r.dialect());
        assertTrue(r.ignored());
        assertEquals(List.of(), r.records());
    }

    private void ignored(String line, Dialect expected, String type) throws MalformedRecordException {
        ignored(line, expected);
        assertEquals(type, decoder.decode(line).type(), line);
    }

    private String malformed(String line) {
        return assertThrows(MalformedRecordException.class, () -> decoder.decode(line)).getMessage();
    }

    private static long iso(String s) {
        return Timestamps.fromIso(s);
    }

    @Nested
    class Zeek {
        // Field layout as Zeek 7/8 writes dns.log with LogAscii::use_json=T.
        static final String DNS = "{\"ts\":1795510812.204617,\"uid\":\"CuQ3Xe2s4bLqXoCvqk\",\"id.orig_h\":\"10.20.1.15\","
                + "\"id.orig_p\":59812,\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":48213,"
                + "\"rtt\":0.021634,\"query\":\"api16-normal-c-useast1a.tiktokv.com\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\","
                + "\"qtype\":1,\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,\"RD\":true,"
                + "\"RA\":true,\"Z\":0,\"answers\":[\"api16-normal-c-useast1a.tiktokv.com.edgesuite.net\",\"a1996.dscb.akamai.net\","
                + "\"23.54.153.66\",\"23.54.153.74\"],\"TTLs\":[300.0,21600.0,20.0,20.0],\"rejected\":false}";

        /** The evidence handles: Zeek's uid, and the Community ID where community-id-logging.zeek is loaded. */
        @Test
        void keepsTheUidAndTheCommunityIdZeekLogged() throws Exception {
            FlowRecord r = single(DNS.replace("\"rejected\":false}", "\"rejected\":false,\"community_id\":\"1:wCb3OG7yAFWelaUydu0D+125CLM=\"}"),
                    Dialect.ZEEK_DNS);
            assertEquals("CuQ3Xe2s4bLqXoCvqk", r.uid);
            assertEquals("1:wCb3OG7yAFWelaUydu0D+125CLM=", r.communityId);
            assertNull(single(DNS, Dialect.ZEEK_DNS).communityId, "not logged: computed later, for hits only");
        }

        @Test
        void dnsLogWithCnameChain() throws Exception {
            FlowRecord r = single(DNS, Dialect.ZEEK_DNS);
            assertEquals(1795510812205L, r.timestamp);
            assertEquals(Kind.DNS, r.kind);
            assertEquals("udp", r.transport);
            assertEquals("10.20.1.15", r.clientIp);
            assertEquals(59812, r.clientPort);
            assertEquals("10.20.0.53", r.serverIp);
            assertEquals(53, r.serverPort);
            assertEquals("api16-normal-c-useast1a.tiktokv.com", r.name);
            assertEquals("A", r.queryType);
            assertEquals(List.of(
                    new DnsAnswer("CNAME", "api16-normal-c-useast1a.tiktokv.com.edgesuite.net", 300),
                    new DnsAnswer("CNAME", "a1996.dscb.akamai.net", 21600),
                    new DnsAnswer("A", "23.54.153.66", 20),
                    new DnsAnswer("A", "23.54.153.74", 20)), r.answers);
            assertNull(r.sensor);
            assertNull(r.alpn);
            assertNull(r.deviceId);
            assertNull(r.mac);
        }

        @Test
        void dnsLogAaaaOverTcpWithIsoTimestampPathAndSystemName() throws Exception {
            FlowRecord r = single("{\"_path\":\"dns\",\"_system_name\":\"tap-hq-1\",\"ts\":\"2026-11-24T09:00:12.204617Z\","
                    + "\"uid\":\"C8blOJ21azY2OGxmGd\",\"id.orig_h\":\"2001:db8:20:1::15\",\"id.orig_p\":50110,"
                    + "\"id.resp_h\":\"2001:db8:20::53\",\"id.resp_p\":53,\"proto\":\"tcp\",\"trans_id\":1022,"
                    + "\"query\":\"www.tiktok.com\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":28,\"qtype_name\":\"AAAA\","
                    + "\"rcode\":0,\"rcode_name\":\"NOERROR\",\"answers\":[\"www.tiktok.com.edgekey.net\",\"2a02:26f0:fd::5c7a:1e54\"],"
                    + "\"TTLs\":[60.0,20.0],\"rejected\":false}", Dialect.ZEEK_DNS);
            assertEquals(iso("2026-11-24T09:00:12.204Z"), r.timestamp, "fromIso truncates to the millisecond");
            assertEquals("tap-hq-1", r.sensor);
            assertEquals("tcp", r.transport);
            assertEquals("2001:db8:20:1::15", r.clientIp);
            assertEquals("AAAA", r.queryType);
            assertEquals(List.of(new DnsAnswer("CNAME", "www.tiktok.com.edgekey.net", 60),
                    new DnsAnswer("AAAA", "2a02:26f0:fd::5c7a:1e54", 20)), r.answers);
        }

        @Test
        void dnsLogWithoutResponseHasNoAnswers() throws Exception {
            FlowRecord r = single("{\"ts\":1795510813.5,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.orig_p\":61001,\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":7,"
                    + "\"query\":\"mon.byteoversea.com\",\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":65,"
                    + "\"qtype_name\":\"HTTPS\",\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":false,\"Z\":0,\"rejected\":false}",
                    Dialect.ZEEK_DNS);
            assertEquals("mon.byteoversea.com", r.name);
            assertEquals("HTTPS", r.queryType);
            assertNull(r.answers);
            assertEquals(1795510813500L, r.timestamp);
        }

        @Test
        void answerTypeHeuristic() {
            assertEquals("A", ZeekJsonDecoder.answerType("23.54.153.66", "A"));
            assertEquals("AAAA", ZeekJsonDecoder.answerType("2a02:26f0:fd::5c7a:1e54", "AAAA"));
            assertEquals("CNAME", ZeekJsonDecoder.answerType("x.edgesuite.net", "A"));
            assertEquals("CNAME", ZeekJsonDecoder.answerType("x.edgesuite.net", null));
            assertEquals("PTR", ZeekJsonDecoder.answerType("host.example", "PTR"));
            assertEquals("TXT", ZeekJsonDecoder.answerType("TXT 10 v=spf1 -all", "TXT"));
            assertFalse(Fields.isIpv4("23.54.153"));
            assertFalse(Fields.isIpv4("23.54.153.256"));
            assertFalse(Fields.isIpv6("cafe.example"));
        }

        @Test
        void sslLog() throws Exception {
            FlowRecord r = single("{\"ts\":1795510814.019271,\"uid\":\"C4J4Th3PJpwUYZZ6gc\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.orig_p\":50322,\"id.resp_h\":\"23.54.153.66\",\"id.resp_p\":443,\"version\":\"TLSv13\","
                    + "\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"curve\":\"X25519MLKEM768\",\"server_name\":\"api16-normal-c-useast1a.tiktokv.com\","
                    + "\"resumed\":false,\"next_protocol\":\"h2\",\"established\":true,\"ssl_history\":\"CsiI\","
                    + "\"sni_matches_cert\":true}", Dialect.ZEEK_SSL);
            assertEquals(Kind.TLS, r.kind);
            assertEquals(1795510814019L, r.timestamp);
            assertEquals("api16-normal-c-useast1a.tiktokv.com", r.name);
            assertEquals("10.20.1.15", r.clientIp);
            assertEquals(50322, r.clientPort);
            assertEquals("23.54.153.66", r.serverIp);
            assertEquals(443, r.serverPort);
            assertNull(r.transport, "ssl.log does not say TCP or QUIC");
            assertNull(r.queryType);
            assertNull(r.answers);
            assertNull(r.alpn);
        }

        @Test
        void sslLogWithoutServerNameIsIgnored() throws Exception {
            ignored("{\"ts\":1795510815.1,\"uid\":\"CmES5u32sYpV7JYN\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":50400,"
                    + "\"id.resp_h\":\"52.97.146.162\",\"id.resp_p\":443,\"version\":\"TLSv12\","
                    + "\"cipher\":\"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\",\"resumed\":true,\"established\":true,"
                    + "\"ssl_history\":\"CsxknGIi\"}", Dialect.ZEEK_SSL);
        }

        @Test
        void quicLogToldFromSslLogByItsFields() throws Exception {
            // Same layout as zeek/zeek testing/btest/Baseline/scripts.base.protocols.quic.chromium/quic.log
            FlowRecord r = single("{\"ts\":1795510820.441902,\"uid\":\"CtPZjS20MLrsMUOJi2\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.orig_p\":53727,\"id.resp_h\":\"23.54.153.80\",\"id.resp_p\":443,\"version\":\"1\","
                    + "\"client_initial_dcid\":\"95412c47018cdfe8\",\"server_scid\":\"d5412c47018cdfe8\","
                    + "\"server_name\":\"www.tiktok.com\",\"client_protocol\":\"h3\",\"history\":\"ISishIhHhh\"}", Dialect.ZEEK_QUIC);
            assertEquals(Kind.QUIC, r.kind);
            assertEquals("udp", r.transport);
            assertEquals("www.tiktok.com", r.name);
            assertEquals(List.of("h3"), r.alpn);
            assertEquals(53727, r.clientPort);
            assertEquals(1795510820442L, r.timestamp);
        }

        @Test
        void quicLogByPath() throws Exception {
            FlowRecord r = single("{\"_path\":\"quic\",\"ts\":1795510820.5,\"uid\":\"C1\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.orig_p\":1,\"id.resp_h\":\"23.54.153.80\",\"id.resp_p\":443,\"version\":\"1\","
                    + "\"server_name\":\"www.tiktok.com\"}", Dialect.ZEEK_QUIC);
            assertNull(r.alpn);
        }

        @Test
        void quicLogWithoutServerNameIsIgnored() throws Exception {
            ignored("{\"ts\":1795510820.5,\"uid\":\"CtPZjS20MLrsMUOJi3\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":53728,"
                    + "\"id.resp_h\":\"142.250.179.196\",\"id.resp_p\":443,\"version\":\"1\",\"client_initial_dcid\":\"aa01\","
                    + "\"history\":\"I\"}", Dialect.ZEEK_QUIC);
        }

        @ParameterizedTest
        @CsvSource({"www.tiktok.com,www.tiktok.com", "www.tiktok.com:8080,www.tiktok.com",
                "[2001:db8::1]:80,2001:db8::1", "2001:db8::1,2001:db8::1", "10.0.0.1:80,10.0.0.1", "a:b,a:b"})
        void httpHostLosesItsPort(String host, String name) throws Exception {
            FlowRecord r = single("{\"ts\":1795510830.010101,\"uid\":\"CUM0KZ3MLUfNB0cl11\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.orig_p\":50911,\"id.resp_h\":\"23.54.153.90\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\","
                    + "\"host\":\"" + host + "\",\"uri\":\"/\",\"version\":\"1.1\",\"user_agent\":\"Mozilla/5.0\","
                    + "\"request_body_len\":0,\"response_body_len\":0,\"status_code\":301,\"status_msg\":\"Moved Permanently\","
                    + "\"tags\":[]}", Dialect.ZEEK_HTTP);
            assertEquals(name, r.name);
            assertEquals(Kind.HTTP, r.kind);
            assertEquals("tcp", r.transport);
            assertEquals(80, r.serverPort);
            assertEquals("Mozilla/5.0", r.userAgent);
        }

        @Test
        void httpLogWithoutHostIsIgnored() throws Exception {
            ignored("{\"ts\":1795510830.2,\"uid\":\"CUM0KZ3MLUfNB0cl12\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":50912,"
                    + "\"id.resp_h\":\"23.54.153.90\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\",\"uri\":\"/\","
                    + "\"version\":\"1.0\"}", Dialect.ZEEK_HTTP);
        }

        @Test
        void nestedIdObject() throws Exception {
            FlowRecord r = single("{\"_path\":\"ssl\",\"ts\":1795510814.0,\"uid\":\"C2\",\"id\":{\"orig_h\":\"10.20.1.15\","
                    + "\"orig_p\":50322,\"resp_h\":\"23.54.153.66\",\"resp_p\":443},\"server_name\":\"www.tiktok.com\"}",
                    Dialect.ZEEK_SSL);
            assertEquals("10.20.1.15", r.clientIp);
            assertEquals(50322, r.clientPort);
            assertEquals("23.54.153.66", r.serverIp);
            assertEquals(443, r.serverPort);
        }

        @Test
        void connLogsAreIgnored() throws Exception {
            ignored("{\"ts\":1795510812.183221,\"uid\":\"CuQ3Xe2s4bLqXoCvqk\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":59812,"
                    + "\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"service\":\"dns\",\"duration\":0.021634,"
                    + "\"orig_bytes\":53,\"resp_bytes\":181,\"conn_state\":\"SF\",\"local_orig\":true,\"local_resp\":true,"
                    + "\"missed_bytes\":0,\"history\":\"Dd\",\"orig_pkts\":1,\"orig_ip_bytes\":81,\"resp_pkts\":1,"
                    + "\"resp_ip_bytes\":209}", Dialect.OTHER, "zeek/conn");
            ignored("{\"_path\":\"conn\",\"ts\":1795510812.1,\"uid\":\"C3\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":1,"
                    + "\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"query\":\"looks-like-dns.example\"}", Dialect.OTHER,
                    "zeek/conn");
        }

        @Test
        void malformedZeekRecords() {
            assertEquals("Zeek dns.log record without \"query\"", malformed(
                    "{\"_path\":\"dns\",\"ts\":1795510812.2,\"uid\":\"C4\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":1,"
                            + "\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"qtype_name\":\"A\"}"));
            assertEquals("Zeek dns.log record without \"ts\"", malformed(
                    "{\"uid\":\"C4\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":1,\"id.resp_h\":\"10.20.0.53\","
                            + "\"id.resp_p\":53,\"query\":\"www.tiktok.com\"}"));
            assertEquals("Zeek dns.log record: \"query\" is a number, expected a string", malformed(
                    "{\"ts\":1795510812.2,\"uid\":\"C4\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":1,"
                            + "\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"query\":42}"));
            assertEquals("Zeek ssl.log record without \"id.orig_h\"", malformed(
                    "{\"ts\":1795510814.0,\"uid\":\"C5\",\"id.resp_h\":\"23.54.153.66\",\"id.resp_p\":443,"
                            + "\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek ssl.log record: \"id.orig_h\" is not an IP address: \"laptop-0042\"", malformed(
                    "{\"ts\":1795510814.0,\"uid\":\"C5\",\"id.orig_h\":\"laptop-0042\",\"id.resp_h\":\"23.54.153.66\","
                            + "\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek ssl.log record: \"id.resp_p\" is not a port number: \"443/tcp\"", malformed(
                    "{\"ts\":1795510814.0,\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\","
                            + "\"id.resp_p\":\"443/tcp\",\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek ssl.log record: \"id.orig_p\" is not a port number: 70000", malformed(
                    "{\"ts\":1795510814.0,\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":70000,"
                            + "\"id.resp_h\":\"23.54.153.66\",\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("timestamp \"yesterday\" is not ISO-8601 with an offset, e.g. 2026-11-25T09:14:03.120Z", malformed(
                    "{\"ts\":\"yesterday\",\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\","
                            + "\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek quic.log record: \"ts\" is a boolean, expected epoch seconds or an ISO-8601 string", malformed(
                    "{\"ts\":true,\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\","
                            + "\"client_initial_dcid\":\"01\",\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek quic.log record: \"ts\" -1.5 is out of range (1970 to 9999)", malformed(
                    "{\"ts\":-1.5,\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\","
                            + "\"client_initial_dcid\":\"01\",\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("Zeek dns.log record: \"answers\" is a string, expected an array", malformed(
                    "{\"ts\":1795510812.2,\"uid\":\"C4\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"10.20.0.53\","
                            + "\"query\":\"www.tiktok.com\",\"answers\":\"23.54.153.66\"}"));
            assertEquals("Zeek http.log record: \"host\" is an array, expected a string", malformed(
                    "{\"ts\":1795510812.2,\"uid\":\"C4\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"10.20.0.53\","
                            + "\"method\":\"GET\",\"host\":[\"www.tiktok.com\"]}"));
        }
    }

    @Nested
    class Suricata {
        /** The evidence handles: Suricata's flow_id, and the Community ID with community-id: true in suricata.yaml. */
        @Test
        void keepsTheFlowIdAndTheCommunityIdSuricataLogged() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T10:12:03.518274+0100\",\"flow_id\":1480232216329034,"
                    + "\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\",\"src_port\":41872,\"dest_ip\":\"2.16.241.9\","
                    + "\"dest_port\":443,\"proto\":\"TCP\",\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\","
                    + "\"tls\":{\"sni\":\"www.tiktok.com\"}}", Dialect.SURICATA_TLS);
            assertEquals(1480232216329034L, r.flowId);
            assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", r.communityId);
        }

        @Test
        void dnsV2Query() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T10:12:03.518274+0100\",\"flow_id\":1480232216329034,"
                    + "\"in_iface\":\"ens1f1\",\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\",\"src_port\":41872,"
                    + "\"dest_ip\":\"10.20.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"pkt_src\":\"wire/pcap\","
                    + "\"host\":\"tap-hq-2\",\"dns\":{\"type\":\"query\",\"id\":23114,"
                    + "\"rrname\":\"api22-normal-c-alisg.tiktokv.com\",\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0}}",
                    Dialect.SURICATA_DNS);
            assertEquals(iso("2026-11-24T09:12:03.518Z"), r.timestamp);
            assertEquals("tap-hq-2", r.sensor);
            assertEquals(Kind.DNS, r.kind);
            assertEquals("udp", r.transport);
            assertEquals("10.20.2.33", r.clientIp);
            assertEquals(41872, r.clientPort);
            assertEquals("10.20.0.53", r.serverIp);
            assertEquals(53, r.serverPort);
            assertEquals("api22-normal-c-alisg.tiktokv.com", r.name);
            assertEquals("A", r.queryType);
            assertNull(r.answers);
        }

        @Test
        void dnsV2AnswerDetailedSuricata7Direction() throws Exception {
            // Suricata 7 logs a response in flow direction: src_ip is the client, dest_port 53.
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:12:03.541002+0000\",\"flow_id\":1480232216329034,"
                    + "\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\",\"src_port\":41872,\"dest_ip\":\"10.20.0.53\","
                    + "\"dest_port\":53,\"proto\":\"UDP\",\"host\":\"tap-hq-2\",\"dns\":{\"version\":2,\"type\":\"answer\","
                    + "\"id\":23114,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,"
                    + "\"rrname\":\"api22-normal-c-alisg.tiktokv.com\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\","
                    + "\"answers\":[{\"rrname\":\"api22-normal-c-alisg.tiktokv.com\",\"rrtype\":\"CNAME\",\"ttl\":296,"
                    + "\"rdata\":\"api22-normal-c-alisg.tiktokv.com.edgesuite.net\"},{\"rrname\":\"a1834.dscr.akamai.net\","
                    + "\"rrtype\":\"A\",\"ttl\":20,\"rdata\":\"23.219.172.16\"},{\"rrname\":\"tiktokv.com\",\"rrtype\":\"SOA\","
                    + "\"ttl\":60,\"soa\":{\"mname\":\"ns1.tiktokv.com\"}}]}}", Dialect.SURICATA_DNS);
            assertEquals("10.20.2.33", r.clientIp);
            assertEquals(41872, r.clientPort);
            assertEquals("10.20.0.53", r.serverIp);
            assertEquals(53, r.serverPort);
            assertEquals(List.of(new DnsAnswer("CNAME", "api22-normal-c-alisg.tiktokv.com.edgesuite.net", 296),
                    new DnsAnswer("A", "23.219.172.16", 20)), r.answers);
        }

        @Test
        void dnsV2AnswerGroupedResponderInSrc() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:05:00.100000+0000\",\"event_type\":\"dns\","
                    + "\"src_ip\":\"10.20.0.53\",\"src_port\":53,\"dest_ip\":\"10.20.2.50\",\"dest_port\":50001,"
                    + "\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":1,\"rrname\":\"www.google.com\","
                    + "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"grouped\":{\"A\":[\"142.250.179.196\"]}}}", Dialect.SURICATA_DNS);
            assertEquals("10.20.2.50", r.clientIp);
            assertEquals(50001, r.clientPort);
            assertEquals("10.20.0.53", r.serverIp);
            assertEquals(53, r.serverPort);
            assertEquals(List.of(new DnsAnswer("A", "142.250.179.196", -1)), r.answers);
            assertNull(r.sensor);
        }

        @Test
        void dnsV3RequestWithTwoQueriesGivesTwoRecords() throws Exception {
            LogLineDecoder.Result res = decoder.decode("{\"timestamp\":\"2026-11-24T09:12:05.004411+0000\","
                    + "\"flow_id\":11,\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\",\"src_port\":37004,"
                    + "\"dest_ip\":\"10.20.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"host\":\"tap-hq-2\","
                    + "\"dns\":{\"version\":3,\"type\":\"request\",\"tx_id\":0,\"id\":5,\"flags\":\"100\",\"rd\":true,"
                    + "\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"api16-core-c-alisg.tiktokv.com\","
                    + "\"rrtype\":\"A\"},{\"rrname\":\"api16-core-c-alisg.tiktokv.com\",\"rrtype\":\"AAAA\"}]}}");
            assertEquals(Dialect.SURICATA_DNS, res.dialect());
            assertEquals(2, res.records().size());
            for (FlowRecord r : res.records()) {
                assertEquals("10.20.2.33", r.clientIp);
                assertEquals(37004, r.clientPort);
                assertEquals("api16-core-c-alisg.tiktokv.com", r.name);
                assertEquals("tap-hq-2", r.sensor);
                assertNull(r.answers);
            }
            assertEquals("A", res.records().get(0).queryType);
            assertEquals("AAAA", res.records().get(1).queryType);
        }

        @Test
        void dnsV3ResponseResponderInSrc() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:12:05.030019+0000\",\"flow_id\":11,"
                    + "\"event_type\":\"dns\",\"src_ip\":\"10.20.0.53\",\"src_port\":53,\"dest_ip\":\"10.20.2.33\","
                    + "\"dest_port\":37004,\"proto\":\"UDP\",\"host\":\"tap-hq-2\",\"dns\":{\"version\":3,"
                    + "\"type\":\"response\",\"tx_id\":1,\"id\":5,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,"
                    + "\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"api16-core-c-alisg.tiktokv.com\","
                    + "\"rrtype\":\"A\"}],\"answers\":[{\"rrname\":\"api16-core-c-alisg.tiktokv.com\",\"rrtype\":\"CNAME\","
                    + "\"ttl\":300,\"rdata\":\"api16-core-c-alisg.tiktokv.com.akamaized.net\"},"
                    + "{\"rrname\":\"api16-core-c-alisg.tiktokv.com.akamaized.net\",\"rrtype\":\"A\",\"ttl\":20,"
                    + "\"rdata\":\"23.48.210.17\"}]}}", Dialect.SURICATA_DNS);
            assertEquals("10.20.2.33", r.clientIp);
            assertEquals(37004, r.clientPort);
            assertEquals("10.20.0.53", r.serverIp);
            assertEquals(53, r.serverPort);
            assertEquals(List.of(new DnsAnswer("CNAME", "api16-core-c-alisg.tiktokv.com.akamaized.net", 300),
                    new DnsAnswer("A", "23.48.210.17", 20)), r.answers);
        }

        @Test
        void dnsNxdomainResponseHasEmptyAnswers() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:12:05.1+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.20.0.53\","
                    + "\"src_port\":53,\"dest_ip\":\"10.20.2.33\",\"dest_port\":37010,\"proto\":\"UDP\",\"dns\":{\"version\":3,"
                    + "\"type\":\"response\",\"rcode\":\"NXDOMAIN\",\"queries\":[{\"rrname\":\"nx.tiktokv.com\",\"rrtype\":\"A\"}]}}",
                    Dialect.SURICATA_DNS);
            assertEquals(List.of(), r.answers);
        }

        @Test
        void tls() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:12:03.622914+0000\",\"flow_id\":2087516447316590,"
                    + "\"in_iface\":\"ens1f1\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\",\"src_port\":44718,"
                    + "\"dest_ip\":\"23.219.172.16\",\"dest_port\":443,\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\","
                    + "\"host\":\"tap-hq-2\",\"tls\":{\"sni\":\"api22-normal-c-alisg.tiktokv.com\",\"version\":\"TLS 1.3\","
                    + "\"ja3\":{\"hash\":\"e1d8b04eeb8ef3954ec4f49267a783ef\"},\"client_alpns\":[\"h2\",\"http/1.1\"]}}",
                    Dialect.SURICATA_TLS);
            assertEquals(Kind.TLS, r.kind);
            assertEquals("tcp", r.transport);
            assertEquals("api22-normal-c-alisg.tiktokv.com", r.name);
            assertEquals("10.20.2.33", r.clientIp);
            assertEquals(44718, r.clientPort);
            assertEquals("23.219.172.16", r.serverIp);
            assertEquals(443, r.serverPort);
            assertEquals(List.of("h2", "http/1.1"), r.alpn);
            assertEquals(iso("2026-11-24T09:12:03.622Z"), r.timestamp);
        }

        @Test
        void tlsWithoutSniIsIgnored() throws Exception {
            ignored("{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\","
                    + "\"src_port\":44720,\"dest_ip\":\"23.219.172.16\",\"dest_port\":443,\"proto\":\"TCP\","
                    + "\"tls\":{\"version\":\"TLS 1.3\"}}", Dialect.SURICATA_TLS);
        }

        @Test
        void quic() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:14:40.902113+0000\",\"flow_id\":9,\"event_type\":\"quic\","
                    + "\"src_ip\":\"10.20.2.33\",\"src_port\":51544,\"dest_ip\":\"23.48.210.17\",\"dest_port\":443,"
                    + "\"proto\":\"UDP\",\"host\":\"tap-hq-2\",\"quic\":{\"version\":\"1\",\"sni\":\"p16-sign-va.tiktokcdn.com\","
                    + "\"ua\":\"Cronet\"}}", Dialect.SURICATA_QUIC);
            assertEquals(Kind.QUIC, r.kind);
            assertEquals("udp", r.transport);
            assertEquals("p16-sign-va.tiktokcdn.com", r.name);
            assertEquals(51544, r.clientPort);
        }

        @Test
        void http() throws Exception {
            FlowRecord r = single("{\"timestamp\":\"2026-11-24T09:16:00.000001+0000\",\"event_type\":\"http\","
                    + "\"src_ip\":\"10.20.2.33\",\"src_port\":39012,\"dest_ip\":\"23.48.210.17\",\"dest_port\":8080,"
                    + "\"proto\":\"TCP\",\"tx_id\":0,\"http\":{\"hostname\":\"log22-normal-alisg.tiktokv.com\","
                    + "\"http_port\":8080,\"url\":\"/service/2/app_log/\",\"http_user_agent\":\"okhttp/3.12.13\","
                    + "\"http_method\":\"POST\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":12}}", Dialect.SURICATA_HTTP);
            assertEquals(Kind.HTTP, r.kind);
            assertEquals("log22-normal-alisg.tiktokv.com", r.name);
            assertEquals(8080, r.serverPort);
            assertEquals("okhttp/3.12.13", r.userAgent);
        }

        @ParameterizedTest
        @ValueSource(strings = {"flow", "alert", "stats", "anomaly", "fileinfo", "netflow", "drop"})
        void otherEventTypesAreIgnored(String type) throws Exception {
            ignored("{\"timestamp\":\"2026-11-24T09:00:00.000000+0000\",\"event_type\":\"" + type + "\","
                    + "\"src_ip\":\"10.20.2.33\",\"dest_ip\":\"10.20.0.53\"}", Dialect.OTHER, "suricata/" + type);
        }

        @Test
        void malformedSuricataRecords() {
            assertEquals("timestamp \"24/11/2026 09:12\" is not ISO-8601 with an offset, e.g. 2026-11-25T09:14:03.120Z", malformed(
                    "{\"timestamp\":\"24/11/2026 09:12\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"23.219.172.16\",\"tls\":{\"sni\":\"www.tiktok.com\"}}"));
            assertEquals("Suricata tls event without \"timestamp\"", malformed(
                    "{\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\",\"dest_ip\":\"23.219.172.16\","
                            + "\"tls\":{\"sni\":\"www.tiktok.com\"}}"));
            assertEquals("Suricata tls event without \"tls\" object", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"23.219.172.16\"}"));
            assertEquals("Suricata quic event: \"quic.sni\" is a number, expected a string", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"quic\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"23.219.172.16\",\"quic\":{\"sni\":7}}"));
            assertEquals("Suricata http event without \"dest_ip\"", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"http\",\"src_ip\":\"10.20.2.33\","
                            + "\"http\":{\"hostname\":\"www.tiktok.com\"}}"));
            assertEquals("Suricata dns event without \"dns.rrname\"", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"10.20.0.53\",\"dns\":{\"type\":\"query\",\"rrtype\":\"A\"}}"));
            assertEquals("Suricata dns event without \"dns.queries[].rrname\"", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"10.20.0.53\",\"dns\":{\"version\":3,\"type\":\"request\",\"queries\":[{\"rrtype\":\"A\"}]}}"));
            assertEquals("Suricata dns event with dns.type \"update\", expected query, request, answer or response", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.20.2.33\","
                            + "\"dest_ip\":\"10.20.0.53\",\"dns\":{\"type\":\"update\",\"rrname\":\"x.example\"}}"));
            assertEquals("Suricata \"event_type\" is a number, expected a string", malformed(
                    "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":5}"));
        }
    }

    @Nested
    class Own {
        @Test
        void ownFlowRecordWithMacAndDevice() throws Exception {
            FlowRecord r = single("{\"ts\":\"2026-11-24T09:31:02.114Z\",\"sensor\":\"nac-gw\",\"kind\":\"tls\","
                    + "\"transport\":\"tcp\",\"client_ip\":\"10.20.6.40\",\"client_port\":49822,\"server_ip\":\"23.48.210.40\","
                    + "\"server_port\":443,\"name\":\"mobile.capcut.com\",\"alpn\":[\"h2\",\"http/1.1\"],"
                    + "\"device_id\":\"TABLET-0007\",\"mac\":\"3c:22:fb:7a:10:05\","
                    + "\"tunnel\":[{\"type\":\"vxlan\",\"id\":100,\"outer_src\":\"192.0.2.1\",\"outer_dst\":\"192.0.2.2\"},"
                    + "{\"type\":\"mpls\",\"id\":16}]}", Dialect.OWN);
            assertEquals(iso("2026-11-24T09:31:02.114Z"), r.timestamp);
            assertEquals("nac-gw", r.sensor);
            assertEquals(Kind.TLS, r.kind);
            assertEquals("tcp", r.transport);
            assertEquals("10.20.6.40", r.clientIp);
            assertEquals(49822, r.clientPort);
            assertEquals("23.48.210.40", r.serverIp);
            assertEquals(443, r.serverPort);
            assertEquals("mobile.capcut.com", r.name);
            assertEquals(List.of("h2", "http/1.1"), r.alpn);
            assertEquals("TABLET-0007", r.deviceId);
            assertEquals("3c:22:fb:7a:10:05", r.mac);
            assertEquals(List.of(new TunnelLayer("vxlan", 100, "192.0.2.1", "192.0.2.2"), new TunnelLayer("mpls", 16, null, null)),
                    r.tunnel);
        }

        @Test
        void malformedOwnRecords() {
            assertEquals("flow record: missing field \"name\"", malformed(
                    "{\"ts\":\"2026-11-24T09:31:02.114Z\",\"kind\":\"dns\",\"client_ip\":\"10.20.6.40\"}"));
            assertEquals("flow record: missing field \"client_ip\"", malformed(
                    "{\"ts\":\"2026-11-24T09:31:02.114Z\",\"kind\":\"dns\",\"name\":\"www.tiktok.com\"}"));
            assertEquals("flow record: kind \"smtp\" is not one of dns, tls, quic, http", malformed(
                    "{\"ts\":\"2026-11-24T09:31:02.114Z\",\"kind\":\"smtp\",\"client_ip\":\"10.20.6.40\",\"name\":\"x\"}"));
            assertEquals("flow record: timestamp \"2026-11-24 09:31\" is not ISO-8601 with an offset, e.g. 2026-11-25T09:14:03.120Z",
                    malformed("{\"ts\":\"2026-11-24 09:31\",\"kind\":\"dns\",\"client_ip\":\"10.20.6.40\",\"name\":\"x\"}"));
        }
    }

    /** The log type label of each line: constants for the standard logs, the path or event type otherwise. */
    @Nested
    class Types {
        @Test
        void zeekLogsOfNamesByFieldsAndByPath() throws Exception {
            assertSame(LogTypes.ZEEK_DNS, decoder.decode(Zeek.DNS).type());
            assertSame(LogTypes.ZEEK_DNS, decoder.decode(Zeek.DNS.replace("{", "{\"_path\":\"dns\",")).type());
            assertSame(LogTypes.ZEEK_DNS, decoder.decodeUtf8(Zeek.DNS.getBytes(java.nio.charset.StandardCharsets.UTF_8)).type());
            String ssl = "{\"ts\":1795510814.0,\"uid\":\"C2\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\"";
            assertEquals("zeek/ssl", decoder.decode(ssl + ",\"server_name\":\"www.tiktok.com\"}").type());
            assertEquals("zeek/ssl", decoder.decode(ssl + ",\"ssl_history\":\"Cs\"}").type(), "no name: ignored, still ssl");
            assertEquals("zeek/quic", decoder.decode(ssl + ",\"client_scid\":\"01\",\"server_name\":\"www.tiktok.com\"}").type());
            assertEquals("zeek/http", decoder.decode(ssl + ",\"trans_depth\":1,\"host\":\"www.tiktok.com\"}").type());
        }

        @Test
        void aSitesOwnPathIsTheLabelAndTheFieldsStillDecode() throws Exception {
            LogLineDecoder.Result r = decoder.decode(Zeek.DNS.replace("{", "{\"_path\":\"DNS_Internal\","));
            assertEquals(Dialect.ZEEK_DNS, r.dialect());
            assertEquals("zeek/dns_internal", r.type());
            assertEquals(1, r.records().size());
            assertSame(r.type(), decoder.decode(Zeek.DNS.replace("{", "{\"_path\":\"DNS_Internal\",")).type(), "remembered");
            ignored("{\"_path\":\"site_assets\",\"ts\":1795510812.1,\"asset\":\"x\"}", Dialect.OTHER, "zeek/site_assets");
        }

        @Test
        void suricataEventTypesAndOwnRecords() throws Exception {
            String tls = "{\"timestamp\":\"2026-11-24T09:12:03.6+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\","
                    + "\"dest_ip\":\"23.219.172.16\",\"tls\":{";
            assertSame(LogTypes.SURICATA_TLS, decoder.decode(tls + "\"sni\":\"www.tiktok.com\"}}").type());
            assertSame(LogTypes.SURICATA_TLS, decoder.decode(tls + "\"version\":\"TLS 1.3\"}}").type());
            ignored("{\"timestamp\":\"2026-11-24T09:00:00.0+0000\",\"event_type\":\"future_proto\"}", Dialect.OTHER,
                    "suricata/future_proto");
            assertEquals("flow-record", decoder.decode("{\"ts\":\"2026-11-24T09:31:02.114Z\",\"kind\":\"dns\","
                    + "\"client_ip\":\"10.20.6.40\",\"name\":\"x.example\"}").type());
        }
    }

    /** Times before 1970 or after 9999 are malformed in every dialect, never a saturated or wrapped-around time. */
    @Nested
    class TimeRange {
        private static final String ZEEK_SSL = "{\"uid\":\"C5\",\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\","
                + "\"server_name\":\"www.tiktok.com\",\"ts\":";

        private String suricata(String timestamp) {
            return "{\"timestamp\":\"" + timestamp + "\",\"event_type\":\"tls\",\"src_ip\":\"10.20.2.33\","
                    + "\"dest_ip\":\"23.219.172.16\",\"tls\":{\"sni\":\"www.tiktok.com\"}}";
        }

        private String own(String ts) {
            return "{\"ts\":\"" + ts + "\",\"kind\":\"dns\",\"client_ip\":\"10.20.6.40\",\"name\":\"x.example\"}";
        }

        @Test
        void zeekEpochSecondsOutsideTheRange() {
            assertEquals("Zeek ssl.log record: \"ts\" 1.0E20 is out of range (1970 to 9999)", malformed(ZEEK_SSL + "1e20}"));
            assertEquals("Zeek ssl.log record: \"ts\" Infinity is out of range (1970 to 9999)", malformed(ZEEK_SSL + "1e400}"));
            assertEquals("Zeek ssl.log record: \"ts\" 253402300800 is out of range (1970 to 9999)",
                    malformed(ZEEK_SSL + "253402300800}"));
            assertEquals("Zeek ssl.log record: \"ts\" 100000000000000000000 is out of range (1970 to 9999)",
                    malformed(ZEEK_SSL + "100000000000000000000}"));
            assertEquals("Zeek ssl.log record: \"ts\" -0.001 is out of range (1970 to 9999)", malformed(ZEEK_SSL + "-0.001}"));
        }

        @Test
        void zeekEpochSecondsAtTheEdges() throws Exception {
            assertEquals(0L, single(ZEEK_SSL + "0}", Dialect.ZEEK_SSL).timestamp);
            assertEquals(Timestamps.MAX_MILLIS, single(ZEEK_SSL + "253402300799.999}", Dialect.ZEEK_SSL).timestamp);
            assertEquals(iso("9999-12-31T23:59:59.999Z"), Timestamps.MAX_MILLIS);
        }

        @Test
        void zeekIsoOutsideTheRange() throws Exception {
            assertEquals("Zeek ssl.log record: \"ts\" \"1969-12-31T23:59:59.999Z\" is out of range (1970 to 9999)",
                    malformed(ZEEK_SSL + "\"1969-12-31T23:59:59.999Z\"}"));
            assertEquals("Zeek ssl.log record: \"ts\" \"+10000-01-01T00:00:00Z\" is out of range (1970 to 9999)",
                    malformed(ZEEK_SSL + "\"+10000-01-01T00:00:00Z\"}"));
            assertEquals(Timestamps.MAX_MILLIS,
                    single(ZEEK_SSL + "\"9999-12-31T23:59:59.999Z\"}", Dialect.ZEEK_SSL).timestamp);
        }

        @Test
        void suricataTimestampOutsideTheRange() throws Exception {
            assertEquals("Suricata tls event: \"timestamp\" \"1969-12-31T23:59:59.999999+0000\" is out of range (1970 to 9999)",
                    malformed(suricata("1969-12-31T23:59:59.999999+0000")));
            assertEquals("Suricata tls event: \"timestamp\" \"9999-12-31T23:59:59.000000-0100\" is out of range (1970 to 9999)",
                    malformed(suricata("9999-12-31T23:59:59.000000-0100")));
            // The offset counts: 23:00 at -01:00 is midnight UTC, the first time in range.
            assertEquals(0L, single(suricata("1969-12-31T23:00:00.000000-0100"), Dialect.SURICATA_TLS).timestamp);
        }

        @Test
        void ownTsOutsideTheRange() throws Exception {
            assertEquals("flow record: \"ts\" \"0001-01-01T00:00:00Z\" is out of range (1970 to 9999)",
                    malformed(own("0001-01-01T00:00:00Z")));
            assertEquals(Timestamps.MAX_MILLIS, single(own("9999-12-31T23:59:59.999Z"), Dialect.OWN).timestamp);
        }
    }

    /** The streaming reader and the byte scanner: results must not depend on field order, skipped content or the path. */
    @Nested
    class Streaming {
        /** decode(String) and decodeUtf8(byte[]) (the scanner, or Jackson's byte parser) agree; the String path's outcome. */
        private String outcome(String line) {
            String s = describe(() -> decoder.decode(line));
            assertEquals(s, describe(() -> decoder.decodeUtf8(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))), line);
            return s;
        }

        private String describe(ByteLinesTestDecode d) {
            try {
                LogLineDecoder.Result r = d.run();
                return r.dialect() + " " + r.records();
            } catch (MalformedRecordException e) {
                return "malformed: " + e.getMessage();
            }
        }

        private static final String[] SURICATA_DNS = {"\"timestamp\":\"2026-11-24T09:12:05.030019+0000\"",
                "\"src_ip\":\"10.20.0.53\"", "\"src_port\":53", "\"dest_ip\":\"10.20.2.33\"", "\"dest_port\":37004",
                "\"proto\":\"UDP\"", "\"host\":\"tap-hq-2\"", "\"dns\":{\"answers\":[{\"rdata\":\"23.48.210.17\","
                + "\"rrtype\":\"A\",\"ttl\":20}],\"queries\":[{\"rrtype\":\"A\",\"rrname\":\"www.tiktok.com\"}],"
                + "\"type\":\"response\",\"version\":3}", "\"event_type\":\"dns\""};

        @Test
        void fieldOrderDoesNotMatterEvenWhenTheDialectFieldComesLast() {
            String expected = outcome("{" + String.join(",", SURICATA_DNS) + "}");
            assertTrue(expected.startsWith("SURICATA_DNS ["), expected);
            assertTrue(expected.contains("10.20.2.33") && expected.contains("www.tiktok.com"), expected);
            List<String> fields = new java.util.ArrayList<>(List.of(SURICATA_DNS));
            for (int i = 0; i < fields.size(); i++) {
                java.util.Collections.rotate(fields, 1);
                assertEquals(expected, outcome("{" + String.join(",", fields) + "}"));
                List<String> reversed = new java.util.ArrayList<>(fields);
                java.util.Collections.reverse(reversed);
                assertEquals(expected, outcome("{" + String.join(",", reversed) + "}"));
            }
        }

        @Test
        void neededFieldsAfterALargeSkippedNestedValue() {
            String big = "\"stats\":{\"a\":[1,2.5e3,-7,{\"b\":[true,false,null,\"x\\\"y\\u00e9\\/\"]}],"
                    + "\"server_name\":\"not.this.one\",\"c\":{\"d\":{\"e\":[[],{},[[\"deep\"]]]}},\"f\":\""
                    + "z".repeat(5000) + "\"}";
            String r = outcome("{\"ts\":1795510814.0," + big + ",\"_path\":\"ssl\",\"id.orig_h\":\"10.20.1.15\","
                    + "\"id.resp_h\":\"23.54.153.66\",\"server_name\":\"www.tiktok.com\",\"uid\":\"C1\"}");
            assertTrue(r.startsWith("ZEEK_SSL [") && r.contains("www.tiktok.com"), r);
            assertFalse(r.contains("not.this.one"), r);
        }

        @Test
        void escapesNumbersAndDuplicateKeysReadAsInATree() {
            String head = "{\"_path\":\"ssl\",\"ts\":1795510814.0,\"id.orig_h\":\"10.20.1.15\",\"id.resp_h\":\"23.54.153.66\",";
            // An escape in a kept string (the scanner leaves the line to Jackson) and in a skipped one.
            assertTrue(outcome(head + "\"server_name\":\"www.tik\\u0074ok.com\",\"subject\":\"CN=a\\/b\"}")
                    .contains("www.tiktok.com"));
            // The last of duplicate keys wins.
            String dup = outcome(head + "\"server_name\":\"first.example\",\"server_name\":\"www.tiktok.com\"}");
            assertTrue(dup.contains("www.tiktok.com") && !dup.contains("first.example"), dup);
            // Integers beyond a long and doubles as ports: the tree's node types, the tree's messages.
            assertEquals("malformed: Zeek ssl.log record: \"id.orig_p\" is not a port number: 12345678901234567890",
                    outcome(head + "\"id.orig_p\":12345678901234567890,\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("malformed: Zeek ssl.log record: \"id.orig_p\" is not a port number: 443.0",
                    outcome(head + "\"id.orig_p\":443.0,\"server_name\":\"www.tiktok.com\"}"));
            assertEquals("malformed: Zeek ssl.log record: \"id.orig_p\" is not a port number: 4294967296",
                    outcome(head + "\"id.orig_p\":4294967296,\"server_name\":\"www.tiktok.com\"}"));
            assertTrue(outcome(head + "\"id.orig_p\":-0,\"server_name\":\"www.tiktok.com\"}").startsWith("ZEEK_SSL ["));
        }

        @Test
        void malformedSkippedValuesGetTheTreesMessages() {
            assertEquals("malformed: not JSON: Unexpected character ('}' (code 125)): expected a valid value (JSON String, "
                    + "Number, Array, Object or token 'null', 'true' or 'false') at column 26",
                    outcome("{\"uid\":\"C1\",\"stats\":{\"a\":}}"));
            assertTrue(outcome("{\"uid\":\"C1\",\"rtt\":01}").startsWith("malformed: not JSON: Invalid numeric value: Leading zeroes"));
            assertTrue(outcome("{\"uid\":\"C1\",\"AA\":tru}").startsWith("malformed: not JSON: Unrecognized token 'tru'"));
            assertTrue(outcome("{\"uid\":\"C1\",\"note\":\"a\\qb\"}").startsWith("malformed: not JSON: Unrecognized character escape 'q'"));
            assertTrue(outcome("{\"uid\":\"C1\",\"rtt\":1.}").startsWith("malformed: not JSON: Unexpected character ('}'"));
        }
    }

    private interface ByteLinesTestDecode {
        LogLineDecoder.Result run() throws MalformedRecordException;
    }

    @Nested
    class NotRecords {
        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\r", "\uFEFF", "#separator \\x09", "#fields\tts\tuid\tid.orig_h", "  # comment"})
        void blankAndHeaderLinesAreNone(String line) throws Exception {
            ignored(line, Dialect.NONE, null);
        }

        @Test
        void nullLineIsNone() throws Exception {
            assertEquals(Dialect.NONE, decoder.decode(null).dialect());
        }

        @Test
        void notJson() {
            assertEquals("not JSON: Unrecognized token 'hello': was expecting (JSON String, Number, Array, Object or token "
                    + "'null', 'true' or 'false') at column 6", malformed("hello world"));
            assertTrue(malformed("{\"ts\": 1795510812.2, 'uid': 'C1'}").startsWith("not JSON: Unexpected character ('''"));
            assertTrue(malformed("1795510812.204617\tCuQ3Xe2s4bLqXoCvqk\t10.20.1.15\t59812")
                    .endsWith("(a Zeek TSV row without the #separator/#fields header it needs? a TSV log is read from its header)"));
        }

        @Test
        void trailingGarbageIsNotJson() {
            String reason = malformed("{\"ts\":\"2026-11-24T09:31:02.114Z\",\"kind\":\"dns\",\"client_ip\":\"10.20.6.40\","
                    + "\"name\":\"x\"} {\"ts\":1}");
            assertTrue(reason.startsWith("not JSON: Trailing token"), reason);
        }

        @Test
        void truncatedJson() {
            String reason = malformed("{\"ts\":1795510812.204617,\"uid\":\"CuQ3Xe2s4bLqXoCvqk\",\"id.orig_h\":\"10.2");
            assertTrue(reason.startsWith("truncated JSON: Unexpected end-of-input"), reason);
            assertTrue(reason.contains(" at column "), reason);
        }

        @Test
        void arrayAndScalars() {
            assertEquals("not a JSON object: got an array", malformed("[{\"ts\":1795510812.2,\"uid\":\"C1\"}]"));
            assertEquals("not a JSON object: got a string", malformed("\"www.tiktok.com\""));
            assertEquals("not a JSON object: got a number", malformed("42"));
            assertEquals("not a JSON object: got null", malformed("null"));
        }

        @Test
        void unrecognisedObjects() {
            assertEquals("unrecognised record (neither Zeek, Suricata EVE nor a flow record): {}", malformed("{}"));
            assertEquals("unrecognised record (neither Zeek, Suricata EVE nor a flow record): "
                    + "{\"query\":\"www.tiktok.com\",\"src\":\"10.20.1.15\"}", malformed("{\"query\":\"www.tiktok.com\",\"src\":\"10.20.1.15\"}"));
        }
    }
}
