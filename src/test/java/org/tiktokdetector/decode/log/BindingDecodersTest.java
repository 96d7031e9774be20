package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.Timestamps;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The three dialects of address bindings: Zeek dhcp.log, Suricata EVE dhcp, the project's own binding JSON. */
class BindingDecodersTest {
    private final LogLineDecoder decoder = new LogLineDecoder();

    /** As Zeek 7 writes dhcp.log with use_json=T: one line per DHCP exchange. */
    static final String ZEEK_ACK = "{\"ts\":1795510860.118,\"uids\":[\"C3y0Hn1wXEz4cLpyP8\"],\"client_addr\":\"10.20.9.40\","
            + "\"server_addr\":\"10.20.0.1\",\"mac\":\"6a:1f:3c:90:22:01\",\"host_name\":\"Pixel-8-ec\",\"domain\":\"gov.example\","
            + "\"assigned_addr\":\"10.20.9.40\",\"lease_time\":1800.0,\"msg_types\":[\"DISCOVER\",\"OFFER\",\"REQUEST\",\"ACK\"],"
            + "\"duration\":0.004}";
    /** Suricata 7 with dhcp extended: yes (lease_time, hostname). */
    static final String SURICATA_ACK_EXTENDED = "{\"timestamp\":\"2026-11-24T09:05:30.250000+0000\",\"flow_id\":1210,"
            + "\"event_type\":\"dhcp\",\"src_ip\":\"10.20.9.1\",\"src_port\":67,\"dest_ip\":\"10.20.9.77\",\"dest_port\":68,"
            + "\"proto\":\"UDP\",\"host\":\"tap-wifi\",\"dhcp\":{\"type\":\"reply\",\"id\":3281146212,\"client_mac\":\"6a:1f:3c:90:22:01\","
            + "\"assigned_ip\":\"10.20.9.77\",\"relay_ip\":\"10.20.9.1\",\"next_server_ip\":\"0.0.0.0\",\"dhcp_type\":\"ack\","
            + "\"lease_time\":3600,\"renewal_time\":1800,\"rebinding_time\":3150,\"subnet_mask\":\"255.255.255.0\","
            + "\"routers\":[\"10.20.9.1\"],\"hostname\":\"Pixel-8-ec\",\"dns_servers\":[\"10.20.0.53\"]}}";
    /** The same without extended: no lease_time, the renewal time only. */
    static final String SURICATA_ACK = "{\"timestamp\":\"2026-11-24T09:07:10.500000+0000\",\"flow_id\":1211,"
            + "\"event_type\":\"dhcp\",\"src_ip\":\"10.20.9.1\",\"src_port\":67,\"dest_ip\":\"10.20.9.40\",\"dest_port\":68,"
            + "\"proto\":\"UDP\",\"host\":\"tap-wifi\",\"dhcp\":{\"type\":\"reply\",\"id\":91823,\"client_mac\":\"6a:1f:3c:90:22:02\","
            + "\"assigned_ip\":\"10.20.9.40\",\"dhcp_type\":\"ack\",\"renewal_time\":900}}";

    private Binding single(String line, Dialect dialect) throws MalformedRecordException {
        LogLineDecoder.Result r = decoder.decode(line);
        assertEquals(dialect, r.dialect());
        assertThat(r.records()).isEmpty();
        assertThat(r.bindings()).hasSize(1);
        // The sparse byte path agrees with the String path.
        assertThat(decoder.decodeUtf8(line.getBytes(StandardCharsets.UTF_8)).bindings().get(0).toString())
                .isEqualTo(r.bindings().get(0).toString());
        return r.bindings().get(0);
    }

    private String malformed(String line) {
        return assertThrows(MalformedRecordException.class, () -> decoder.decode(line)).getMessage();
    }

    @Test
    void zeekDhcpAckBindsTheAssignedAddress() throws Exception {
        Binding b = single(ZEEK_ACK, Dialect.ZEEK_DHCP);
        assertEquals(Binding.Action.START, b.action);
        assertEquals(Binding.Source.DHCP, b.source);
        assertEquals("10.20.9.40", b.ip);
        assertEquals("6a:1f:3c:90:22:01", b.mac);
        assertEquals("Pixel-8-ec", b.hostName);
        assertEquals(1800, b.leaseSeconds);
        assertEquals(false, b.leaseEstimated);
        assertEquals(1795510860118L, b.timestamp);
        assertEquals("zeek/dhcp", decoder.decode(ZEEK_ACK).type());
        // With _path, the same.
        assertEquals("10.20.9.40", single("{\"_path\":\"dhcp\"," + ZEEK_ACK.substring(1), Dialect.ZEEK_DHCP).ip);
    }

    @Test
    void zeekDhcpReleaseEndsTheClientAddressAndADeclineBindsNothing() throws Exception {
        Binding b = single("{\"ts\":1795511100.5,\"uids\":[\"C9\"],\"client_addr\":\"10.20.9.40\",\"mac\":\"6a:1f:3c:90:22:01\","
                + "\"msg_types\":[\"RELEASE\"],\"duration\":0.0}", Dialect.ZEEK_DHCP);
        assertEquals(Binding.Action.STOP, b.action);
        assertEquals("10.20.9.40", b.ip);
        // The client declined the address it was given: no binding (as in Zeek's dhcp-all-msg-types baseline).
        LogLineDecoder.Result declined = decoder.decode("{\"ts\":1795511100.5,\"uids\":[\"C9\"],\"mac\":\"90:b1:1c:99:49:29\","
                + "\"assigned_addr\":\"128.2.6.189\",\"lease_time\":900.0,\"msg_types\":[\"REQUEST\",\"ACK\",\"DECLINE\"]}");
        assertEquals(Dialect.ZEEK_DHCP, declined.dialect());
        assertThat(declined.ignored()).isTrue();
        // A RELEASE without client_addr names no address to end.
        assertThat(decoder.decode("{\"ts\":1795511100.5,\"uids\":[\"C9\"],\"mac\":\"90:b1:1c:99:49:29\",\"msg_types\":[\"RELEASE\"]}")
                .ignored()).isTrue();
    }

    @Test
    void zeekDhcpTsvRowsBindLikeJson() throws Exception {
        LogFileDecoder d = new LogFileDecoder(decoder);
        String header = """
                #separator \\x09
                #set_separator\t,
                #empty_field\t(empty)
                #unset_field\t-
                #path\tdhcp
                #fields\tts\tuids\tclient_addr\tserver_addr\tmac\thost_name\tclient_fqdn\tdomain\trequested_addr\tassigned_addr\tlease_time\tclient_message\tserver_message\tmsg_types\tduration
                #types\ttime\tset[string]\taddr\taddr\tstring\tstring\tstring\tstring\taddr\taddr\tinterval\tstring\tstring\tvector[string]\tinterval""";
        for (String h : header.split("\n")) {
            assertThat(d.decode(h.getBytes(StandardCharsets.UTF_8))).isNull();
        }
        LogLineDecoder.Result r = d.decode(("1795510860.118000\tCHhAvVGS1DHFjwGM9\t10.20.9.40\t10.20.0.1\t6a:1f:3c:90:22:01\tPixel-8-ec"
                + "\t-\t-\t-\t10.20.9.40\t1800.000000\t-\t-\tREQUEST,ACK\t0.004000").getBytes(StandardCharsets.UTF_8));
        assertEquals(Dialect.ZEEK_DHCP, r.dialect());
        assertEquals(single(ZEEK_ACK, Dialect.ZEEK_DHCP).toString(), r.bindings().get(0).toString());
    }

    @Test
    void suricataAckWithExtendedFieldsHasItsLeaseTime() throws Exception {
        Binding b = single(SURICATA_ACK_EXTENDED, Dialect.SURICATA_DHCP);
        assertEquals(Binding.Action.START, b.action);
        assertEquals("10.20.9.77", b.ip);
        assertEquals("6a:1f:3c:90:22:01", b.mac);
        assertEquals(3600, b.leaseSeconds);
        assertEquals(false, b.leaseEstimated);
        assertEquals("Pixel-8-ec", b.hostName);
        assertEquals("tap-wifi", b.sensor);
        assertEquals(Timestamps.fromIso("2026-11-24T09:05:30.250Z"), b.timestamp);
    }

    @Test
    void suricataAckWithoutExtendedFieldsEstimatesTheLeaseFromTheRenewalTime() throws Exception {
        Binding b = single(SURICATA_ACK, Dialect.SURICATA_DHCP);
        assertEquals(1800, b.leaseSeconds);
        assertEquals(true, b.leaseEstimated);
        assertThat(b.toJson().get("lease_estimated").asBoolean()).isTrue();
    }

    @Test
    void suricataReleaseEndsTheClientAddressAndOtherMessagesBindNothing() throws Exception {
        String release = "{\"timestamp\":\"2026-11-24T09:05:20.000000+0000\",\"event_type\":\"dhcp\",\"src_ip\":\"10.20.9.40\","
                + "\"src_port\":68,\"dest_ip\":\"10.20.0.1\",\"dest_port\":67,\"proto\":\"UDP\",\"dhcp\":{\"type\":\"request\","
                + "\"id\":7,\"client_mac\":\"6a:1f:3c:90:22:01\",\"dhcp_type\":\"release\"}}";
        Binding b = single(release, Dialect.SURICATA_DHCP);
        assertEquals(Binding.Action.STOP, b.action);
        assertEquals("10.20.9.40", b.ip); // src_ip: client_ip is logged only with extended: yes
        LogLineDecoder.Result request = decoder.decode(release.replace("\"release\"", "\"request\""));
        assertEquals(Dialect.SURICATA_DHCP, request.dialect());
        assertThat(request.ignored()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"binding":"start","ts":"2026-11-24T09:05:40Z","ip":"10.20.9.77","mac":"6A-1F-3C-90-22-01","user_name":"e.claes","session_id":"8f3a","nas_id":"wlc-hq-2","lease_time":3600} | START | 10.20.9.77 | 3600
            {"binding":"interim","ts":"2026-11-24T09:15:40Z","ip":"10.20.9.77","mac":"6a:1f:3c:90:22:01","nas_id":"wlc-hq-2"}                                                  | INTERIM | 10.20.9.77 | -1
            {"binding":"stop","ts":"2026-11-24T09:25:40Z","ip":"10.20.9.77","session_id":"8f3a","nas_id":"wlc-hq-2"}                                                             | STOP | 10.20.9.77 | -1
            {"binding":"accounting-off","ts":"2026-11-24T09:50:00Z","nas_id":"wlc-hq-2"}                                                                                         | ACCOUNTING_OFF | | -1
            """)
    void ownBindingRecords(String line, Binding.Action action, String ip, long lease) throws Exception {
        Binding b = single(line, Dialect.BINDING);
        assertEquals(action, b.action);
        assertEquals(Binding.Source.NAC, b.source);
        assertEquals(ip, b.ip);
        assertEquals(lease, b.leaseSeconds);
        assertEquals("wlc-hq-2", b.nasId);
        assertEquals("binding", decoder.decode(line).type());
        // Its JSON form reads back the same.
        assertEquals(b.toString(), single(b.toString(), Dialect.BINDING).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"binding":"start","ts":"2026-11-24T09:05:40Z","mac":"6a:1f:3c:90:22:01"}                          | binding record: missing field "ip"
            {"binding":"start","ts":"2026-11-24T09:05:40Z","ip":"10.20.9.77"}                                  | binding record: missing field "mac"
            {"binding":"start","ts":"2026-11-24T09:05:40Z","ip":"wlc-2","mac":"6a:1f:3c:90:22:01"}             | binding record: "ip" is "wlc-2", expected an IP address
            {"binding":"begin","ts":"2026-11-24T09:05:40Z","ip":"10.20.9.77","mac":"6a:1f:3c:90:22:01"}        | binding record: "binding" is "begin", expected start, interim, stop or accounting-off
            {"binding":"accounting-off","ts":"2026-11-24T09:50:00Z"}                                           | binding record: missing field "nas_id"
            {"binding":"start","ts":"2026-11-24T09:05:40Z","ip":"10.20.9.77","mac":"a","lease_time":"1h"}      | binding record: "lease_time" is "1h", expected seconds (a number >= 0)
            {"binding":"stop","ts":"2026-11-24T09:05:40Z","ip":"10.20.9.77","source":"radius"}                 | binding record: "source" is "radius", expected nac or dhcp
            {"ts":1795510860.1,"uids":["C3"],"mac":"6a:1f:3c:90:22:01","assigned_addr":"10.20.9","msg_types":["ACK"]} | Zeek dhcp.log record: "assigned_addr" is not an IP address: "10.20.9"
            {"ts":1795510860.1,"uids":["C3"],"assigned_addr":"10.20.9.40","msg_types":["ACK"]}                 | Zeek dhcp.log record without "mac"
            {"ts":1795510860.1,"uids":["C3"],"mac":"m","assigned_addr":"10.20.9.40","msg_types":"ACK"}        | Zeek dhcp.log record: "msg_types" is a string, expected an array
            {"timestamp":"2026-11-24T09:07:10Z","event_type":"dhcp","dhcp":{"dhcp_type":"ack","client_mac":"m"}} | Suricata dhcp event without "dhcp.assigned_ip"
            {"timestamp":"2026-11-24T09:07:10Z","event_type":"dhcp","dhcp":{"dhcp_type":"ack","client_mac":"m","assigned_ip":"10.0.0.1","renewal_time":"x"}} | Suricata dhcp event: "dhcp.renewal_time" is a string "x", expected seconds
            """)
    void malformedBindingLinesSayWhy(String line, String reason) {
        assertEquals(reason, malformed(line));
    }

    @Test
    void aMalformedBindingLineIsADeadLetterWithItsBytes() {
        byte[] line = "{\"binding\":\"start\",\"ts\":\"2026-11-24T09:05:40Z\",\"ip\":\"10.20.9.77\"}".getBytes(StandardCharsets.UTF_8);
        DecodedLine d = LineDecoder.decodeLine(new LogFileDecoder(decoder)::decode, "nac/accounting.jsonl", 7, -1, -1, line);
        assertThat(d.bindings).isEmpty();
        assertThat(d.deadLetter.reason).isEqualTo("binding record: missing field \"mac\"");
        assertThat(d.deadLetter.original).isEqualTo(line);
        assertThat(d.deadLetter.line).isEqualTo(7);
    }

    @Test
    void aBindingLineCarriesItsBindingAndTime() {
        DecodedLine d = LineDecoder.decodeLine(new LogFileDecoder(decoder)::decode, "zeek/dhcp.log", 1, -1, -1,
                ZEEK_ACK.getBytes(StandardCharsets.UTF_8));
        assertThat(d.records).isEmpty();
        assertThat(d.bindings).extracting(b -> b.ip).isEqualTo(List.of("10.20.9.40"));
        assertThat(d.timestamp).isEqualTo(1795510860118L);
        assertThat(d.ignored()).isFalse();
    }
}
