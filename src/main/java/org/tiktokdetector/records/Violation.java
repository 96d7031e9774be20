package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device that crossed the hit threshold within one window: the record SOC analysts act on
 * (README "Violation"). An "early" record goes out as soon as the threshold is crossed, the
 * "final" one when the window closes; both carry the same {@link #violationId}, so a consumer
 * upserts on it.
 */
public class Violation {
    public String violationId;
    /** "early" or "final". */
    public String status;
    public String deviceId;
    public String owner;
    public String department;
    public List<String> clientIps;
    public List<String> macs;
    /** How its hits were attributed to the device (Hit#attribution), each once. */
    public List<String> attributions;
    /** The DHCP host names and NAC user names its hits' bindings carried; empty when none. */
    public List<String> hostNames;
    public List<String> userNames;
    /** The distinct tunnels the device's hits came through (each its layers, outermost first); empty when none. */
    public List<Tunnel> tunnels;
    public long windowStart;
    public long windowEnd;
    public long firstHit;
    public long lastHit;
    public long hitCount;
    /** Observed names and their hit counts (written most hit first). */
    public Map<String, Long> names;
    /** Hits on names beyond the first {@code MAX_NAMES} distinct ones kept in {@link #names}. */
    public long otherNameHits;
    public Map<String, Long> categories;
    public List<String> services;
    /** Hits per kind of evidence: dns, tls, quic, http. */
    public Map<String, Long> evidence;
    public List<String> sensors;
    /** Addresses the TikTok names resolved to in the DNS answers seen: what a firewall would block. */
    public List<String> resolvedAddresses;
    /** Where the window's first hits (at most 10) can be found in the sensors' logs and captures. */
    public List<EvidenceHandle> handles;
    /** "high" (app in use), "medium", or "low" (embedded content only). */
    public String severity;
    public String severityReason;
    public long listVersion;

    public Violation() {}

    public ObjectNode toJson() {
        ObjectNode o = FlowRecordJson.object();
        o.put("violation_id", violationId);
        o.put("status", status);
        o.put("device_id", deviceId);
        Hit.putIfSet(o, "owner", owner);
        Hit.putIfSet(o, "department", department);
        strings(o.putArray("client_ips"), clientIps);
        strings(o.putArray("macs"), macs);
        optionalStrings(o, "attributions", attributions);
        optionalStrings(o, "host_names", hostNames);
        optionalStrings(o, "user_names", userNames);
        if (tunnels != null && !tunnels.isEmpty()) {
            ArrayNode a = o.putArray("tunnels");
            tunnels.forEach(t -> TunnelLayer.addTo(a.addArray(), t.layers));
        }
        o.put("window_start", Timestamps.toIso(windowStart));
        o.put("window_end", Timestamps.toIso(windowEnd));
        o.put("first_hit", Timestamps.toIso(firstHit));
        o.put("last_hit", Timestamps.toIso(lastHit));
        o.put("hit_count", hitCount);
        o.put("severity", severity);
        o.put("severity_reason", severityReason);
        ObjectNode n = o.putObject("names");
        names.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> n.put(e.getKey(), e.getValue()));
        if (otherNameHits > 0) {
            o.put("other_name_hits", otherNameHits);
        }
        counts(o.putObject("categories"), categories);
        strings(o.putArray("services"), services);
        counts(o.putObject("evidence"), evidence);
        strings(o.putArray("sensors"), sensors);
        strings(o.putArray("resolved_addresses"), resolvedAddresses);
        o.put("list_version", listVersion);
        if (handles != null && !handles.isEmpty()) {
            ArrayNode a = o.putArray("handles");
            handles.forEach(h -> h.toJson(a.addObject()));
        }
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** Left out when there is nothing to say (no binding named the device; a violation made without them). */
    private static void optionalStrings(ObjectNode o, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            strings(o.putArray(field), values);
        }
    }

    /** Keys in order, so the same violation always reads the same. */
    private static void counts(ObjectNode o, Map<String, Long> values) {
        new TreeMap<>(values).forEach(o::put);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
