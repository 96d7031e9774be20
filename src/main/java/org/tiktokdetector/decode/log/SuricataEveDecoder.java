package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.decode.log.LogLineDecoder.Result;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Kind;

import java.util.ArrayList;
import java.util.List;

import static org.tiktokdetector.decode.log.Fields.ip;
import static org.tiktokdetector.decode.log.Fields.iso;
import static org.tiktokdetector.decode.log.Fields.optionalString;
import static org.tiktokdetector.decode.log.Fields.port;
import static org.tiktokdetector.decode.log.Fields.requiredObject;
import static org.tiktokdetector.decode.log.Fields.requiredString;
import static org.tiktokdetector.decode.log.Fields.stripPort;
import static org.tiktokdetector.decode.log.Fields.transport;
import static org.tiktokdetector.decode.log.Fields.typeName;
import static org.tiktokdetector.decode.log.Keep.ALL;
import static org.tiktokdetector.decode.log.Keep.only;

/**
 * Suricata's EVE JSON: dns, tls, quic and http events give flow records, dhcp events address bindings; every other event type (flow, alert, stats,
 * anomaly, fileinfo, ...) is {@link Dialect#OTHER}.
 *
 * <p>DNS: the client of a request (v2 "query", v3 "request") is {@code src_ip}. For a response (v2 "answer", v3
 * "response") the server side is the one on port 53 (Suricata 7 and 8 disagree on which side of a response is
 * {@code src_ip}); when the ports do not tell, the client is {@code dest_ip}. A v3 record with several
 * {@code queries[]} yields one record per query. The sensor name is {@code host}.
 */
final class SuricataEveDecoder {
    /** Every field this decoder reads. */
    static final Keep FIELDS = only(
            "event_type", ALL, "timestamp", ALL, "src_ip", ALL, "src_port", ALL, "dest_ip", ALL, "dest_port", ALL,
            "proto", ALL, "host", ALL, "flow_id", ALL, "community_id", ALL,
            "tls", only("sni", ALL, "client_alpns", ALL), "quic", only("sni", ALL),
            "http", only("hostname", ALL, "http_user_agent", ALL),
            "dhcp", only("dhcp_type", ALL, "client_mac", ALL, "assigned_ip", ALL, "client_ip", ALL, "lease_time", ALL,
                    "renewal_time", ALL, "hostname", ALL),
            "dns", only("type", ALL, "rrname", ALL, "rrtype", ALL, "rdata", ALL, "ttl", ALL, "grouped", ALL,
                    "queries", only("rrname", ALL, "rrtype", ALL),
                    "answers", only("rrtype", ALL, "rdata", ALL, "ttl", ALL)));

    private static final String SURI_DNS = "Suricata dns event";
    private static final String SURI_TLS = "Suricata tls event";
    private static final String SURI_QUIC = "Suricata quic event";
    private static final String SURI_HTTP = "Suricata http event";
    private static final String SURI_DHCP = "Suricata dhcp event";

    private SuricataEveDecoder() {}

    static Result decode(JsonNode o, JsonNode eventType) throws MalformedRecordException {
        if (!eventType.isTextual()) {
            throw new MalformedRecordException("Suricata \"event_type\" is " + typeName(eventType) + ", expected a string");
        }
        return switch (eventType.asText()) {
            case "dns" -> dns(o);
            case "tls" -> named(o, Dialect.SURICATA_TLS, SURI_TLS, Kind.TLS, "tls", "sni");
            case "quic" -> named(o, Dialect.SURICATA_QUIC, SURI_QUIC, Kind.QUIC, "quic", "sni");
            case "http" -> named(o, Dialect.SURICATA_HTTP, SURI_HTTP, Kind.HTTP, "http", "hostname");
            case "dhcp" -> dhcp(o);
            default -> Result.empty(Dialect.OTHER, LogTypes.suricata(eventType.asText()));
        };
    }

    /** Common EVE fields; the client is src_ip unless {@code swap}. */
    private static FlowRecord base(JsonNode o, String log, Kind kind, boolean swap) throws MalformedRecordException {
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
        r.flowId = o.path("flow_id").asLong(0);
        r.communityId = FlowRecordJson.optionalText(o, "community_id"); // with community-id: true in suricata.yaml
        return r;
    }

    private static Result named(JsonNode o, Dialect d, String log, Kind kind, String objField, String nameField)
            throws MalformedRecordException {
        JsonNode obj = requiredObject(o, objField, log);
        String name = optionalString(obj, nameField, log, objField + "." + nameField);
        if (kind == Kind.HTTP && name != null) {
            name = stripPort(name);
        }
        if (name == null || name.isEmpty()) {
            return Result.empty(d, LogTypes.of(d));
        }
        FlowRecord r = base(o, log, kind, false);
        r.name = name;
        if (r.transport == null) {
            r.transport = kind == Kind.QUIC ? "udp" : "tcp";
        }
        if (kind == Kind.TLS) {
            r.alpn = FlowRecordJson.optionalTextList(obj, "client_alpns");
        } else if (kind == Kind.HTTP) {
            r.userAgent = FlowRecordJson.optionalText(obj, "http_user_agent");
        }
        return Result.one(d, LogTypes.of(d), r);
    }

    /**
     * An ACK binds {@code dhcp.assigned_ip} to {@code dhcp.client_mac}; a RELEASE gives up the client's address
     * ({@code dhcp.client_ip}, logged with {@code extended: yes}, else the event's {@code src_ip}); other messages
     * bind nothing. The lease is {@code dhcp.lease_time}, logged only with {@code extended: yes}; without it, twice
     * {@code dhcp.renewal_time} (T1 is half the lease by default, RFC 2131 4.4.5), marked as estimated.
     */
    static Result dhcp(JsonNode o) throws MalformedRecordException {
        JsonNode dhcp = requiredObject(o, "dhcp", SURI_DHCP);
        String type = optionalString(dhcp, "dhcp_type", SURI_DHCP, "dhcp.dhcp_type");
        Binding b = new Binding();
        b.source = Binding.Source.DHCP;
        if ("ack".equals(type)) {
            b.action = Binding.Action.START;
            b.ip = ip(dhcp.get("assigned_ip"), SURI_DHCP, "dhcp.assigned_ip");
            b.mac = requiredString(dhcp, "client_mac", SURI_DHCP, "dhcp.client_mac");
            long lease = seconds(dhcp, "lease_time");
            long renewal = seconds(dhcp, "renewal_time");
            if (lease >= 0) {
                b.leaseSeconds = lease;
            } else if (renewal >= 0) {
                b.leaseSeconds = 2 * renewal;
                b.leaseEstimated = true;
            }
            b.hostName = optionalString(dhcp, "hostname", SURI_DHCP, "dhcp.hostname");
        } else if ("release".equals(type)) {
            b.action = Binding.Action.STOP;
            JsonNode client = dhcp.get("client_ip");
            b.ip = client != null && !client.isNull() && !"0.0.0.0".equals(client.asText())
                    ? ip(client, SURI_DHCP, "dhcp.client_ip") : ip(o.get("src_ip"), SURI_DHCP, "src_ip");
            b.mac = optionalString(dhcp, "client_mac", SURI_DHCP, "dhcp.client_mac");
        } else {
            return Result.empty(Dialect.SURICATA_DHCP, LogTypes.SURICATA_DHCP);
        }
        b.timestamp = iso(requiredString(o, "timestamp", SURI_DHCP, "timestamp"), SURI_DHCP, "timestamp");
        b.sensor = FlowRecordJson.optionalText(o, "host");
        return Result.binding(Dialect.SURICATA_DHCP, LogTypes.SURICATA_DHCP, b);
    }

    /** A number of seconds in {@code dhcp}; -1 when absent. */
    private static long seconds(JsonNode dhcp, String field) throws MalformedRecordException {
        JsonNode v = dhcp.get(field);
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.canConvertToLong() || v.asLong() < 0) {
            throw new MalformedRecordException(SURI_DHCP + ": \"dhcp." + field + "\" is " + typeName(v) + " " + Fields.abbreviate(v.toString())
                    + ", expected seconds");
        }
        return v.asLong();
    }

    private static Result dns(JsonNode o) throws MalformedRecordException {
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
        FlowRecord base = base(o, SURI_DNS, Kind.DNS, swap);
        List<DnsAnswer> answers = response ? responseAnswers(dns) : null;

        JsonNode queries = dns.get("queries");
        if (queries != null && !queries.isNull()) {
            // EVE v3 (Suricata 8): one record per question.
            if (!queries.isArray()) {
                throw new MalformedRecordException(SURI_DNS + ": \"dns.queries\" is " + typeName(queries) + ", expected an array");
            }
            if (queries.isEmpty()) {
                return Result.empty(Dialect.SURICATA_DNS, LogTypes.SURICATA_DNS);
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
        return Result.one(Dialect.SURICATA_DNS, LogTypes.SURICATA_DNS, base);
    }

    /** Answers of a v2/v3 response: detailed {@code answers[]}, the grouped form, or the v1 one-answer-per-event form. */
    private static List<DnsAnswer> responseAnswers(JsonNode dns) throws MalformedRecordException {
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
}
