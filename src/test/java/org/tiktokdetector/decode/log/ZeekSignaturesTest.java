package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zeek JSON lines without {@code _path}, one per standard log, as Zeek 6 to 8 write them (unset fields left out): each
 * is told by its fields, yields no records and carries its log's label; objects that only look a little like Zeek
 * stay unrecognised.
 */
class ZeekSignaturesTest {
    private final LogLineDecoder decoder = new LogLineDecoder();

    private static final String CONN_ID = "\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":50911,"
            + "\"id.resp_h\":\"23.54.153.90\",\"id.resp_p\":80";

    static Stream<Arguments> oneLinePerLog() {
        return Stream.of(
                Arguments.of("zeek/conn", "{\"ts\":1795510812.183221," + CONN_ID + ",\"proto\":\"tcp\",\"service\":\"http\","
                        + "\"duration\":0.021634,\"orig_bytes\":53,\"resp_bytes\":181,\"conn_state\":\"SF\",\"local_orig\":true,"
                        + "\"local_resp\":false,\"missed_bytes\":0,\"history\":\"ShADadFf\",\"orig_pkts\":6,"
                        + "\"orig_ip_bytes\":373,\"resp_pkts\":4,\"resp_ip_bytes\":389,\"ip_proto\":6}"),
                Arguments.of("zeek/files", "{\"ts\":1795510830.5,\"fuid\":\"FKi7Pk47Xmw8dswjRh\"," + CONN_ID + ","
                        + "\"source\":\"HTTP\",\"depth\":0,\"analyzers\":[],\"mime_type\":\"text/html\",\"duration\":0.0,"
                        + "\"is_orig\":false,\"seen_bytes\":1270,\"total_bytes\":1270,\"missing_bytes\":0,"
                        + "\"overflow_bytes\":0,\"timedout\":false}"),
                // Zeek 4's files.log: no uid, but tx_hosts/rx_hosts/conn_uids.
                Arguments.of("zeek/files", "{\"ts\":1795510830.5,\"fuid\":\"FKi7Pk47Xmw8dswjRh\",\"tx_hosts\":[\"23.54.153.90\"],"
                        + "\"rx_hosts\":[\"10.20.1.15\"],\"conn_uids\":[\"CHhAvVGS1DHFjwGM9\"],\"source\":\"HTTP\",\"depth\":0,"
                        + "\"analyzers\":[\"MD5\"],\"duration\":0.0,\"seen_bytes\":1270,\"missing_bytes\":0,"
                        + "\"overflow_bytes\":0,\"timedout\":false}"),
                Arguments.of("zeek/x509", "{\"ts\":1795510814.02,\"fingerprint\":\"5d3015916579d36adff0d813c94ab4354cd9ed3d"
                        + "23646b40e4d137b79c77c860\",\"certificate.version\":3,\"certificate.serial\":\"01\","
                        + "\"certificate.subject\":\"CN=host/alpha,OU=simpleCA-alpha,OU=GlobusTest,O=Grid\","
                        + "\"certificate.issuer\":\"CN=Globus Simple CA,OU=simpleCA-alpha,OU=GlobusTest,O=Grid\","
                        + "\"certificate.not_valid_before\":1348161979.0,\"certificate.not_valid_after\":1379697979.0,"
                        + "\"certificate.key_alg\":\"rsaEncryption\",\"certificate.sig_alg\":\"sha1WithRSAEncryption\","
                        + "\"certificate.key_type\":\"rsa\",\"certificate.key_length\":1024,\"certificate.exponent\":\"65537\","
                        + "\"san.dns\":[\"www.example.gov\"],\"host_cert\":true,\"client_cert\":false}"),
                // Zeek 5's x509.log: the file id in "id" (a string, not a conn_id object).
                Arguments.of("zeek/x509", "{\"ts\":1795510814.02,\"id\":\"FdBWBA3eODh6nHFt82\",\"certificate.version\":3,"
                        + "\"certificate.serial\":\"0A\",\"certificate.subject\":\"CN=www.example.gov\","
                        + "\"certificate.issuer\":\"CN=Example CA\",\"certificate.not_valid_before\":1775000000.0,"
                        + "\"certificate.not_valid_after\":1806536000.0,\"certificate.key_alg\":\"id-ecPublicKey\","
                        + "\"certificate.sig_alg\":\"ecdsa-with-SHA256\",\"certificate.key_type\":\"ecdsa\","
                        + "\"certificate.key_length\":256,\"certificate.curve\":\"prime256v1\"}"),
                Arguments.of("zeek/ocsp", "{\"ts\":1795510815.1,\"id\":\"FsmWZd3HbRDDuv5IEa\",\"hashAlgorithm\":\"sha1\","
                        + "\"issuerNameHash\":\"F2E06AF9858A1D8D709B4919237AA9B51A287E64\","
                        + "\"issuerKeyHash\":\"4ADD06161BBCF668B576F581B6BB621ABA5A812F\","
                        + "\"serialNumber\":\"0443C0A7E0AC4F5E9F7C2A1BD5A5E1C7\",\"certStatus\":\"good\","
                        + "\"thisUpdate\":1795500000.0,\"nextUpdate\":1796104800.0}"),
                Arguments.of("zeek/pe", "{\"ts\":1795510831.2,\"id\":\"FMqkbZ3rTmVZwjxgEc\",\"machine\":\"AMD64\","
                        + "\"compile_ts\":1700000000.0,\"os\":\"Windows XP x64 or Server 2003\",\"subsystem\":\"WINDOWS_GUI\","
                        + "\"is_exe\":true,\"is_64bit\":true,\"uses_aslr\":true,\"uses_dep\":true,\"uses_code_integrity\":false,"
                        + "\"uses_seh\":true,\"has_import_table\":true,\"has_export_table\":false,\"has_cert_table\":true,"
                        + "\"has_debug_data\":true,\"section_names\":[\".text\",\".rdata\",\".data\",\".rsrc\"]}"),
                Arguments.of("zeek/signatures", "{\"ts\":1795510832.0,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"src_addr\":\"10.20.1.15\","
                        + "\"src_port\":50911,\"dst_addr\":\"23.54.153.90\",\"dst_port\":80,"
                        + "\"note\":\"Signatures::Sensitive_Signature\",\"sig_id\":\"site-sig-1\","
                        + "\"event_msg\":\"10.20.1.15: found it\",\"sub_msg\":\"GET / HTTP/1.1\"}"),
                // As in core.pcap.filter-warning/notice.log: no connection.
                Arguments.of("zeek/notice", "{\"ts\":1795510800.0,\"note\":\"PacketFilter::Install_Failure\","
                        + "\"msg\":\"Installing packet filter failed\",\"sub\":\"ip or not ip\","
                        + "\"actions\":[\"Notice::ACTION_LOG\"],\"email_dest\":[],\"suppress_for\":3600.0}"),
                Arguments.of("zeek/notice", "{\"ts\":1795510814.1," + CONN_ID + ",\"proto\":\"tcp\","
                        + "\"note\":\"SSL::Invalid_Server_Cert\",\"msg\":\"SSL certificate validation failed\","
                        + "\"sub\":\"CN=www.example.gov\",\"src\":\"10.20.1.15\",\"dst\":\"23.54.153.90\",\"p\":80,"
                        + "\"peer_descr\":\"worker-1-1\",\"actions\":[\"Notice::ACTION_LOG\"],\"email_dest\":[],"
                        + "\"suppress_for\":3600.0}"),
                Arguments.of("zeek/weird", "{\"ts\":1795510833.0," + CONN_ID + ",\"name\":\"line_terminated_with_single_CR\","
                        + "\"notice\":false,\"peer\":\"zeek\",\"source\":\"CONTENTLINE\"}"),
                Arguments.of("zeek/weird", "{\"ts\":1795510833.0,\"name\":\"dns_unmatched_msg\",\"addl\":\"7\","
                        + "\"notice\":false,\"peer\":\"zeek\",\"source\":\"DNS\"}"),
                Arguments.of("zeek/intel", "{\"ts\":1795510834.0," + CONN_ID + ",\"seen.indicator\":\"bad.example\","
                        + "\"seen.indicator_type\":\"Intel::DOMAIN\",\"seen.where\":\"HTTP::IN_HOST_HEADER\","
                        + "\"seen.node\":\"zeek\",\"matched\":[\"Intel::DOMAIN\"],\"sources\":[\"site-feed\"]}"),
                Arguments.of("zeek/tunnel", "{\"ts\":1795510835.0,\"uid\":\"CmES5u32sYpV7JYN\",\"id.orig_h\":\"10.20.1.15\","
                        + "\"id.orig_p\":0,\"id.resp_h\":\"198.51.100.1\",\"id.resp_p\":0,\"tunnel_type\":\"Tunnel::IP\","
                        + "\"action\":\"Tunnel::DISCOVER\"}"),
                Arguments.of("zeek/dpd", "{\"ts\":1795510836.0," + CONN_ID + ",\"proto\":\"tcp\",\"analyzer\":\"HTTP\","
                        + "\"failure_reason\":\"not a http request line\"}"),
                Arguments.of("zeek/analyzer", "{\"ts\":1795510836.0,\"cause\":\"violation\",\"analyzer_kind\":\"protocol\","
                        + "\"analyzer_name\":\"SSL\"," + CONN_ID + ",\"failure_reason\":\"Invalid version late in TLS connection\"}"),
                Arguments.of("zeek/analyzer_failed", "{\"ts\":1795510836.0,\"analyzer_kind\":\"protocol\","
                        + "\"analyzer_name\":\"HTTP\"," + CONN_ID + ",\"failure_reason\":\"not a http reply line\"}"),
                // dhcp.log is no longer ignored: its lines are address bindings (BindingDecodersTest).
                Arguments.of("zeek/ntp", "{\"ts\":1795510837.0,\"uid\":\"C1\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":123,"
                        + "\"id.resp_h\":\"10.20.0.1\",\"id.resp_p\":123,\"version\":4,\"mode\":3,\"stratum\":0,\"poll\":1.0,"
                        + "\"precision\":1.0,\"root_delay\":0.0,\"root_disp\":0.0,\"ref_id\":\"INIT\",\"ref_time\":0.0,"
                        + "\"org_time\":0.0,\"rec_time\":0.0,\"xmt_time\":1795510837.0,\"num_exts\":0}"),
                Arguments.of("zeek/ssh", "{\"ts\":1795510838.0,\"uid\":\"C2\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":50022,"
                        + "\"id.resp_h\":\"10.20.0.22\",\"id.resp_p\":22,\"version\":2,\"auth_success\":true,\"auth_attempts\":1,"
                        + "\"direction\":\"OUTBOUND\",\"client\":\"SSH-2.0-OpenSSH_9.6\",\"server\":\"SSH-2.0-OpenSSH_8.9p1\","
                        + "\"cipher_alg\":\"chacha20-poly1305@openssh.com\",\"mac_alg\":\"umac-64-etm@openssh.com\","
                        + "\"compression_alg\":\"none\",\"kex_alg\":\"curve25519-sha256\",\"host_key_alg\":\"ssh-ed25519\","
                        + "\"host_key\":\"e4:b1:8e:ca:6e:0e:e5:3c:7e:a4:0e:70:34:9d:3f:bc\"}"),
                // smtp.log has http.log's trans_depth: it must not be taken for http.
                Arguments.of("zeek/smtp", "{\"ts\":1795510839.0,\"uid\":\"C3\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":50000,"
                        + "\"id.resp_h\":\"10.20.0.25\",\"id.resp_p\":25,\"trans_depth\":1,\"helo\":\"laptop-0042\","
                        + "\"mailfrom\":\"a@example.gov\",\"rcptto\":[\"b@example.gov\"],\"from\":\"A <a@example.gov>\","
                        + "\"to\":[\"B <b@example.gov>\"],\"subject\":\"Hello\",\"last_reply\":\"250 2.0.0 Ok: queued\","
                        + "\"path\":[\"10.20.0.25\",\"10.20.1.15\"],\"user_agent\":\"Thunderbird\",\"tls\":false,"
                        + "\"fuids\":[\"FKi7Pk47Xmw8dswjRh\"]}"),
                Arguments.of("zeek/stats", "{\"ts\":1795510840.0,\"peer\":\"zeek\",\"mem\":350,\"pkts_proc\":123456,"
                        + "\"bytes_recv\":98765432,\"pkts_dropped\":0,\"pkts_link\":123456,\"pkt_lag\":0.001,"
                        + "\"events_proc\":50000,\"events_queued\":50010,\"active_tcp_conns\":120,\"active_udp_conns\":40,"
                        + "\"active_icmp_conns\":2,\"tcp_conns\":500,\"udp_conns\":300,\"icmp_conns\":10,\"timers\":4000,"
                        + "\"active_timers\":300,\"files\":20,\"active_files\":1,\"dns_requests\":800,"
                        + "\"active_dns_requests\":3,\"reassem_tcp_size\":0,\"reassem_file_size\":0,"
                        + "\"reassem_frag_size\":0,\"reassem_unknown_size\":0}"),
                Arguments.of("zeek/capture_loss", "{\"ts\":1795510841.0,\"ts_delta\":900.0,\"peer\":\"zeek\",\"gaps\":0,"
                        + "\"acks\":12345,\"percent_lost\":0.0}"),
                Arguments.of("zeek/packet_filter", "{\"ts\":1795510842.0,\"node\":\"zeek\",\"filter\":\"ip or not ip\","
                        + "\"init\":true,\"success\":true}"),
                Arguments.of("zeek/software", "{\"ts\":1795510843.0,\"host\":\"10.20.1.15\",\"software_type\":\"HTTP::BROWSER\","
                        + "\"name\":\"Firefox\",\"version.major\":120,\"version.minor\":0,\"unparsed_version\":\"Mozilla/5.0 "
                        + "(Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0\"}"),
                Arguments.of("zeek/known_services", "{\"ts\":1795510844.0,\"host\":\"10.20.0.53\",\"port_num\":53,"
                        + "\"port_proto\":\"udp\",\"service\":[\"DNS\"]}"),
                Arguments.of("zeek/known_certs", "{\"ts\":1795510845.0,\"host\":\"23.54.153.66\",\"port_num\":443,"
                        + "\"subject\":\"CN=www.example.gov\",\"issuer_subject\":\"CN=Example CA\",\"serial\":\"0A1B2C\"}"),
                Arguments.of("zeek/known_hosts", "{\"ts\":1795510846.0,\"host\":\"10.20.1.15\"}"),
                Arguments.of("zeek/known_hosts", "{\"ts\":\"2026-11-24T09:00:12.204617Z\",\"host\":\"2001:db8:20:1::15\"}"),
                Arguments.of("zeek/reporter", "{\"ts\":1795510847.0,\"level\":\"Reporter::WARNING\","
                        + "\"message\":\"SumStats key request for the DNS sumstat took longer than 1 minute\","
                        + "\"location\":\"/usr/local/zeek/share/zeek/base/frameworks/sumstats/cluster.zeek, line 187\"}"),
                Arguments.of("zeek/loaded_scripts", "{\"name\":\"/usr/local/zeek/share/zeek/base/init-bare.zeek\"}"),
                Arguments.of("zeek/loaded_scripts", "{\"name\":\"  /opt/zeek/share/zeek/base/bif/const.bif.zeek\"}"));
    }

    @ParameterizedTest
    @MethodSource("oneLinePerLog")
    void eachStandardLogIsToldByItsFields(String type, String line) throws Exception {
        for (LogLineDecoder.Result r : new LogLineDecoder.Result[] {decoder.decode(line),
                decoder.decodeUtf8(line.getBytes(StandardCharsets.UTF_8))}) {
            assertEquals(Dialect.OTHER, r.dialect(), line);
            assertEquals(type, r.type(), line);
            assertTrue(r.ignored());
        }
    }

    @Test
    void theLabelOfAStandardLogIsOneConstant() throws Exception {
        String a = decoder.decode("{\"ts\":1795510846.0,\"host\":\"10.20.1.15\"}").type();
        String b = decoder.decode("{\"ts\":1795510847.0,\"host\":\"10.20.1.16\"}").type();
        assertSame(a, b);
        assertSame(a, decoder.decode("{\"_path\":\"known_hosts\",\"ts\":1795510847.0,\"host\":\"10.20.1.16\"}").type());
    }

    /** Too little, or too generic, to be a Zeek record: an app's log line, a typo, a single common field. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"foo\":1}", "{\"name\":\"x\"}", "{\"name\":\"notes.zeek\"}", "{\"name\":\"/etc/passwd\"}",
            "{\"name\":42}", "{\"peer\":\"zeek\"}", "{\"ts\":1795510846.0,\"host\":\"laptop-0042\"}",
            "{\"ts\":1795510846.0,\"host\":[\"10.20.1.15\"]}", "{\"ts\":1795510847.0,\"level\":\"info\",\"message\":\"started\"}",
            "{\"ts\":1795510847.0,\"message\":\"started\"}", "{\"note\":\"x\"}", "{\"certificate.version\":3}",
            "{\"port_num\":53,\"service\":\"dns\"}"})
    void lookalikesStayUnrecognised(String line) {
        String reason = assertThrows(MalformedRecordException.class, () -> decoder.decode(line)).getMessage();
        assertEquals("unrecognised record (neither Zeek, Suricata EVE nor a flow record): " + line, reason);
        assertEquals(reason, assertThrows(MalformedRecordException.class,
                () -> decoder.decodeUtf8(line.getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    @Test
    void aZeekRecordOfNoStandardLogIsZeekUnknown() throws Exception {
        LogLineDecoder.Result r = decoder.decode("{\"ts\":1795510848.0," + CONN_ID + ",\"site_field\":\"x\"}");
        assertEquals(Dialect.OTHER, r.dialect());
        assertEquals("zeek/unknown", r.type());
    }
}
