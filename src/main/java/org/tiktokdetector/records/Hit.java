package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One flow record that a blocklist rule matched, attributed to a device. Written to the audit
 * output one per line (README "Hit"); the window stage aggregates them into {@link Violation}s.
 */
public class Hit {
    public long timestamp;
    /** Inventory device id, or the client address when the inventory does not know the device. */
    public String deviceId;
    public String owner;
    public String department;
    public String clientIp;
    public String mac;
    public String sensor;
    public Kind kind;
    public String serverIp;
    public int serverPort;
    /** The name as observed; the rule decided on its normal form. */
    public String name;
    /** The rule in list syntax, e.g. "tiktokv.com" or "=v16m.tiktokcdn.com.c.footprint.net". */
    public String rule;
    public String ruleOrigin;
    public Category category;
    public long listVersion;
    public List<DnsAnswer> answers;
    public boolean ech;
    /** The client's user agent when the observation carried one (HTTP, Google QUIC); null otherwise. */
    public String userAgent;
    /** The encapsulations the record was found in, outermost first; null when none. */
    public List<TunnelLayer> tunnel;
    /** The evidence handles of the record the hit came from (FlowRecord's fields of the same names). */
    public String uid;
    public long flowId;
    public String communityId;
    public String source;
    public long line;
    public long packet;
    /** Why the hit was not counted in its window; set only on the late-hits output. */
    public String lateReason;
    /**
     * How the device was told ({@code DeviceAttribution}): mac (the flow record's MAC is in the inventory), lease
     * (a DHCP lease held the address), nac (a NAC session did), inventory-ip, asserted (the sensor's device id) or
     * client-ip.
     */
    public String attribution;
    /** Why no binding applied, for a hit without a MAC or device id: no-lease (none known for the address) or expired. */
    public String bindingMiss;
    /** The DHCP host name of the binding that named the device. */
    public String hostName;
    /** The NAC user name of the binding that named the device. */
    public String userName;

    public Hit() {}

    /** @param rule the rule in list syntax; {@code ruleOrigin} the list it came from */
    public static Hit of(FlowRecord r, String rule, String ruleOrigin, Category category, long listVersion) {
        Hit h = new Hit();
        h.timestamp = r.timestamp;
        h.deviceId = r.deviceId;
        h.clientIp = r.clientIp;
        h.mac = r.mac;
        h.sensor = r.sensor;
        h.kind = r.kind;
        h.serverIp = r.serverIp;
        h.serverPort = r.serverPort;
        h.name = r.name;
        h.rule = rule;
        h.ruleOrigin = ruleOrigin;
        h.category = category;
        h.listVersion = listVersion;
        h.answers = r.answers;
        h.ech = r.ech;
        h.userAgent = r.userAgent;
        h.tunnel = r.tunnel;
        h.uid = r.uid;
        h.flowId = r.flowId;
        h.communityId = r.communityId != null ? r.communityId : CommunityId.of(r); // computed here, for the few records that hit
        h.source = r.source;
        h.line = r.line;
        h.packet = r.packet;
        return h;
    }

    public ObjectNode toJson() {
        ObjectNode o = FlowRecordJson.object();
        o.put("ts", Timestamps.toIso(timestamp));
        o.put("device_id", deviceId);
        putIfSet(o, "owner", owner);
        putIfSet(o, "department", department);
        o.put("client_ip", clientIp);
        putIfSet(o, "mac", mac);
        putIfSet(o, "sensor", sensor);
        o.put("kind", kind.json());
        putIfSet(o, "server_ip", serverIp);
        if (serverPort > 0) {
            o.put("server_port", serverPort);
        }
        o.put("name", name);
        o.put("rule", rule);
        o.put("rule_origin", ruleOrigin);
        o.put("category", category.label());
        o.put("service", category.service());
        o.put("list_version", listVersion);
        if (answers != null) {
            ArrayNode a = o.putArray("answers");
            answers.forEach(x -> a.add(x.data));
        }
        if (ech) {
            o.put("ech", true);
        }
        putIfSet(o, "user_agent", userAgent);
        if (tunnel != null) {
            TunnelLayer.addTo(o.putArray("tunnel"), tunnel);
        }
        EvidenceHandle.putHandles(o, uid, flowId, communityId, source, line, packet);
        putIfSet(o, "late_reason", lateReason);
        putIfSet(o, "attribution", attribution);
        putIfSet(o, "binding_miss", bindingMiss);
        putIfSet(o, "host_name", hostName);
        putIfSet(o, "user_name", userName);
        return o;
    }

    static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
