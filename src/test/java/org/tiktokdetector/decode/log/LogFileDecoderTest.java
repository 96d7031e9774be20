package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileDecoderTest {
    private static final Path BASELINES = Path.of("src/test/resources/zeek-tsv");
    /** A real epoch time for the baselines' masked "XXXXXXXXXX.XXXXXX" (2026-11-24T09:00:12.204617Z). */
    private static final String TS = "1795510812.204617";
    private static final long TS_MILLIS = 1795510812205L;

    private final LogLineDecoder lines = new LogLineDecoder();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A baseline's lines, with a real time in place of the masked ones when {@code unmask}. */
    private static List<String> baseline(String file, boolean unmask) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(BASELINES.resolve(file), StandardCharsets.UTF_8)) {
            out.add(unmask ? l.replace("XXXXXXXXXX.XXXXXX", TS) : l);
        }
        return out;
    }

    /** What a decoder makes of a line, in words: "-" for no record, "malformed: ..." or "DIALECT type [records]". */
    private static String outcome(LogFileDecoder d, String line) {
        try {
            LogLineDecoder.Result r = d.decode(bytes(line));
            return r == null ? "-" : r.dialect() + " " + r.type() + " " + r.records();
        } catch (MalformedRecordException e) {
            return "malformed: " + e.getMessage();
        }
    }

    private String json(String line) {
        try {
            LogLineDecoder.Result r = lines.decode(line);
            return r.dialect() + " " + r.type() + " " + r.records();
        } catch (MalformedRecordException e) {
            return "malformed: " + e.getMessage();
        }
    }

    /** The sparse tree the JSON path makes of a Zeek JSON line. */
    private static JsonNode tree(String json) throws IOException {
        try (JsonParser p = SparseReader.JSON.createParser(json)) {
            return SparseReader.read(p, LogLineDecoder.FIELDS);
        }
    }

    // ------------------------------------------------------------------------------------------ Zeek's baselines

    @Nested
    class Baselines {
        @ParameterizedTest
        @CsvSource({
                // file,                                                             dialect,    type,              rows, records, bindings
                "core.cisco-fabric-path__conn.log,                                   OTHER,      zeek/conn,         64,   0,    0",
                "core.file-analyzer-violation__files.log,                            OTHER,      zeek/files,        1,    0,    0",
                "core.ipv6-frag__dns.log,                                            ZEEK_DNS,   zeek/dns,          3,    3,    0",
                "core.max-analyzer-violations__weird.log,                            OTHER,      zeek/weird,        3,    0,    0",
                "core.nflog__http.log,                                               ZEEK_HTTP,  zeek/http,         1,    1,    0",
                "core.pcap.filter-warning__notice.log,                               OTHER,      zeek/notice,       1,    0,    0",
                "scripts.base.protocols.dhcp.dhcp-ack-msg-types__dhcp.log,           ZEEK_DHCP,  zeek/dhcp,         1,    0,    1",
                "scripts.base.protocols.dhcp.dhcp-all-msg-types__dhcp.log,           ZEEK_DHCP,  zeek/dhcp,         3,    0,    0",
                "scripts.base.protocols.ftp.ftp-auth-tls__ssl.log,                   ZEEK_SSL,   zeek/ssl,          1,    1,    0",
                "scripts.base.protocols.ftp.gridftp__x509.log,                       OTHER,      zeek/x509,         12,   0,    0",
                "scripts.base.protocols.quic.39264-rand__quic.log,                   ZEEK_QUIC,  zeek/quic,         1,    1,    0",
                "scripts.policy.frameworks.software.version-changes-2__software.log, OTHER,      zeek/software,     4,    0,    0",
        })
        void everyRowOfEveryLog(String file, Dialect dialect, String type, int rows, int records, int bindings) throws Exception {
            LogFileDecoder d = new LogFileDecoder(lines);
            int seenRows = 0;
            int seenRecords = 0;
            int seenBindings = 0;
            for (String line : baseline(file, true)) {
                LogLineDecoder.Result r = d.decode(bytes(line));
                if (line.startsWith("#")) {
                    assertNull(r, line);
                    continue;
                }
                seenRows++;
                assertEquals(dialect, r.dialect(), line);
                assertSame(LogTypes.zeek(type.substring("zeek/".length())), r.type(), "the constant label");
                seenRecords += r.records().size();
                r.records().forEach(x -> assertEquals(TS_MILLIS, x.timestamp));
                seenBindings += r.bindings().size();
                r.bindings().forEach(x -> assertEquals(TS_MILLIS, x.timestamp));
            }
            assertEquals(rows, seenRows);
            assertEquals(records, seenRecords);
            assertEquals(bindings, seenBindings);
        }

        /** Zeek's test masking is no time: each masked row is malformed, naming the field. */
        @ParameterizedTest
        @ValueSource(strings = {"core.cisco-fabric-path__conn.log", "core.ipv6-frag__dns.log", "core.nflog__http.log",
                "scripts.base.protocols.ftp.gridftp__x509.log", "scripts.base.protocols.quic.39264-rand__quic.log"})
        void maskedTimestampsAreMalformed(String file) throws Exception {
            String path = file.substring(file.indexOf("__") + 2, file.length() - ".log".length());
            LogFileDecoder d = new LogFileDecoder(lines);
            int rows = 0;
            for (String line : baseline(file, false)) {
                if (!line.startsWith("#")) {
                    rows++;
                    assertEquals("malformed: Zeek " + path + ".log TSV row: \"ts\" is not a valid time: \"XXXXXXXXXX.XXXXXX\"",
                            outcome(d, line));
                } else {
                    assertEquals("-", outcome(d, line));
                }
            }
            assertTrue(rows > 0);
        }

        /** The Zeek JSON lines Zeek writes (use_json=T) for the baselines' rows, by hand; unset fields left out. */
        private static final String TXT1 = "TXT 33 This TXT record should be ignored TXT 21 As it is just padding TXT 136 "
                + "X".repeat(136);
        private static final String TXT2 = "TXT 33 This TXT record should be ignored TXT 21 As it is just padding "
                + ("TXT 189 " + "X".repeat(189) + " ").repeat(15) + "TXT 192 " + "X".repeat(192);
        private static final String DNS_ID = "\"id.orig_h\":\"2001:470:1f11:81f:d138:5f55:6d4:1fe2\",\"id.resp_h\":\"2607:f740:b::f93\","
                + "\"id.resp_p\":53,\"proto\":\"udp\"";
        private static final String DNS_Q = "\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":16,\"qtype_name\":\"TXT\"";

        @ParameterizedTest
        @ValueSource(strings = {"dns", "ssl", "quic", "http"})
        void sameRecordsAsTheZeekJsonOfTheSameRows(String log) throws Exception {
            String file;
            List<String> json;
            switch (log) {
                case "dns" -> {
                    file = "core.ipv6-frag__dns.log";
                    json = List.of(
                            "{\"ts\":" + TS + ",\"uid\":\"CHhAvVGS1DHFjwGM9\"," + DNS_ID + ",\"id.orig_p\":51850,\"trans_id\":3903,"
                                    + "\"rtt\":0.0793,\"query\":\"txtpadding_323.n1.netalyzr.icsi.berkeley.edu\"," + DNS_Q + ","
                                    + "\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":true,\"TC\":false,\"RD\":true,\"RA\":false,\"Z\":0,"
                                    + "\"answers\":[\"" + TXT1 + "\"],\"TTLs\":[1.0],\"rejected\":false,\"opcode\":0,"
                                    + "\"opcode_name\":\"query\"}",
                            "{\"ts\":" + TS + ",\"uid\":\"ClEkJM2Vm5giqnMf4h\"," + DNS_ID + ",\"id.orig_p\":51851,\"trans_id\":40849,"
                                    + "\"rtt\":5.084025,\"query\":\"txtpadding_3230.n1.netalyzr.icsi.berkeley.edu\"," + DNS_Q + ","
                                    + "\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":true,\"TC\":false,\"RD\":true,\"RA\":false,\"Z\":0,"
                                    + "\"answers\":[\"" + TXT2 + "\"],\"TTLs\":[1.0],\"rejected\":false,\"opcode\":0,"
                                    + "\"opcode_name\":\"query\"}",
                            "{\"ts\":" + TS + ",\"uid\":\"ClEkJM2Vm5giqnMf4h\"," + DNS_ID + ",\"id.orig_p\":51851,\"trans_id\":40849,"
                                    + "\"query\":\"txtpadding_3230.n1.netalyzr.icsi.berkeley.edu\"," + DNS_Q + ",\"AA\":false,"
                                    + "\"TC\":false,\"RD\":true,\"RA\":false,\"Z\":0,\"rejected\":false,\"opcode\":0,"
                                    + "\"opcode_name\":\"query\"}");
                }
                case "ssl" -> {
                    file = "scripts.base.protocols.ftp.ftp-auth-tls__ssl.log";
                    json = List.of("{\"ts\":" + TS + ",\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"127.0.0.1\",\"id.orig_p\":40284,"
                            + "\"id.resp_h\":\"127.0.0.1\",\"id.resp_p\":21,\"version\":\"TLSv13\",\"cipher\":\"TLS_AES_256_GCM_SHA384\","
                            + "\"curve\":\"secp256r1\",\"server_name\":\"127.0.0.1\",\"resumed\":false,\"established\":true,"
                            + "\"ssl_history\":\"CsiI\"}");
                }
                case "quic" -> {
                    file = "scripts.base.protocols.quic.39264-rand__quic.log";
                    json = List.of("{\"ts\":" + TS + ",\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"765b:b77b:dad1:7e73:56f9:5a0f:52a3:f4f\","
                            + "\"id.orig_p\":39264,\"id.resp_h\":\"725f:1f71:525f:a3b:525f:3673:525f:3673\",\"id.resp_p\":443,"
                            + "\"version\":\"1\",\"client_initial_dcid\":\"ceef7990f5bb4071\",\"client_scid\":\"1e6dc7\","
                            + "\"server_scid\":\"eeef7990f5bb4071\",\"server_name\":\"tr6.snapchat.com\",\"client_protocol\":\"h3\","
                            + "\"history\":\"IXIXISZXiiiiishooIHOOoO\"}");
                }
                default -> {
                    file = "core.nflog__http.log";
                    json = List.of("{\"ts\":" + TS + ",\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"10.0.2.15\",\"id.orig_p\":49762,"
                            + "\"id.resp_h\":\"93.184.216.34\",\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\","
                            + "\"host\":\"www.example.net\",\"uri\":\"/\",\"version\":\"1.1\",\"user_agent\":\"curl/7.50.1\","
                            + "\"request_body_len\":0,\"response_body_len\":1270,\"status_code\":200,\"status_msg\":\"OK\","
                            + "\"tags\":[],\"resp_fuids\":[\"FKi7Pk47Xmw8dswjRh\"],\"resp_mime_types\":[\"text/html\"]}");
                }
            }
            LogFileDecoder results = new LogFileDecoder(lines);
            LogFileDecoder trees = new LogFileDecoder(lines);
            int row = 0;
            for (String line : baseline(file, true)) {
                if (line.startsWith("#")) {
                    results.decode(bytes(line));
                    trees.decode(bytes(line));
                    continue;
                }
                String j = json.get(row++);
                LogLineDecoder.Result fromTsv = results.decode(bytes(line));
                LogLineDecoder.Result fromJson = lines.decode(j);
                assertEquals(fromJson.records(), fromTsv.records(), line);
                assertEquals(fromJson.dialect(), fromTsv.dialect());
                assertSame(fromJson.type(), fromTsv.type());
                // Every field the decoders read, not only those that reach a flow record.
                assertEquals(tree("{\"_path\":\"" + log + "\"," + j.substring(1)), trees.record(bytes(line)), line);
            }
            assertEquals(json.size(), row);
        }

        @Test
        void theDifferentialCheckSeesTheValues() throws Exception {
            LogFileDecoder d = new LogFileDecoder(lines);
            List<FlowRecord> records = new ArrayList<>();
            for (String line : baseline("core.ipv6-frag__dns.log", true)) {
                LogLineDecoder.Result r = d.decode(bytes(line));
                if (r != null) {
                    records.addAll(r.records());
                }
            }
            FlowRecord first = records.get(0);
            assertEquals("txtpadding_323.n1.netalyzr.icsi.berkeley.edu", first.name);
            assertEquals("2001:470:1f11:81f:d138:5f55:6d4:1fe2", first.clientIp);
            assertEquals(51850, first.clientPort);
            assertEquals("udp", first.transport);
            assertEquals(List.of(new DnsAnswer("TXT", TXT1, 1)), first.answers);
            assertNull(records.get(2).answers, "unset '-' answers are absent");
        }
    }

    // ------------------------------------------------------------------------------------------ the header grammar

    private static final String T = "\t";
    private static final String DNS_HEADER = String.join("\n",
            "#separator \\x09",
            "#set_separator" + T + ",",
            "#empty_field" + T + "(empty)",
            "#unset_field" + T + "-",
            "#path" + T + "dns",
            "#open" + T + "2026-11-24-09-00-00",
            "#fields" + T + String.join(T, "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
                    "trans_id", "query", "qtype_name", "answers", "TTLs"),
            "#types" + T + String.join(T, "time", "string", "addr", "port", "addr", "port", "enum", "count", "string",
                    "string", "vector[string]", "vector[interval]"));
    private static final String DNS_JSON_HEAD = "{\"ts\":1795510812.204617,\"uid\":\"CuQ3Xe2s4bLqXoCvqk\",\"id.orig_h\":\"10.20.1.15\","
            + "\"id.orig_p\":59812,\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":48213,";

    private static String dnsRow(String query, String qtype, String answers, String ttls) {
        return String.join(T, "1795510812.204617", "CuQ3Xe2s4bLqXoCvqk", "10.20.1.15", "59812", "10.20.0.53", "53", "udp",
                "48213", query, qtype, answers, ttls);
    }

    /** Feeds the header, then the row; the row's outcome. */
    private static String afterHeader(String header, String row) {
        LogFileDecoder d = new LogFileDecoder();
        for (String h : header.split("\n")) {
            assertEquals("-", outcome(d, h), h);
        }
        return outcome(d, row);
    }

    @Nested
    class Header {
        @Test
        void aRowIsTheZeekJsonRecordWithItsTypes() {
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"www.tiktok.com\",\"qtype_name\":\"A\",\"answers\":["
                            + "\"www.tiktok.com.edgekey.net\",\"23.54.153.66\"],\"TTLs\":[60.0,20.0]}"),
                    afterHeader(DNS_HEADER, dnsRow("www.tiktok.com", "A", "www.tiktok.com.edgekey.net,23.54.153.66",
                            "60.000000,20.000000")));
        }

        @Test
        void emptyAndUnsetFields() {
            String empty = afterHeader(DNS_HEADER, dnsRow("www.tiktok.com", "(empty)", "(empty)", "(empty)"));
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"www.tiktok.com\",\"qtype_name\":\"\",\"answers\":[],\"TTLs\":[]}"),
                    empty);
            assertTrue(empty.contains("\"qtype\":\"\",\"answers\":[]"), empty);
            String unset = afterHeader(DNS_HEADER, dnsRow("www.tiktok.com", "-", "-", "-"));
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"www.tiktok.com\"}"), unset);
            assertFalse(unset.contains("qtype") || unset.contains("answers"), unset);
        }

        @Test
        void escapesInStringsAndSetElements() {
            // \x2c is a comma inside an element, not the set separator; \\ is one backslash; \xNN bytes are UTF-8.
            String r = afterHeader(DNS_HEADER, dnsRow("b\\xc3\\xbccher.example", "A", "odd\\x2cname.example,23.54.153.66",
                    "60.000000,20.000000"));
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"b\u00fccher.example\",\"qtype_name\":\"A\",\"answers\":["
                    + "\"odd,name.example\",\"23.54.153.66\"],\"TTLs\":[60.0,20.0]}"), r);
            assertTrue(r.contains("\"data\":\"odd,name.example\""), r);
            assertTrue(afterHeader(DNS_HEADER, dnsRow("back\\\\slash.example", "A", "-", "-"))
                    .contains("\"name\":\"back\\\\slash.example\""));
        }

        @Test
        void anEscapedSeparatorAndACustomSetSeparator() {
            String header = DNS_HEADER.replace("\t", "|").replace("#separator \\x09", "#separator \\x7c")
                    .replace("#set_separator|,", "#set_separator|;");
            String row = dnsRow("pipe\\x7cin.example", "A", "semi\\x3bcolon.example;23.54.153.66", "60.000000;20.000000")
                    .replace("\t", "|");
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"pipe|in.example\",\"qtype_name\":\"A\",\"answers\":["
                    + "\"semi;colon.example\",\"23.54.153.66\"],\"TTLs\":[60.0,20.0]}"), afterHeader(header, row));
        }

        @Test
        void customEmptyAndUnsetMarkers() {
            String header = DNS_HEADER.replace("#empty_field\t(empty)", "#empty_field\tEMPTY")
                    .replace("#unset_field\t-", "#unset_field\tNONE");
            assertEquals(json(DNS_JSON_HEAD + "\"query\":\"www.tiktok.com\",\"answers\":[],\"TTLs\":[]}"),
                    afterHeader(header, dnsRow("www.tiktok.com", "NONE", "EMPTY", "EMPTY")));
            // The defaults are no markers any more: "-" is a query type like any other word.
            assertTrue(afterHeader(header, dnsRow("www.tiktok.com", "-", "EMPTY", "EMPTY")).contains("\"qtype\":\"-\""));
        }

        @Test
        void aSecondHeaderMidStreamRestartsTheGrammar() {
            LogFileDecoder d = new LogFileDecoder();
            String custom = DNS_HEADER.replace("#set_separator\t,", "#set_separator\t;");
            for (String h : custom.split("\n")) {
                outcome(d, h);
            }
            assertTrue(outcome(d, dnsRow("a.example", "A", "b.example;23.54.153.66", "1.000000;2.000000"))
                    .contains("\"data\":\"23.54.153.66\",\"ttl\":2"));
            assertEquals("-", outcome(d, "#close\t2026-11-24-10-00-00"));
            // cat: after #separator the set separator is the default again (this header does not repeat it), and the
            // fields are this log's own.
            for (String h : new String[] {"#separator \\x09", "#path\tdns",
                    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tquery\tanswers",
                    "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tvector[string]"}) {
                assertEquals("-", outcome(d, h));
            }
            assertEquals(json("{\"ts\":1795510812.5,\"uid\":\"C1\",\"id.orig_h\":\"10.20.1.15\",\"id.orig_p\":1,"
                            + "\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"query\":\"a.example\","
                            + "\"answers\":[\"b;c.example\",\"23.54.153.66\"]}"),
                    outcome(d, "1795510812.5\tC1\t10.20.1.15\t1\t10.20.0.53\t53\ta.example\tb;c.example,23.54.153.66"));
            // ... and its path.
            for (String h : new String[] {"#separator \\x09", "#path\tssl",
                    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name",
                    "#types\ttime\tstring\taddr\tport\taddr\tport\tstring"}) {
                assertEquals("-", outcome(d, h));
            }
            assertEquals(json("{\"ts\":1795510814.019271,\"uid\":\"C4J4Th3PJpwUYZZ6gc\",\"id.orig_h\":\"10.20.1.15\","
                            + "\"id.orig_p\":50322,\"id.resp_h\":\"23.54.153.66\",\"id.resp_p\":443,"
                            + "\"server_name\":\"www.tiktok.com\"}"),
                    outcome(d, "1795510814.019271\tC4J4Th3PJpwUYZZ6gc\t10.20.1.15\t50322\t23.54.153.66\t443\twww.tiktok.com"));
        }

        @Test
        void rowsWithoutTheirHeader() {
            LogFileDecoder d = new LogFileDecoder();
            assertEquals("malformed: Zeek TSV row before its #fields header", outcome(d, dnsRow("a.example", "A", "-", "-")));
            assertEquals("-", outcome(d, "#path\tdns"));
            assertEquals("-", outcome(d, "#fields\tts\tquery"));
            assertEquals("malformed: Zeek dns.log TSV row before its #types header", outcome(d, TS + "\ta.example"));
            assertEquals("-", outcome(d, "#types\ttime"));
            assertEquals("malformed: Zeek TSV header: #types names 1 types, #fields names 2 fields",
                    outcome(d, TS + "\ta.example"));
            assertEquals("-", outcome(d, "#types\ttime\tstring"));
            // The header is whole again: the row reaches the dns.log decoder (which wants a client address).
            assertEquals("malformed: Zeek dns.log record without \"id.orig_h\"", outcome(d, TS + "\ta.example"));
        }

        @Test
        void rowsWithTheWrongNumberOfFields() {
            String row = dnsRow("a.example", "A", "-", "-");
            assertEquals("malformed: Zeek dns.log TSV row has 11 fields, the #fields header names 12",
                    afterHeader(DNS_HEADER, row.substring(0, row.lastIndexOf('\t'))));
            assertEquals("malformed: Zeek dns.log TSV row has 13 fields, the #fields header names 12",
                    afterHeader(DNS_HEADER, row + "\textra"));
        }

        @Test
        void valuesThatAreNotOfTheirType() {
            assertEquals("malformed: Zeek dns.log TSV row: \"id.orig_p\" is not a valid port: \"59812/udp\"",
                    afterHeader(DNS_HEADER, dnsRow("a.example", "A", "-", "-").replace("\t59812\t", "\t59812/udp\t")));
            assertEquals("malformed: Zeek dns.log TSV row: \"TTLs\" is not a valid vector[interval]: \"soon\"",
                    afterHeader(DNS_HEADER, dnsRow("a.example", "A", "b.example", "soon")));
            assertEquals("malformed: Zeek dns.log TSV row: \"ts\" is not a valid time: \"1e\"",
                    afterHeader(DNS_HEADER, dnsRow("a.example", "A", "-", "-").replace(TS, "1e")));
            // A count beyond a long is a number, as in JSON: the decoder words the rest the same in both.
            String big = "99999999999999999999";
            assertEquals(json(DNS_JSON_HEAD.replace("59812", big) + "\"query\":\"a.example\"}"),
                    afterHeader(DNS_HEADER, dnsRow("a.example", "-", "-", "-").replace("59812", big)));
            // Out of range times are the decoder's, as for JSON.
            assertEquals("malformed: Zeek dns.log record: \"ts\" 1.0E20 is out of range (1970 to 9999)",
                    afterHeader(DNS_HEADER, dnsRow("a.example", "A", "-", "-").replace(TS, "1e20")));
        }

        @Test
        void boolsAndTheFieldsOnlyThePresenceOfWhichCounts() throws Exception {
            LogFileDecoder d = new LogFileDecoder();
            for (String h : new String[] {"#separator \\x09", "#fields\tts\tuid\ttrans_depth\ttls\tsubject",
                    "#types\ttime\tstring\tcount\tbool\tstring"}) {
                d.decode(bytes(h));
            }
            ObjectNode o = d.record(bytes(TS + "\tC3\t1\tF\tHello"));
            assertEquals(tree("{\"ts\":" + TS + ",\"uid\":\"C3\",\"trans_depth\":1,\"tls\":false,\"subject\":\"Hello\"}"), o);
            assertEquals("OTHER zeek/smtp []", outcome(d, TS + "\tC3\t1\tF\tHello"), "no #path: told by its fields");
            assertEquals("malformed: Zeek TSV row: \"tls\" is not a valid bool: \"false\"", outcome(d, TS + "\tC3\t1\tfalse\tHello"));
        }

        @Test
        void aSitesOwnPathIsOtherWithItsLabelButItsTsMustBeATime() throws Exception {
            LogFileDecoder d = new LogFileDecoder();
            for (String h : new String[] {"#separator \\x09", "#path\tsite_dns", "#fields\tts\tquery\tid.orig_h",
                    "#types\ttime\tstring\taddr"}) {
                d.decode(bytes(h));
            }
            LogLineDecoder.Result r = d.decode(bytes(TS + "\twww.tiktok.com\t10.20.1.15"));
            assertEquals(Dialect.OTHER, r.dialect());
            assertEquals("zeek/site_dns", r.type());
            assertTrue(r.ignored(), "the fields of a site's own TSV log are not guessed at");
            assertSame(r, d.decode(bytes(TS + "\twww.example.gov\t10.20.1.16")), "one result for the whole log");
            assertEquals("malformed: Zeek site_dns.log TSV row: \"ts\" is not a valid time: \"XXXXXXXXXX.XXXXXX\"",
                    outcome(d, "XXXXXXXXXX.XXXXXX\twww.tiktok.com\t10.20.1.15"));
            assertEquals("malformed: Zeek site_dns.log TSV row has 2 fields, the #fields header names 3",
                    outcome(d, TS + "\twww.tiktok.com"));
        }
    }

    // ------------------------------------------------------------------------------------------ lines that are not TSV rows

    @Nested
    class OtherLines {
        private static final String OWN = "{\"ts\":\"2026-11-24T09:31:02.874Z\",\"kind\":\"dns\",\"client_ip\":\"10.20.6.40\","
                + "\"name\":\"editor-api-sg.capcutapi.com\"}";

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\r", "#", "### BTest baseline data", "#open\t2026-11-24-09-00-00",
                "#close\t2026-11-24-10-00-00", "  # indented comment"})
        void notRecords(String line) throws Exception {
            assertNull(new LogFileDecoder().decode(bytes(line)));
        }

        @Test
        void jsonLinesAreTheLineDecodersAlsoWithinATsvLog() throws Exception {
            LogFileDecoder d = new LogFileDecoder();
            for (String line : new String[] {OWN, Zeek_DNS, "hello world", "{\"foo\":1}", "[1]"}) {
                assertEquals(json(line), outcome(d, line));
            }
            for (String h : DNS_HEADER.split("\n")) {
                d.decode(bytes(h));
            }
            assertEquals(json(OWN), outcome(d, OWN));
            assertTrue(outcome(d, dnsRow("a.example", "A", "-", "-")).startsWith("ZEEK_DNS"), "still in the TSV log");
        }

        private static final String Zeek_DNS = DNS_JSON_HEAD + "\"query\":\"www.tiktok.com\"}";

        @Test
        void aByteOrderMarkBeforeTheFirstLineIsSkipped() throws Exception {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            LogFileDecoder json = new LogFileDecoder();
            LogLineDecoder.Result r = json.decode(concat(bom, bytes(OWN)));
            assertEquals(lines.decode(OWN).records(), r.records());
            assertEquals(Kind.DNS, r.records().get(0).kind);

            LogFileDecoder tsv = new LogFileDecoder();
            String[] header = DNS_HEADER.split("\n");
            assertNull(tsv.decode(concat(bom, bytes(header[0]))), "#separator behind a BOM is still the header");
            for (int i = 1; i < header.length; i++) {
                tsv.decode(bytes(header[i]));
            }
            assertEquals(json(Zeek_DNS), outcome(tsv, dnsRow("www.tiktok.com", "-", "-", "-")));
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    @Test
    void aMaskedRowThrowsWithoutAStackTrace() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> afterHeaderThrowing(DNS_HEADER, dnsRow("a.example", "A", "-", "-").replace(TS, "XXXXXXXXXX.XXXXXX")));
        assertEquals(0, e.getStackTrace().length, "data, not a bug");
    }

    private static void afterHeaderThrowing(String header, String row) throws MalformedRecordException {
        LogFileDecoder d = new LogFileDecoder();
        for (String h : header.split("\n")) {
            d.decode(bytes(h));
        }
        d.decode(bytes(row));
    }
}
