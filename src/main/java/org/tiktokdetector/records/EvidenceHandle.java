package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * Where one hit can be found again in what the sensors kept: the sensor's own handle (Zeek uid, Suricata flow_id),
 * the Community ID of its connection, and the file and line, or capture and packet, it was read from. A violation
 * lists a few of these ({@link Violation#handles}). A Flink POJO: it is kept in window state.
 */
public class EvidenceHandle {
    public long timestamp;
    public Kind kind;
    public String name;
    public String sensor;
    public String serverIp;
    public int serverPort;
    public String uid;
    public long flowId;
    public String communityId;
    public String source;
    public long line;
    public long packet;

    public EvidenceHandle() {}

    public static EvidenceHandle of(Hit h) {
        EvidenceHandle e = new EvidenceHandle();
        e.timestamp = h.timestamp;
        e.kind = h.kind;
        e.name = h.name;
        e.sensor = h.sensor;
        e.serverIp = h.serverIp;
        e.serverPort = h.serverPort;
        e.uid = h.uid;
        e.flowId = h.flowId;
        e.communityId = h.communityId;
        e.source = h.source;
        e.line = h.line;
        e.packet = h.packet;
        return e;
    }

    public ObjectNode toJson(ObjectNode o) {
        o.put("ts", Timestamps.toIso(timestamp));
        o.put("kind", kind.json());
        o.put("name", name);
        Hit.putIfSet(o, "sensor", sensor);
        Hit.putIfSet(o, "server_ip", serverIp);
        if (serverPort > 0) {
            o.put("server_port", serverPort);
        }
        putHandles(o, uid, flowId, communityId, source, line, packet);
        return o;
    }

    /** The handle fields as hits and handles write them; those not set are left out. */
    static void putHandles(ObjectNode o, String uid, long flowId, String communityId, String source, long line, long packet) {
        Hit.putIfSet(o, "uid", uid);
        if (flowId != 0) {
            o.put("flow_id", flowId);
        }
        Hit.putIfSet(o, "community_id", communityId);
        Hit.putIfSet(o, "source", source);
        if (line > 0) {
            o.put("line", line);
        }
        if (packet > 0) {
            o.put("packet", packet);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvidenceHandle e && timestamp == e.timestamp && kind == e.kind && Objects.equals(name, e.name)
                && Objects.equals(sensor, e.sensor) && Objects.equals(serverIp, e.serverIp) && serverPort == e.serverPort
                && Objects.equals(uid, e.uid) && flowId == e.flowId
                && Objects.equals(communityId, e.communityId) && Objects.equals(source, e.source) && line == e.line
                && packet == e.packet;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, name, uid, source, line, packet);
    }
}
