package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The project's own flow-record JSON, one object per line (README "Flow record"):
 * <pre>
 * {"ts":"2026-11-25T09:14:03.120Z","sensor":"tap-1","kind":"dns","transport":"udp",
 *  "client_ip":"10.20.0.15","client_port":53211,"server_ip":"10.20.0.1","server_port":53,
 *  "name":"api16-normal-c-useast1a.tiktokv.com","qtype":"A",
 *  "answers":[{"type":"A","data":"23.1.2.3","ttl":60}],"alpn":["h2"],"ech":false,
 *  "device_id":"LAPTOP-0042","mac":"3c:22:fb:01:02:03",
 *  "tunnel":[{"type":"vxlan","id":100,"outer_src":"192.0.2.1","outer_dst":"192.0.2.2"}],
 *  "uid":"CHhAvVGS1DHFjwGM9","flow_id":1234567,"community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
 *  "source":"/var/log/zeek/dns.log","line":17,"packet":0}
 * </pre>
 * Required: ts, kind, client_ip, name. Absent optional fields are left out when written. Written by
 * {@link FlowRecordWriter}, read here with Jackson.
 */
public final class FlowRecordJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private FlowRecordJson() {}

    public static String write(FlowRecord r) {
        JsonBytes out = new JsonBytes(256);
        FlowRecordWriter.write(r, out);
        return out.toString();
    }

    /**
     * Every field {@link #read} reads (each whole): a reader that keeps only some fields of a line (the log decoder's
     * sparse readers) keeps these. {@code FlowRecordFieldsTest} fails when a field is missing here.
     */
    public static final List<String> FIELDS = List.of("ts", "kind", "client_ip", "name", "sensor", "transport",
            "client_port", "server_ip", "server_port", "qtype", "answers", "alpn", "ech", "device_id", "mac",
            "user_agent", "tunnel", "uid", "flow_id", "community_id", "source", "line", "packet");

    /**
     * Reads one record in this form.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static FlowRecord read(JsonNode o) {
        FlowRecord r = new FlowRecord();
        String ts = requiredText(o, "ts");
        r.timestamp = Timestamps.fromIso(ts);
        if (!Timestamps.inRange(r.timestamp)) {
            throw new IllegalArgumentException(Timestamps.outOfRange("ts", "\"" + ts + "\""));
        }
        r.kind = Kind.fromJson(requiredText(o, "kind"));
        r.clientIp = requiredText(o, "client_ip");
        r.name = requiredText(o, "name");
        r.sensor = optionalText(o, "sensor");
        r.transport = optionalText(o, "transport");
        r.clientPort = o.path("client_port").asInt(0);
        r.serverIp = optionalText(o, "server_ip");
        r.serverPort = o.path("server_port").asInt(0);
        r.queryType = optionalText(o, "qtype");
        JsonNode answers = o.get("answers");
        if (answers != null && answers.isArray()) {
            r.answers = new ArrayList<>(answers.size());
            for (JsonNode a : answers) {
                r.answers.add(new DnsAnswer(requiredText(a, "type"), requiredText(a, "data"), a.path("ttl").asLong(-1)));
            }
        }
        r.alpn = optionalTextList(o, "alpn");
        r.ech = o.path("ech").asBoolean(false);
        r.deviceId = optionalText(o, "device_id");
        r.mac = optionalText(o, "mac");
        r.userAgent = optionalText(o, "user_agent");
        JsonNode tunnel = o.get("tunnel");
        if (tunnel != null && tunnel.isArray()) {
            r.tunnel = new ArrayList<>(tunnel.size());
            for (JsonNode l : tunnel) {
                r.tunnel.add(new TunnelLayer(requiredText(l, "type"), l.path("id").asLong(-1), optionalText(l, "outer_src"),
                        optionalText(l, "outer_dst")));
            }
        }
        r.uid = optionalText(o, "uid");
        r.flowId = o.path("flow_id").asLong(0);
        r.communityId = optionalText(o, "community_id");
        r.source = optionalText(o, "source");
        r.line = o.path("line").asLong(0);
        r.packet = o.path("packet").asLong(0);
        return r;
    }

    public static String requiredText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        return v.asText();
    }

    public static String optionalText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** Text values of a JSON array field, or null when the field is absent. */
    public static List<String> optionalTextList(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (!(v instanceof ArrayNode)) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    /** A fresh object node; used by writers of the other record types. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
