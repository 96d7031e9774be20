package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.decode.Bytes;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Timestamps;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one line of a sensor log into flow records, telling the dialect from the line itself.
 * Stateless and thread-safe; plain Java so that any Flink operator (or a test) can use it. A row of a Zeek TSV log
 * needs the header above it: {@link LogFileDecoder} reads whole files, TSV and JSON, with this decoder.
 *
 * <h2>Dialect detection (per line, first match wins)</h2>
 * <ol>
 *   <li>blank, or first non-blank character '#' (Zeek TSV header) → {@link Dialect#NONE}, no records;</li>
 *   <li>not a JSON object → malformed;</li>
 *   <li>has {@code event_type} → Suricata EVE: dns / tls / quic / http decoded, every other event type
 *       (flow, alert, stats, anomaly, fileinfo, ...) → {@link Dialect#OTHER};</li>
 *   <li>has {@code client_ip} or {@code kind} → the project's own flow-record JSON ({@link FlowRecordJson#read});</li>
 *   <li>has one of {@code _path}, {@code uid}, {@code uids}, {@code fuid}, {@code id.orig_h}, or {@code ts} with an
 *       {@code id} object → Zeek JSON. A {@code _path} of dns/ssl/quic/http names the log; another standard Zeek path
 *       (conn, dhcp, files, ...) → {@link Dialect#OTHER}; without {@code _path} (or with a site's own) the fields tell:
 *       {@code query}/{@code qtype_name}/{@code trans_id} → dns.log; {@code client_initial_dcid}/{@code client_scid},
 *       or {@code client_protocol} with {@code history} → quic.log; {@code server_name}/{@code ssl_history}/{@code cipher}
 *       → ssl.log; {@code trans_depth}/{@code method}/{@code uri} → http.log, unless it is an smtp.log line (which
 *       shares {@code trans_depth}); anything else → {@link Dialect#OTHER}, its log told by {@link ZeekSignatures};</li>
 *   <li>the fields of a standard Zeek log without a connection or file ({@link ZeekSignatures}: x509, software,
 *       stats, reporter, loaded_scripts, known_hosts, ...) → {@link Dialect#OTHER};</li>
 *   <li>any other JSON object → malformed ("unrecognised record: ...").</li>
 * </ol>
 * Every result carries the log it came from ({@link Result#type}): {@code _path} names it where present, else the rule
 * above that told it ({@code zeek/unknown}: a Zeek record whose fields match no standard log).
 * A record of a used type that carries no name (Zeek ssl.log without {@code server_name}, a Suricata tls event
 * without {@code tls.sni}, ...) yields no records under its own dialect: the caller counts it as ignored.
 *
 * <h2>Field mapping notes</h2>
 * <ul>
 *   <li>Zeek dns.log {@code answers} are bare strings parallel to {@code TTLs}. Heuristic for the answer type:
 *       an IPv4 literal → A, an IPv6 literal → AAAA, a string starting with "TXT " → TXT; any other name → CNAME
 *       when the query type is A, AAAA, CNAME, HTTPS, SVCB or unknown (a name in such an answer is a CNAME
 *       target), otherwise the query type (PTR, MX, NS, ...).</li>
 *   <li>Suricata DNS: the client of a request (v2 "query", v3 "request") is {@code src_ip}. For a response (v2
 *       "answer", v3 "response") the server side is the one on port 53 (Suricata 7 and 8 disagree on which side
 *       of a response is {@code src_ip}); when the ports do not tell, the client is {@code dest_ip}.
 *       A v3 record with several {@code queries[]} yields one record per query.</li>
 *   <li>Zeek has no sensor name in its records: {@code _system_name} or {@code sensor} is used when present,
 *       otherwise null. Suricata: {@code host}. Own format: {@code sensor}.</li>
 *   <li>HTTP host names lose a ":port" suffix ("example.com:8080" → "example.com", "[2001:db8::1]:80" → "2001:db8::1").</li>
 * </ul>
 * Names are passed on as seen on the wire (case, trailing dot): normalising them is the matcher's job.
 */
public final class LogLineDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The outcome of one line: its dialect, its log type and its flow records (empty = nothing we use; count it as
     * ignored).
     *
     * @param type the sensor and log the line came from, lower case, for counting records by log type:
     *             {@code zeek/<path>} for any Zeek log ({@code zeek/dns}, {@code zeek/x509}, ...; {@code zeek/unknown}
     *             for a Zeek record without {@code _path} of no standard log), {@code suricata/<event_type>} for any
     *             EVE event, {@code flow-record} for the project's own JSON; null for {@link Dialect#NONE} (not a
     *             record). The same String instance for every line of a standard log.
     */
    public record Result(Dialect dialect, String type, List<FlowRecord> records) {
        public boolean ignored() {
            return records.isEmpty();
        }
    }

    private static final Result NONE = new Result(Dialect.NONE, null, List.of());

    /** The results of records without names, by type, shared by all lines of a standard log. */
    private static final Map<String, Result> EMPTY = new HashMap<>();

    static {
        for (String type : LogTypes.standard()) {
            EMPTY.put(type, new Result(Dialect.OTHER, type, List.of()));
        }
        for (Dialect d : Dialect.values()) {
            if (d != Dialect.OTHER && d != Dialect.NONE) {
                EMPTY.put(type(d), new Result(d, type(d), List.of()));
            }
        }
    }

    /** The type of a line decoded in a dialect of records with names, unless its {@code _path} says otherwise. */
    private static String type(Dialect d) {
        return switch (d) {
            case ZEEK_DNS -> LogTypes.ZEEK_DNS;
            case ZEEK_SSL -> LogTypes.ZEEK_SSL;
            case ZEEK_QUIC -> LogTypes.ZEEK_QUIC;
            case ZEEK_HTTP -> LogTypes.ZEEK_HTTP;
            case SURICATA_DNS -> LogTypes.SURICATA_DNS;
            case SURICATA_TLS -> LogTypes.SURICATA_TLS;
            case SURICATA_QUIC -> LogTypes.SURICATA_QUIC;
            case SURICATA_HTTP -> LogTypes.SURICATA_HTTP;
            case OWN -> LogTypes.FLOW_RECORD;
            case OTHER, NONE -> throw new IllegalArgumentException(d.name());
        };
    }

    /** A record that yields no flow records; shared unless its type is a site's own log. */
    private static Result empty(Dialect d, String type) {
        Result r = EMPTY.get(type);
        return r != null && r.dialect() == d ? r : new Result(d, type, List.of());
    }

    /**
     * Decodes one line of any supported dialect.
     *
     * @return the dialect and the flow records the line holds (usually one); no records for a blank or '#' line
     *         and for a well-formed record of a type or event we do not use
     * @throws MalformedRecordException saying why the line cannot be decoded
     */
    public Result decode(String line) throws MalformedRecordException {
        if (line == null) {
            return NONE;
        }
        int n = line.length();
        int i = 0;
        while (i < n && isBlank(line.charAt(i))) {
            i++;
        }
        if (i == n || line.charAt(i) == '#') {
            return NONE;
        }
        Result r = dispatch(parse(line));
        if (r == null) {
            throw unrecognised(line.substring(i));
        }
        return r;
    }

    /**
     * Decodes one line as read from a file or Kafka (UTF-8), with the same results and messages as
     * {@link #decode(String)}. Sensor logs are plain ASCII JSON nearly always, and such a line is scanned from
     * its bytes ({@link SparseJson#scan}): no String per line, no tokenizer. Any other ASCII line goes to
     * Jackson's byte parser; a non-ASCII line, and any line Jackson rejects (rare: it becomes a dead letter),
     * takes the String path, which words every message.
     */
    public Result decodeUtf8(byte[] line) throws MalformedRecordException {
        JsonNode o = SparseJson.scan(line);
        if (o == null) {
            if (!Bytes.isAscii(line)) {
                return decode(new String(line, StandardCharsets.UTF_8));
            }
            int i = firstNonBlank(line);
            if (i == line.length || line[i] == '#') {
                return NONE;
            }
            try (JsonParser p = SparseJson.JSON.createParser(line)) {
                o = SparseJson.read(p);
            } catch (IOException e) {
                return decode(new String(line, StandardCharsets.US_ASCII));
            }
        }
        Result r = dispatch(o);
        if (r == null) {
            int i = firstNonBlank(line);
            throw unrecognised(new String(line, i, line.length - i, StandardCharsets.US_ASCII));
        }
        return r;
    }

    private static int firstNonBlank(byte[] line) {
        int i = 0;
        while (i < line.length && isBlank((char) line[i])) {
            i++;
        }
        return i;
    }

    /**
     * The decoding of a line parsed whole, every field kept: what the sparse readers must agree with (the differential
     * test compares them; a field the decoders read but the sparse readers drop shows up there).
     */
    static Result decodeWholeTree(JsonNode o) throws MalformedRecordException {
        Result r = dispatch(o);
        if (r == null) {
            throw unrecognised(o.toString());
        }
        return r;
    }

    /** The dialect's decoding of a parsed line; null when the object is no record we know. */
    private static Result dispatch(JsonNode o) throws MalformedRecordException {
        if (!o.isObject()) {
            throw new MalformedRecordException("not a JSON object: got " + typeName(o));
        }
        JsonNode eventType = o.get("event_type");
        if (eventType != null) {
            return suricata(o, eventType);
        }
        if (o.has("client_ip") || o.has("kind")) {
            return own(o);
        }
        if (o.has("_path") || o.has("uid") || o.has("uids") || o.has("fuid") || o.has("id.orig_h")
                || (o.has("ts") && o.get("id") instanceof ObjectNode)) {
            return zeek(o);
        }
        // Zeek logs without a connection or file (x509, software, stats, reporter, loaded_scripts, ...).
        String type = ZeekSignatures.type(o);
        return type == null ? null : empty(Dialect.OTHER, type);
    }

    private static MalformedRecordException unrecognised(String text) {
        return new MalformedRecordException("unrecognised record (neither Zeek, Suricata EVE nor a flow record): "
                + abbreviate(text));
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static JsonNode parse(String line) throws MalformedRecordException {
        try (JsonParser p = SparseJson.JSON.createParser(line)) {
            return SparseJson.read(p);
        } catch (JsonEOFException e) {
            throw new MalformedRecordException("truncated JSON: " + describe(e));
        } catch (JsonProcessingException e) {
            String tabs = line.indexOf('\t') >= 0 && line.charAt(0) != '{'
                    ? " (a Zeek TSV row without the #separator/#fields header it needs? a TSV log is read from its header)" : "";
            throw new MalformedRecordException("not JSON: " + describe(e) + tabs);
        } catch (IOException e) {
            throw new MalformedRecordException("not JSON: " + e.getMessage());
        }
    }

    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        msg = msg.replace('\n', ' ');
        if (msg.length() > 160) {
            msg = msg.substring(0, 160) + "...";
        }
        return e.getLocation() == null ? msg : msg + " at column " + e.getLocation().getColumnNr();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\uFEFF';
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private static String typeName(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------------------------------ own format

    private static Result own(JsonNode o) throws MalformedRecordException {
        try {
            return one(Dialect.OWN, LogTypes.FLOW_RECORD, FlowRecordJson.read(o));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("flow record: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ Zeek

    private static final String ZEEK_DNS = "Zeek dns.log record";
    private static final String ZEEK_SSL = "Zeek ssl.log record";
    private static final String ZEEK_QUIC = "Zeek quic.log record";
    private static final String ZEEK_HTTP = "Zeek http.log record";

    /** A Zeek JSON record; also the records {@link LogFileDecoder} makes of TSV rows. */
    static Result zeek(JsonNode o) throws MalformedRecordException {
        Dialect d = null;
        String type = null;
        JsonNode path = o.get("_path");
        if (path != null && path.isTextual()) {
            Result byPath = zeekByPath(path.asText());
            if (byPath != null) {
                return byPath;
            }
            type = LogTypes.zeek(path.asText());
            d = zeekPath(path.asText());
        }
        if (d == null) {
            d = zeekByFields(o);
            if (d == null) {
                String signature = ZeekSignatures.type(o);
                return empty(Dialect.OTHER, type != null ? type : signature != null ? signature : LogTypes.ZEEK_UNKNOWN);
            }
            if (type == null) {
                type = type(d);
            }
        }
        return switch (d) {
            case ZEEK_DNS -> zeekDns(o, type);
            case ZEEK_SSL -> zeekNamed(o, Dialect.ZEEK_SSL, type, ZEEK_SSL, Kind.TLS, "server_name");
            case ZEEK_QUIC -> zeekNamed(o, Dialect.ZEEK_QUIC, type, ZEEK_QUIC, Kind.QUIC, "server_name");
            case ZEEK_HTTP -> zeekNamed(o, Dialect.ZEEK_HTTP, type, ZEEK_HTTP, Kind.HTTP, "host");
            default -> throw new IllegalStateException(d.name());
        };
    }

    /**
     * The result of every Zeek record of this {@code _path} when the path alone decides it: a standard log without
     * names (conn, x509, ...), {@link Dialect#OTHER}. Null when the record's fields decide (dns, ssl, quic, http, or a
     * site's own log).
     */
    static Result zeekByPath(String path) {
        return zeekPath(path) == null && LogTypes.isStandardZeek(path) ? empty(Dialect.OTHER, LogTypes.zeek(path)) : null;
    }

    /** The dialect a Zeek {@code _path} of a log of names gives; null for any other path. */
    private static Dialect zeekPath(String path) {
        return switch (path) {
            case "dns" -> Dialect.ZEEK_DNS;
            case "ssl" -> Dialect.ZEEK_SSL;
            case "quic" -> Dialect.ZEEK_QUIC;
            case "http" -> Dialect.ZEEK_HTTP;
            default -> null;
        };
    }

    /** The log of names a record without a standard {@code _path} is from, by its fields; null for none of them. */
    private static Dialect zeekByFields(JsonNode o) {
        if (o.has("query") || o.has("qtype_name") || o.has("trans_id")) {
            return Dialect.ZEEK_DNS;
        }
        if (o.has("client_initial_dcid") || o.has("client_scid") || (o.has("client_protocol") && o.has("history"))) {
            return Dialect.ZEEK_QUIC;
        }
        if (o.has("server_name") || o.has("ssl_history") || o.has("cipher")) {
            return Dialect.ZEEK_SSL;
        }
        if ((o.has("trans_depth") || o.has("method") || o.has("uri")) && !ZeekSignatures.isSmtp(o)) {
            return Dialect.ZEEK_HTTP;
        }
        return null;
    }

    private static FlowRecord zeekBase(JsonNode o, String log, Kind kind) throws MalformedRecordException {
        FlowRecord r = new FlowRecord();
        r.kind = kind;
        r.timestamp = zeekTs(o, log);
        JsonNode nested = o.get("id");
        if (nested != null && !nested.isObject()) {
            nested = null;
        }
        r.clientIp = ip(field(o, nested, "id.orig_h", "orig_h"), log, "id.orig_h");
        r.clientPort = port(field(o, nested, "id.orig_p", "orig_p"), log, "id.orig_p");
        r.serverIp = ip(field(o, nested, "id.resp_h", "resp_h"), log, "id.resp_h");
        r.serverPort = port(field(o, nested, "id.resp_p", "resp_p"), log, "id.resp_p");
        String sensor = FlowRecordJson.optionalText(o, "_system_name");
        r.sensor = sensor != null ? sensor : FlowRecordJson.optionalText(o, "sensor");
        return r;
    }

    private static JsonNode field(JsonNode o, JsonNode nested, String flat, String inner) {
        JsonNode v = o.get(flat);
        return v == null && nested != null ? nested.get(inner) : v;
    }

    private static long zeekTs(JsonNode o, String log) throws MalformedRecordException {
        JsonNode ts = o.get("ts");
        if (ts == null || ts.isNull()) {
            throw new MalformedRecordException(log + " without \"ts\"");
        }
        if (ts.isNumber()) {
            double s = ts.asDouble();
            // Negative seconds (and 1e400, an infinity) fail the range check like any other time outside it.
            long t = s >= 0 ? Timestamps.fromEpochSeconds(s) : -1;
            if (!Timestamps.inRange(t)) {
                throw outOfRange(log, "ts", ts.asText());
            }
            return t;
        }
        if (ts.isTextual()) {
            return iso(ts.asText(), log, "ts");
        }
        throw new MalformedRecordException(log + ": \"ts\" is " + typeName(ts)
                + ", expected epoch seconds or an ISO-8601 string");
    }

    private static Result zeekDns(JsonNode o, String type) throws MalformedRecordException {
        FlowRecord r = zeekBase(o, ZEEK_DNS, Kind.DNS);
        r.name = requiredString(o, "query", ZEEK_DNS, "query");
        r.transport = transport(FlowRecordJson.optionalText(o, "proto"));
        r.queryType = optionalString(o, "qtype_name", ZEEK_DNS, "qtype_name");
        JsonNode answers = o.get("answers");
        if (answers != null && !answers.isNull()) {
            if (!answers.isArray()) {
                throw new MalformedRecordException(ZEEK_DNS + ": \"answers\" is " + typeName(answers) + ", expected an array");
            }
            JsonNode ttls = o.get("TTLs");
            if (ttls != null && !ttls.isNull() && !ttls.isArray()) {
                throw new MalformedRecordException(ZEEK_DNS + ": \"TTLs\" is " + typeName(ttls) + ", expected an array");
            }
            r.answers = new ArrayList<>(answers.size());
            for (int i = 0; i < answers.size(); i++) {
                JsonNode a = answers.get(i);
                if (!a.isTextual()) {
                    throw new MalformedRecordException(ZEEK_DNS + ": \"answers\" element " + i + " is " + typeName(a)
                            + ", expected a string");
                }
                JsonNode ttl = ttls == null ? null : ttls.get(i);
                long t = ttl != null && ttl.isNumber() ? (long) ttl.asDouble() : -1;
                String data = a.asText();
                r.answers.add(new DnsAnswer(zeekAnswerType(data, r.queryType), data, t));
            }
        }
        return one(Dialect.ZEEK_DNS, type, r);
    }

    /** See the class comment: Zeek logs answers without their type. */
    static String zeekAnswerType(String data, String qtype) {
        if (isIpv4(data)) {
            return "A";
        }
        if (isIpv6(data)) {
            return "AAAA";
        }
        if (data.startsWith("TXT ")) {
            return "TXT";
        }
        if (qtype == null) {
            return "CNAME";
        }
        return switch (qtype) {
            case "A", "AAAA", "CNAME", "HTTPS", "SVCB", "*", "ANY" -> "CNAME";
            default -> qtype;
        };
    }

    private static Result zeekNamed(JsonNode o, Dialect d, String type, String log, Kind kind, String nameField)
            throws MalformedRecordException {
        String name = optionalString(o, nameField, log, nameField);
        if (kind == Kind.HTTP && name != null) {
            name = stripPort(name);
        }
        if (name == null || name.isEmpty()) {
            return empty(d, type);
        }
        FlowRecord r = zeekBase(o, log, kind);
        r.name = name;
        switch (kind) {
            case QUIC -> {
                r.transport = "udp";
                String alpn = optionalString(o, "client_protocol", log, "client_protocol");
                if (alpn != null && !alpn.isEmpty()) {
                    r.alpn = new ArrayList<>(1);
                    r.alpn.add(alpn);
                }
            }
            case HTTP -> {
                r.transport = "tcp";
                r.userAgent = FlowRecordJson.optionalText(o, "user_agent"); // evidence only: an odd value never rejects the line
            }
            case TLS -> {
                // ssl.log has no transport column and also logs QUIC handshakes; only DTLS says "udp".
                String version = FlowRecordJson.optionalText(o, "version");
                r.transport = version != null && version.startsWith("DTLS") ? "udp" : null;
            }
            default -> { }
        }
        return one(d, type, r);
    }

    // ------------------------------------------------------------------------------------------ Suricata

    private static final String SURI_DNS = "Suricata dns event";
    private static final String SURI_TLS = "Suricata tls event";
    private static final String SURI_QUIC = "Suricata quic event";
    private static final String SURI_HTTP = "Suricata http event";

    private static Result suricata(JsonNode o, JsonNode eventType) throws MalformedRecordException {
        if (!eventType.isTextual()) {
            throw new MalformedRecordException("Suricata \"event_type\" is " + typeName(eventType) + ", expected a string");
        }
        return switch (eventType.asText()) {
            case "dns" -> suricataDns(o);
            case "tls" -> suricataNamed(o, Dialect.SURICATA_TLS, SURI_TLS, Kind.TLS, "tls", "sni");
            case "quic" -> suricataNamed(o, Dialect.SURICATA_QUIC, SURI_QUIC, Kind.QUIC, "quic", "sni");
            case "http" -> suricataNamed(o, Dialect.SURICATA_HTTP, SURI_HTTP, Kind.HTTP, "http", "hostname");
            default -> empty(Dialect.OTHER, LogTypes.suricata(eventType.asText()));
        };
    }

    /** Common EVE fields; the client is src_ip unless {@code swap}. */
    private static FlowRecord suricataBase(JsonNode o, String log, Kind kind, boolean swap) throws MalformedRecordException {
        FlowRecord r = new FlowRecord();
        r.kind = kind;
        r.timestamp = iso(requiredString(o, "timestamp", log, "timestamp"), log, "timestamp");
        String src = ip(o.get("src_ip"), log, "src_ip");
        int srcPort = port(o.get("src_port"), log, "src_port");
        String dst = ip(o.get("dest_ip"), log, "dest_ip");
        int dstPort = port(o.get("dest_port"), log, "dest_port");
        r.clientIp = swap ? dst : src;
        r.clientPort = swap ? dstPort : srcPort;
        r.serverIp = swap ? src : dst;
        r.serverPort = swap ? srcPort : dstPort;
        r.transport = transport(FlowRecordJson.optionalText(o, "proto"));
        r.sensor = FlowRecordJson.optionalText(o, "host");
        return r;
    }

    private static JsonNode requiredObject(JsonNode o, String field, String log) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedRecordException(log + " without \"" + field + "\" object");
        }
        if (!v.isObject()) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is " + typeName(v) + ", expected an object");
        }
        return v;
    }

    private static Result suricataNamed(JsonNode o, Dialect d, String log, Kind kind, String objField, String nameField)
            throws MalformedRecordException {
        JsonNode obj = requiredObject(o, objField, log);
        String name = optionalString(obj, nameField, log, objField + "." + nameField);
        if (kind == Kind.HTTP && name != null) {
            name = stripPort(name);
        }
        if (name == null || name.isEmpty()) {
            return empty(d, type(d));
        }
        FlowRecord r = suricataBase(o, log, kind, false);
        r.name = name;
        if (r.transport == null) {
            r.transport = kind == Kind.QUIC ? "udp" : "tcp";
        }
        if (kind == Kind.TLS) {
            r.alpn = FlowRecordJson.optionalTextList(obj, "client_alpns");
        } else if (kind == Kind.HTTP) {
            r.userAgent = FlowRecordJson.optionalText(obj, "http_user_agent");
        }
        return one(d, type(d), r);
    }

    private static Result suricataDns(JsonNode o) throws MalformedRecordException {
        JsonNode dns = requiredObject(o, "dns", SURI_DNS);
        String type = requiredString(dns, "type", SURI_DNS, "dns.type");
        boolean response;
        switch (type) {
            case "query", "request" -> response = false;
            case "answer", "response" -> response = true;
            default -> throw new MalformedRecordException(SURI_DNS + " with dns.type \"" + type
                    + "\", expected query, request, answer or response");
        }
        boolean swap = false;
        if (response) {
            int srcPort = o.path("src_port").asInt(0);
            int dstPort = o.path("dest_port").asInt(0);
            // The DNS server is the side on port 53; if the ports do not say, EVE v3 puts the responder in src_ip.
            swap = !(dstPort == 53 && srcPort != 53);
        }
        FlowRecord base = suricataBase(o, SURI_DNS, Kind.DNS, swap);
        List<DnsAnswer> answers = response ? suricataAnswers(dns) : null;

        JsonNode queries = dns.get("queries");
        if (queries != null && !queries.isNull()) {
            // EVE v3 (Suricata 8): one record per question.
            if (!queries.isArray()) {
                throw new MalformedRecordException(SURI_DNS + ": \"dns.queries\" is " + typeName(queries) + ", expected an array");
            }
            if (queries.isEmpty()) {
                return empty(Dialect.SURICATA_DNS, LogTypes.SURICATA_DNS);
            }
            List<FlowRecord> out = new ArrayList<>(queries.size());
            for (JsonNode q : queries) {
                if (!q.isObject()) {
                    throw new MalformedRecordException(SURI_DNS + ": \"dns.queries\" element is " + typeName(q) + ", expected an object");
                }
                FlowRecord r = out.isEmpty() ? base : base.copy();
                r.name = requiredString(q, "rrname", SURI_DNS, "dns.queries[].rrname");
                r.queryType = optionalString(q, "rrtype", SURI_DNS, "dns.queries[].rrtype");
                r.answers = answers == null ? null : out.isEmpty() ? answers : new ArrayList<>(answers);
                out.add(r);
            }
            return new Result(Dialect.SURICATA_DNS, LogTypes.SURICATA_DNS, out);
        }
        // EVE v1/v2 (Suricata <= 7): the question is dns.rrname / dns.rrtype.
        base.name = requiredString(dns, "rrname", SURI_DNS, "dns.rrname");
        base.queryType = optionalString(dns, "rrtype", SURI_DNS, "dns.rrtype");
        base.answers = answers;
        return one(Dialect.SURICATA_DNS, LogTypes.SURICATA_DNS, base);
    }

    /** Answers of a v2/v3 response: detailed {@code answers[]}, the grouped form, or the v1 one-answer-per-event form. */
    private static List<DnsAnswer> suricataAnswers(JsonNode dns) throws MalformedRecordException {
        List<DnsAnswer> out = new ArrayList<>();
        JsonNode answers = dns.get("answers");
        if (answers != null && !answers.isNull()) {
            if (!answers.isArray()) {
                throw new MalformedRecordException(SURI_DNS + ": \"dns.answers\" is " + typeName(answers) + ", expected an array");
            }
            for (JsonNode a : answers) {
                JsonNode rdata = a.get("rdata");
                if (rdata != null && rdata.isValueNode() && !rdata.isNull()) {
                    // SOA/SRV/... answers carry an object instead of rdata: not an address or alias, left out.
                    out.add(new DnsAnswer(a.path("rrtype").asText(null), rdata.asText(), a.path("ttl").asLong(-1)));
                }
            }
            return out;
        }
        JsonNode grouped = dns.get("grouped");
        if (grouped != null && grouped.isObject()) {
            var it = grouped.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getValue().isArray()) {
                    for (JsonNode v : e.getValue()) {
                        if (v.isValueNode()) {
                            out.add(new DnsAnswer(e.getKey(), v.asText(), -1));
                        }
                    }
                }
            }
            return out;
        }
        JsonNode rdata = dns.get("rdata");
        if (rdata != null && rdata.isValueNode() && !rdata.isNull()) {
            out.add(new DnsAnswer(dns.path("rrtype").asText(null), rdata.asText(), dns.path("ttl").asLong(-1)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static Result one(Dialect d, String type, FlowRecord r) {
        List<FlowRecord> l = new ArrayList<>(1);
        l.add(r);
        return new Result(d, type, l);
    }

    /** An ISO-8601 time of {@code field}; a text that is no such time is malformed in the formatter's words. */
    private static long iso(String text, String log, String field) throws MalformedRecordException {
        long t;
        try {
            t = Timestamps.fromIso(text);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
        if (!Timestamps.inRange(t)) {
            throw outOfRange(log, field, "\"" + text + "\"");
        }
        return t;
    }

    /** A time outside 1970 to 9999 ({@link Timestamps#inRange}); {@code written} is how the line gives it. */
    private static MalformedRecordException outOfRange(String log, String field, String written) {
        return new MalformedRecordException(log + ": " + Timestamps.outOfRange(field, written));
    }

    /** A required non-empty string field; {@code path} is how the message names it ("query", "dns.rrname"). */
    private static String requiredString(JsonNode o, String field, String log, String path) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new MalformedRecordException(log + " without \"" + path + "\"");
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + path + "\" is " + typeName(v) + ", expected a string");
        }
        return v.asText();
    }

    private static String optionalString(JsonNode o, String field, String log, String path) throws MalformedRecordException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + path + "\" is " + typeName(v) + ", expected a string");
        }
        return v.asText();
    }

    private static String ip(JsonNode v, String log, String field) throws MalformedRecordException {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            throw new MalformedRecordException(log + " without \"" + field + "\"");
        }
        if (!v.isTextual()) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is " + typeName(v) + ", expected an IP address string");
        }
        String s = v.asText();
        if (!isIpv4(s) && !isIpv6(s)) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is not an IP address: \"" + abbreviate(s) + "\"");
        }
        return s;
    }

    /** A port number; 0 when absent (e.g. ICMP). */
    private static int port(JsonNode v, String log, String field) throws MalformedRecordException {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 65535) {
            throw new MalformedRecordException(log + ": \"" + field + "\" is not a port number: " + abbreviate(v.toString()));
        }
        return v.asInt();
    }

    private static String transport(String proto) {
        if (proto == null) {
            return null;
        }
        if (proto.equalsIgnoreCase("udp")) {
            return "udp";
        }
        if (proto.equalsIgnoreCase("tcp")) {
            return "tcp";
        }
        return proto.toLowerCase(java.util.Locale.ROOT);
    }

    /** "host:8080" → "host", "[v6]:80" → "v6"; a bare IPv6 literal is left alone. */
    static String stripPort(String h) {
        if (!h.isEmpty() && h.charAt(0) == '[') {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int c = h.indexOf(':');
        if (c < 0 || h.indexOf(':', c + 1) >= 0) {
            return h;
        }
        for (int i = c + 1; i < h.length(); i++) {
            char ch = h.charAt(i);
            if (ch < '0' || ch > '9') {
                return h;
            }
        }
        return h.substring(0, c);
    }

    static boolean isIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    /** Loose IPv6 literal check: hex digits, colons (at least two), an optional embedded IPv4 or %zone. */
    static boolean isIpv6(String s) {
        int n = s.length();
        if (n < 2 || n > 45) {
            return false;
        }
        int colons = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
            } else if (c == '%') {
                break;
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.')) {
                return false;
            }
        }
        return colons >= 2 && colons <= 7;
    }
}
