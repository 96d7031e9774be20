package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.decode.log.LogLineDecoder.Result;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Timestamps;

import java.util.ArrayList;

import static org.tiktokdetector.decode.log.Fields.ip;
import static org.tiktokdetector.decode.log.Fields.isIpv4;
import static org.tiktokdetector.decode.log.Fields.isIpv6;
import static org.tiktokdetector.decode.log.Fields.iso;
import static org.tiktokdetector.decode.log.Fields.optionalString;
import static org.tiktokdetector.decode.log.Fields.outOfRange;
import static org.tiktokdetector.decode.log.Fields.port;
import static org.tiktokdetector.decode.log.Fields.requiredString;
import static org.tiktokdetector.decode.log.Fields.stripPort;
import static org.tiktokdetector.decode.log.Fields.transport;
import static org.tiktokdetector.decode.log.Fields.typeName;
import static org.tiktokdetector.decode.log.Keep.ALL;
import static org.tiktokdetector.decode.log.Keep.PRESENCE;
import static org.tiktokdetector.decode.log.Keep.only;

/**
 * Zeek's JSON logs (and the records {@link LogFileDecoder} makes of TSV rows): dns.log, ssl.log, quic.log and
 * http.log give flow records, dhcp.log address bindings; any other log is {@link Dialect#OTHER}, told by {@code _path} or {@link ZeekSignatures}.
 * The dialect rules are in {@link LogLineDecoder}'s class comment.
 *
 * <p>Zeek dns.log {@code answers} are bare strings parallel to {@code TTLs}. Heuristic for the answer type: an IPv4
 * literal → A, an IPv6 literal → AAAA, a string starting with "TXT " → TXT; any other name → CNAME when the query type
 * is A, AAAA, CNAME, HTTPS, SVCB or unknown (a name in such an answer is a CNAME target), otherwise the query type
 * (PTR, MX, NS, ...). Zeek has no sensor name in its records: {@code _system_name} or {@code sensor} is used when
 * present, otherwise null.
 */
final class ZeekJsonDecoder {
    /** Every field this decoder reads; {@link ZeekSignatures#FIELDS} adds those of the signatures. */
    static final Keep FIELDS = only(
            // which log: _path, else the fields of dns, quic, ssl, http
            "_path", ALL, "query", ALL, "qtype_name", ALL, "trans_id", PRESENCE,
            "client_initial_dcid", PRESENCE, "client_scid", PRESENCE, "client_protocol", ALL, "history", PRESENCE,
            "server_name", ALL, "ssl_history", PRESENCE, "cipher", PRESENCE,
            "trans_depth", PRESENCE, "method", PRESENCE, "uri", PRESENCE,
            // every log of names
            "ts", ALL, "id", ALL, "id.orig_h", ALL, "id.orig_p", ALL, "id.resp_h", ALL, "id.resp_p", ALL,
            "_system_name", ALL, "sensor", ALL, "uid", ALL, "community_id", ALL,
            // dns.log
            "proto", ALL, "answers", ALL, "TTLs", ALL,
            // ssl.log, http.log
            "version", ALL, "host", ALL, "user_agent", ALL,
            // dhcp.log
            "msg_types", ALL, "assigned_addr", ALL, "client_addr", ALL, "mac", ALL, "host_name", ALL, "client_fqdn", ALL,
            "lease_time", ALL);

    private static final String ZEEK_DNS = "Zeek dns.log record";
    private static final String ZEEK_SSL = "Zeek ssl.log record";
    private static final String ZEEK_QUIC = "Zeek quic.log record";
    private static final String ZEEK_HTTP = "Zeek http.log record";
    private static final String ZEEK_DHCP = "Zeek dhcp.log record";

    private ZeekJsonDecoder() {}

    /** A Zeek JSON record; also the records {@link LogFileDecoder} makes of TSV rows. */
    static Result decode(JsonNode o) throws MalformedRecordException {
        Dialect d = null;
        String type = null;
        JsonNode path = o.get("_path");
        if (path != null && path.isTextual()) {
            Result byPath = byPath(path.asText());
            if (byPath != null) {
                return byPath;
            }
            type = LogTypes.zeek(path.asText());
            d = dialectOfPath(path.asText());
        }
        if (d == null) {
            d = dialectOfFields(o);
            if (d == null) {
                String signature = ZeekSignatures.type(o);
                return Result.empty(Dialect.OTHER, type != null ? type : signature != null ? signature : LogTypes.ZEEK_UNKNOWN);
            }
            if (type == null) {
                type = LogTypes.of(d);
            }
        }
        return switch (d) {
            case ZEEK_DNS -> dns(o, type);
            case ZEEK_SSL -> named(o, Dialect.ZEEK_SSL, type, ZEEK_SSL, Kind.TLS, "server_name");
            case ZEEK_QUIC -> named(o, Dialect.ZEEK_QUIC, type, ZEEK_QUIC, Kind.QUIC, "server_name");
            case ZEEK_HTTP -> named(o, Dialect.ZEEK_HTTP, type, ZEEK_HTTP, Kind.HTTP, "host");
            case ZEEK_DHCP -> dhcp(o, type);
            default -> throw new IllegalStateException(d.name());
        };
    }

    /**
     * The result of every Zeek record of this {@code _path} when the path alone decides it: a standard log without
     * names (conn, x509, ...), {@link Dialect#OTHER}. Null when the record's fields decide (dns, ssl, quic, http, or a
     * site's own log).
     */
    static Result byPath(String path) {
        return dialectOfPath(path) == null && LogTypes.isStandardZeek(path) ? Result.empty(Dialect.OTHER, LogTypes.zeek(path)) : null;
    }

    /** The dialect a Zeek {@code _path} of a log of names gives; null for any other path. */
    private static Dialect dialectOfPath(String path) {
        return switch (path) {
            case "dns" -> Dialect.ZEEK_DNS;
            case "ssl" -> Dialect.ZEEK_SSL;
            case "quic" -> Dialect.ZEEK_QUIC;
            case "http" -> Dialect.ZEEK_HTTP;
            case "dhcp" -> Dialect.ZEEK_DHCP;
            default -> null;
        };
    }

    /** The log of names (or dhcp.log) a record without a standard {@code _path} is from, by its fields; null for none of them. */
    private static Dialect dialectOfFields(JsonNode o) {
        if (o.has("assigned_addr") || o.has("msg_types")) {
            return Dialect.ZEEK_DHCP;
        }
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

    private static FlowRecord base(JsonNode o, String log, Kind kind) throws MalformedRecordException {
        FlowRecord r = new FlowRecord();
        r.kind = kind;
        r.timestamp = ts(o, log);
        JsonNode nested = o.get("id");
        if (nested != null && !nested.isObject()) {
            nested = null;
        }
        r.clientIp = ip(field(o, nested, "id.orig_h", "orig_h"), log, "id.orig_h");
        r.clientPort = port(field(o, nested, "id.orig_p", "orig_p"), log, "id.orig_p");
        r.serverIp = ip(field(o, nested, "id.resp_h", "resp_h"), log, "id.resp_h");
        r.serverPort = port(field(o, nested, "id.resp_p", "resp_p"), log, "id.resp_p");
        r.sensor = sensor(o);
        r.uid = FlowRecordJson.optionalText(o, "uid");
        r.communityId = FlowRecordJson.optionalText(o, "community_id"); // community-id-logging.zeek, where loaded
        return r;
    }

    private static String sensor(JsonNode o) {
        String sensor = FlowRecordJson.optionalText(o, "_system_name");
        return sensor != null ? sensor : FlowRecordJson.optionalText(o, "sensor");
    }

    private static JsonNode field(JsonNode o, JsonNode nested, String flat, String inner) {
        JsonNode v = o.get(flat);
        return v == null && nested != null ? nested.get(inner) : v;
    }

    private static long ts(JsonNode o, String log) throws MalformedRecordException {
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

    private static Result dns(JsonNode o, String type) throws MalformedRecordException {
        FlowRecord r = base(o, ZEEK_DNS, Kind.DNS);
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
                r.answers.add(new DnsAnswer(answerType(data, r.queryType), data, t));
            }
        }
        return Result.one(Dialect.ZEEK_DNS, type, r);
    }

    /** See the class comment: Zeek logs answers without their type. */
    static String answerType(String data, String qtype) {
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

    /**
     * A dhcp.log line sums up one exchange ({@code msg_types} in order, e.g. DISCOVER,OFFER,REQUEST,ACK). The last of
     * ACK, NAK, DECLINE and RELEASE decides: ACK binds {@code assigned_addr} to {@code mac} for {@code lease_time}, RELEASE
     * gives up {@code client_addr}; anything else (a NAK or DECLINE last, an INFORM, an exchange without an answer)
     * binds nothing. Zeek logs a RELEASE whose client left {@code ciaddr} empty without an address: nothing to end.
     */
    private static Result dhcp(JsonNode o, String type) throws MalformedRecordException {
        JsonNode msgTypes = o.get("msg_types");
        if (msgTypes != null && !msgTypes.isNull() && !msgTypes.isArray()) {
            throw new MalformedRecordException(ZEEK_DHCP + ": \"msg_types\" is " + typeName(msgTypes) + ", expected an array");
        }
        String last = null;
        if (msgTypes != null) {
            for (JsonNode m : msgTypes) {
                switch (m.asText()) {
                    case "ACK", "NAK", "DECLINE", "RELEASE" -> last = m.asText();
                    default -> { }
                }
            }
        }
        Binding b = new Binding();
        b.source = Binding.Source.DHCP;
        b.timestamp = ts(o, ZEEK_DHCP);
        b.sensor = sensor(o);
        if ("ACK".equals(last) && o.hasNonNull("assigned_addr")) {
            b.action = Binding.Action.START;
            b.ip = ip(o.get("assigned_addr"), ZEEK_DHCP, "assigned_addr");
            b.mac = requiredString(o, "mac", ZEEK_DHCP, "mac");
            JsonNode lease = o.get("lease_time");
            if (lease != null && !lease.isNull()) {
                if (!lease.isNumber() || lease.asDouble() < 0) {
                    throw new MalformedRecordException(ZEEK_DHCP + ": \"lease_time\" is " + typeName(lease) + " " + lease
                            + ", expected seconds");
                }
                b.leaseSeconds = lease.asLong();
            }
            String host = optionalString(o, "host_name", ZEEK_DHCP, "host_name");
            b.hostName = host != null ? host : optionalString(o, "client_fqdn", ZEEK_DHCP, "client_fqdn");
        } else if ("RELEASE".equals(last) && o.hasNonNull("client_addr")) {
            b.action = Binding.Action.STOP;
            b.ip = ip(o.get("client_addr"), ZEEK_DHCP, "client_addr");
            b.mac = optionalString(o, "mac", ZEEK_DHCP, "mac");
        } else {
            return Result.empty(Dialect.ZEEK_DHCP, type);
        }
        return Result.binding(Dialect.ZEEK_DHCP, type, b);
    }

    private static Result named(JsonNode o, Dialect d, String type, String log, Kind kind, String nameField)
            throws MalformedRecordException {
        String name = optionalString(o, nameField, log, nameField);
        if (kind == Kind.HTTP && name != null) {
            name = stripPort(name);
        }
        if (name == null || name.isEmpty()) {
            return Result.empty(d, type);
        }
        FlowRecord r = base(o, log, kind);
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
        return Result.one(d, type, r);
    }
}
