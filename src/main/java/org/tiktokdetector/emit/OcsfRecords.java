package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Violation;

import java.util.List;

/**
 * Violations and hits as OCSF events (schema 1.9.0-dev, the files in ../shared/schemas/ocsf; README "OCSF"). A
 * violation is a Detection Finding (class 2004) whose {@code finding_info.uid} is the violation id: the early record
 * creates the finding (activity 1), the final one updates it (activity 2). A hit is the network activity it was seen
 * in: DNS Activity (4003), HTTP Activity (4002) or, for a TLS or QUIC ClientHello, Network Activity (4001). What OCSF
 * has no attribute for goes under {@code unmapped}.
 */
final class OcsfRecords {
    static final String SCHEMA_VERSION = "1.9.0-dev";
    static final String PRODUCT = "tiktok-detector";
    private static final int FINDINGS = 2;
    private static final int NETWORK = 4;
    private static final int DETECTION_FINDING = 2004;
    /** Observable type ids (OCSF dictionary types). */
    private static final int HOSTNAME = 1;
    private static final int IP_ADDRESS = 2;
    private static final int MAC_ADDRESS = 3;
    private static final int USER_NAME = 4;

    private OcsfRecords() {}

    static ObjectNode violation(Violation v) {
        boolean early = "early".equals(v.status);
        ObjectNode o = FlowRecordJson.object();
        classify(o, FINDINGS, "Findings", DETECTION_FINDING, "Detection Finding", early ? 1 : 2, early ? "Create" : "Update");
        int severity = switch (v.severity) {
            case "high" -> 4;
            case "medium" -> 3;
            default -> 2;
        };
        o.put("severity_id", severity);
        o.put("severity", severity == 4 ? "High" : severity == 3 ? "Medium" : "Low");
        o.put("time", v.lastHit);
        o.put("start_time", v.windowStart);
        o.put("end_time", v.windowEnd);
        o.put("count", v.hitCount);
        o.put("message", v.severityReason);
        o.put("is_alert", true);
        metadata(o, v.violationId + "/" + v.status, "violations");
        ObjectNode finding = o.putObject("finding_info");
        finding.put("uid", v.violationId);
        finding.put("title", "TikTok/ByteDance use on " + v.deviceId);
        ObjectNode analytic = finding.putObject("analytic");
        analytic.put("name", "tiktok-detector blocklist");
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");
        analytic.put("version", Long.toString(v.listVersion));
        finding.put("first_seen_time", v.firstHit);
        finding.put("last_seen_time", v.lastHit);
        strings(finding.putArray("types"), v.services);
        strings(finding.putArray("data_sources"), v.sensors);
        device(o, v.deviceId, v.clientIps.isEmpty() ? null : v.clientIps.get(0), v.macs.isEmpty() ? null : v.macs.get(0),
                v.owner, v.department);
        if (v.handles != null && !v.handles.isEmpty()) {
            ArrayNode evidences = o.putArray("evidences");
            v.handles.forEach(h -> evidence(evidences.addObject(), h));
        }
        ArrayNode observables = o.putArray("observables");
        v.clientIps.stream().filter(Format::isIp).forEach(ip -> observable(observables, "device.ip", IP_ADDRESS, ip));
        v.macs.stream().filter(Format::isMac).forEach(mac -> observable(observables, "device.mac", MAC_ADDRESS, mac));
        if (v.owner != null) {
            observable(observables, "actor.user.name", USER_NAME, v.owner);
        }
        v.names.keySet().stream().sorted().forEach(n -> observable(observables, "unmapped.names", HOSTNAME, n));
        v.resolvedAddresses.forEach(ip -> observable(observables, "unmapped.resolved_addresses", IP_ADDRESS, ip));
        ObjectNode unmapped = o.putObject("unmapped");
        unmapped.put("status", v.status);
        Format.copy(v.toJson(), unmapped, List.of("client_ips", "macs", "tunnels", "names", "other_name_hits", "categories", "evidence",
                "resolved_addresses", "severity", "attributions", "host_names", "user_names"));
        return o;
    }

    static ObjectNode hit(Hit h) {
        ObjectNode o = FlowRecordJson.object();
        switch (h.kind) {
            case DNS -> {
                boolean response = h.answers != null;
                classify(o, NETWORK, "Network Activity", 4003, "DNS Activity", response ? 2 : 1, response ? "Response" : "Query");
                o.putObject("query").put("hostname", h.name);
            }
            case HTTP -> {
                // The request's method is not kept, so the activity (Get, Post, ...) is unknown.
                classify(o, NETWORK, "Network Activity", 4002, "HTTP Activity", 0, "Unknown");
                ObjectNode request = o.putObject("http_request");
                url(request, h.name);
                if (h.userAgent != null) {
                    request.put("user_agent", h.userAgent);
                }
            }
            case TLS, QUIC -> classify(o, NETWORK, "Network Activity", 4001, "Network Activity", 6, "Traffic");
        }
        o.put("severity_id", 1);
        o.put("severity", "Informational");
        o.put("time", h.timestamp);
        metadata(o, null, h.lateReason == null ? "hits" : "late hits");
        device(o, h.deviceId, h.clientIp, h.mac, h.owner, h.department);
        ObjectNode src = o.putObject("src_endpoint");
        if (Format.isIp(h.clientIp)) {
            src.put("ip", h.clientIp);
        } else {
            src.put("uid", h.clientIp); // a pseudonym
        }
        if (Format.isMac(h.mac)) {
            src.put("mac", h.mac);
        }
        ObjectNode dst = o.putObject("dst_endpoint");
        if (h.kind == Kind.TLS || h.kind == Kind.QUIC) {
            dst.put("hostname", h.name); // the SNI: the name the client asked the server for
        }
        endpoint(dst, h.serverIp, h.serverPort);
        if (dst.isEmpty()) {
            o.remove("dst_endpoint");
        }
        connection(o.putObject("connection_info"), h.kind, h.uid, h.flowId, h.communityId);
        ArrayNode observables = o.putArray("observables");
        if (Format.isIp(h.clientIp)) {
            observable(observables, "src_endpoint.ip", IP_ADDRESS, h.clientIp);
        }
        observable(observables, h.kind == Kind.DNS ? "query.hostname" : h.kind == Kind.HTTP ? "http_request.url.hostname"
                : "dst_endpoint.hostname", HOSTNAME, h.name);
        ObjectNode unmapped = o.putObject("unmapped");
        Format.copy(h.toJson(), unmapped, List.of("client_ip", "mac", "sensor", "rule", "rule_origin", "category", "service", "list_version", "answers", "ech",
                "tunnel", "source", "line", "packet", "flow_id", "late_reason", "attribution", "binding_miss", "host_name", "user_name"));
        return o;
    }

    private static void classify(ObjectNode o, int category, String categoryName, int classUid, String className,
                                 int activity, String activityName) {
        o.put("category_uid", category);
        o.put("category_name", categoryName);
        o.put("class_uid", classUid);
        o.put("class_name", className);
        o.put("activity_id", activity);
        o.put("activity_name", activityName);
        o.put("type_uid", classUid * 100L + activity);
        o.put("type_name", className + ": " + activityName);
    }

    private static void metadata(ObjectNode o, String uid, String logName) {
        ObjectNode m = o.putObject("metadata");
        m.put("version", SCHEMA_VERSION);
        ObjectNode product = m.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);
        if (uid != null) {
            m.put("uid", uid);
        }
        m.put("log_name", logName);
        m.putArray("profiles").add("host");
    }

    /**
     * The device and its owner (host profile); department is the owner's organisational unit. A pseudonymised address
     * or MAC is left out here (OCSF's ip_t and mac_t do not take it) and stays in {@code unmapped}.
     */
    private static void device(ObjectNode o, String deviceId, String ip, String mac, String owner, String department) {
        ObjectNode d = o.putObject("device");
        d.put("type_id", 0);
        d.put("type", "Unknown");
        d.put("uid", deviceId);
        if (Format.isIp(ip)) {
            d.put("ip", ip);
        }
        if (Format.isMac(mac)) {
            d.put("mac", mac);
        }
        if (owner != null) {
            d.putObject("owner").put("name", owner);
            o.putObject("actor").putObject("user").put("name", owner);
        }
        if (department != null) {
            // The inventory knows the department only; OCSF's organization needs a name (or uid), so it is that too.
            d.putObject("org").put("name", department).put("ou_name", department);
        }
    }

    /** One hit of a violation: the name where OCSF puts it for its kind, the connection, and where it was read. */
    private static void evidence(ObjectNode e, EvidenceHandle h) {
        ObjectNode dst = FlowRecordJson.object();
        switch (h.kind) {
            case DNS -> e.putObject("query").put("hostname", h.name);
            case HTTP -> url(e.putObject("http_request"), h.name);
            case TLS, QUIC -> dst.put("hostname", h.name);
        }
        endpoint(dst, h.serverIp, h.serverPort);
        if (!dst.isEmpty()) {
            e.set("dst_endpoint", dst);
        }
        connection(e.putObject("connection_info"), h.kind, h.uid, h.flowId, h.communityId);
        ObjectNode data = e.putObject("data"); // where the hit was read, which OCSF has no attribute for
        data.put("time", h.timestamp);
        Format.copy(h.toJson(FlowRecordJson.object()), data, List.of("sensor", "source", "line", "packet", "flow_id"));
    }

    /** The request's URL as far as it is known: the Host header (the path is not kept). */
    private static void url(ObjectNode request, String host) {
        request.putObject("url").put("hostname", host).put("url_string", "http://" + host);
    }

    private static void endpoint(ObjectNode dst, String ip, int port) {
        if (ip != null) {
            dst.put("ip", ip);
        }
        if (port > 0) {
            dst.put("port", port);
        }
    }

    /** The connection a name was seen on: its protocol, the sensor's uid (Zeek uid, else Suricata flow_id), the Community ID. */
    private static void connection(ObjectNode c, Kind kind, String uid, long flowId, String communityId) {
        c.put("direction_id", 0); // which side of the network boundary the server is on is not known here
        c.put("protocol_name", kind.json());
        if (uid != null) {
            c.put("uid", uid);
        } else if (flowId != 0) {
            c.put("uid", Long.toString(flowId));
        }
        if (communityId != null) {
            c.put("community_uid", communityId);
        }
    }

    private static void observable(ArrayNode a, String name, int typeId, String value) {
        ObjectNode o = a.addObject();
        o.put("name", name);
        o.put("type_id", typeId);
        o.put("value", value);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
