package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.IpLiteral;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Timestamps;
import org.tiktokdetector.records.Violation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Violations and hits as Elastic Common Schema documents (ECS 9.5.0-dev, ../shared/schemas/ecs/fields.csv; README
 * "ECS"): a violation is an alert ({@code event.kind: alert}) whose {@code event.id} is the violation id, so the final
 * document replaces the early one in an index keyed by it; a hit is an event. What ECS has no field for goes under
 * {@value #NAMESPACE}, as do the device's addresses (also there when pseudonymised, which ECS's ip fields do not take).
 */
final class EcsRecords {
    static final String NAMESPACE = "tiktok_detector";

    private EcsRecords() {}

    static ObjectNode violation(Violation v) {
        ObjectNode o = FlowRecordJson.object();
        o.put("@timestamp", Timestamps.toIso(v.lastHit));
        ObjectNode event = event(o, "alert", "info", "violation");
        event.put("id", v.violationId);
        event.put("start", Timestamps.toIso(v.windowStart));
        event.put("end", Timestamps.toIso(v.windowEnd));
        event.put("severity", switch (v.severity) { // Elastic's risk scores of high, medium and low
            case "high" -> 73;
            case "medium" -> 47;
            default -> 21;
        });
        event.put("reason", v.severityReason);
        rule(o).put("version", Long.toString(v.listVersion));
        ObjectNode host = o.putObject("host");
        host.put("id", v.deviceId);
        strings(host.putArray("ip"), v.clientIps.stream().filter(Format::isIp).toList());
        List<String> macs = v.macs.stream().filter(Format::isMac).map(EcsRecords::mac).toList();
        if (!macs.isEmpty()) {
            strings(host.putArray("mac"), macs);
        }
        if (v.owner != null) {
            o.putObject("user").put("name", v.owner);
        }
        strings(o.putObject("observer").putArray("name"), v.sensors);
        List<String> names = v.names.keySet().stream().sorted().toList();
        strings(o.putObject("destination").putArray("domain"), names);
        List<EvidenceHandle> handles = v.handles == null ? List.of() : v.handles;
        namesOf(handles, h -> h.kind == Kind.DNS, o, "dns", "question", "name");
        namesOf(handles, h -> h.kind == Kind.TLS || h.kind == Kind.QUIC, o, "tls", "client", "server_name");
        namesOf(handles, h -> h.kind == Kind.HTTP, o, "url", null, "domain");
        Set<String> communityIds = new LinkedHashSet<>();
        handles.forEach(h -> {
            if (h.communityId != null) {
                communityIds.add(h.communityId);
            }
        });
        if (!communityIds.isEmpty()) {
            strings(o.putObject("network").putArray("community_id"), List.copyOf(communityIds));
        }
        ObjectNode related = o.putObject("related");
        Set<String> ips = new LinkedHashSet<>(v.clientIps.stream().filter(Format::isIp).toList());
        ips.addAll(v.resolvedAddresses);
        strings(related.putArray("ip"), List.copyOf(ips));
        Set<String> hosts = new LinkedHashSet<>(names);
        hosts.add(v.deviceId);
        strings(related.putArray("hosts"), List.copyOf(hosts));
        users(related, v.owner, v.userNames);
        ObjectNode ours = o.putObject(NAMESPACE);
        Format.copy(v.toJson(), ours, List.of("violation_id", "status", "client_ips", "macs", "department", "hit_count", "first_hit", "last_hit", "severity",
                "names", "other_name_hits", "categories", "services", "evidence", "tunnels", "resolved_addresses", "handles",
                "attributions", "host_names", "user_names"));
        return o;
    }

    static ObjectNode hit(Hit h) {
        ObjectNode o = FlowRecordJson.object();
        o.put("@timestamp", Timestamps.toIso(h.timestamp));
        event(o, "event", "protocol", h.lateReason == null ? "hit" : "late_hit");
        ObjectNode rule = rule(o);
        rule.put("version", Long.toString(h.listVersion));
        rule.put("id", h.rule);
        rule.put("category", h.category.label());
        rule.put("ruleset", h.ruleOrigin);
        ObjectNode host = o.putObject("host");
        host.put("id", h.deviceId);
        if (Format.isIp(h.clientIp)) {
            host.putArray("ip").add(h.clientIp);
        }
        if (Format.isMac(h.mac)) {
            host.putArray("mac").add(mac(h.mac));
        }
        if (h.hostName != null) {
            host.put("hostname", h.hostName); // as the device named itself to DHCP
        }
        if (h.owner != null) {
            o.putObject("user").put("name", h.owner);
        }
        if (h.sensor != null) {
            o.putObject("observer").put("name", h.sensor);
        }
        if (Format.isIp(h.clientIp)) {
            ObjectNode source = o.putObject("source");
            source.put("ip", h.clientIp);
            if (Format.isMac(h.mac)) {
                source.put("mac", mac(h.mac));
            }
        }
        ObjectNode destination = o.putObject("destination");
        destination.put("domain", h.name);
        if (h.serverIp != null) {
            destination.put("ip", h.serverIp);
        }
        if (h.serverPort > 0) {
            destination.put("port", h.serverPort);
        }
        switch (h.kind) {
            case DNS -> {
                ObjectNode dns = o.putObject("dns");
                dns.putObject("question").put("name", h.name);
                if (h.answers != null) {
                    ArrayNode resolved = dns.putArray("resolved_ip");
                    h.answers.stream().filter(a -> IpLiteral.bytes(a.data) != null).forEach(a -> resolved.add(a.data));
                }
            }
            case TLS, QUIC -> o.putObject("tls").putObject("client").put("server_name", h.name);
            case HTTP -> o.putObject("url").put("domain", h.name);
        }
        ObjectNode network = o.putObject("network");
        network.put("protocol", h.kind.json());
        if (h.communityId != null) {
            network.put("community_id", h.communityId);
        }
        if (h.userAgent != null) {
            o.putObject("user_agent").put("original", h.userAgent);
        }
        if (h.source != null) {
            o.putObject("log").putObject("file").put("path", h.source);
        }
        ObjectNode related = o.putObject("related");
        if (Format.isIp(h.clientIp)) {
            related.putArray("ip").add(h.clientIp);
        }
        related.putArray("hosts").add(h.name);
        users(related, h.owner, h.userName == null ? List.of() : List.of(h.userName));
        ObjectNode ours = o.putObject(NAMESPACE);
        Format.copy(h.toJson(), ours, List.of("client_ip", "mac", "department", "service", "ech", "tunnel", "uid", "flow_id", "line", "packet", "late_reason",
                "attribution", "binding_miss", "user_name"));
        return o;
    }

    /** related.user: the inventory's owner and the names the device's users logged in with (NAC), once each. */
    private static void users(ObjectNode related, String owner, List<String> logins) {
        Set<String> users = new LinkedHashSet<>();
        if (owner != null) {
            users.add(owner);
        }
        if (logins != null) {
            users.addAll(logins);
        }
        if (!users.isEmpty()) {
            strings(related.putArray("user"), List.copyOf(users));
        }
    }

    private static ObjectNode event(ObjectNode o, String kind, String type, String dataset) {
        ObjectNode event = o.putObject("event");
        event.put("kind", kind);
        event.putArray("category").add("network");
        event.putArray("type").add(type);
        event.put("module", NAMESPACE);
        event.put("dataset", NAMESPACE + "." + dataset);
        return event;
    }

    private static ObjectNode rule(ObjectNode o) {
        ObjectNode rule = o.putObject("rule");
        rule.put("name", "tiktok-detector blocklist");
        return rule;
    }

    /** The names of the handles that pass {@code which}, at {@code top.middle.leaf} (no middle when null). */
    private static void namesOf(List<EvidenceHandle> handles, Predicate<EvidenceHandle> which, ObjectNode o, String top,
                                String middle, String leaf) {
        Set<String> names = new LinkedHashSet<>();
        handles.stream().filter(which).forEach(h -> names.add(h.name));
        if (!names.isEmpty()) {
            ObjectNode parent = o.has(top) ? (ObjectNode) o.get(top) : o.putObject(top);
            strings((middle == null ? parent : parent.putObject(middle)).putArray(leaf), List.copyOf(names));
        }
    }

    /** ECS writes MAC addresses in upper case with hyphens (RFC 7042). */
    private static String mac(String mac) {
        return mac.toUpperCase(Locale.ROOT).replace(':', '-');
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
