package org.tiktokdetector.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.records.FlowRecordJson;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Probes a running job's list: a record for a name, then a sentinel (a default-list name) on the same
 * partition. Records of one partition are judged in order, so once the sentinel's hit is visible
 * (read_committed) the probe's hit is too, if there is one. Probe and sentinel devices are named
 * {@code probe-N} and {@code sentinel-N}, one hit each, so they never make a violation.
 */
public final class ListProbe {
    private final KafkaBroker kafka;
    private final String flowsTopic;
    private final String hitsTopic;
    private final Duration timeout;
    private final Runnable alive;
    private int probes;
    private JsonNode lastSentinel;

    /** @param alive checked while waiting; throws to stop waiting on a job that died */
    public ListProbe(KafkaBroker kafka, String flowsTopic, String hitsTopic, Duration timeout, Runnable alive) {
        this.kafka = kafka;
        this.flowsTopic = flowsTopic;
        this.hitsTopic = hitsTopic;
        this.timeout = timeout;
        this.alive = alive;
    }

    /** An own flow record (TLS) of a device, as a sensor would send it. */
    public static String flow(Instant ts, String device, String name) {
        return "{\"ts\":\"" + ts + "\",\"sensor\":\"tap-1\",\"kind\":\"tls\",\"client_ip\":\"10.20.0.15\","
                + "\"name\":\"" + name + "\",\"device_id\":\"" + device + "\"}";
    }

    /** Whether a device id is one of the probe's own. */
    public static boolean isProbe(String deviceId) {
        return deviceId.startsWith("probe-") || deviceId.startsWith("sentinel-");
    }

    /**
     * @param at event time of the probe records (inside an open window, so they are not late)
     * @return whether the probe for {@code name} was a hit
     */
    public boolean probe(String name, Instant at) throws Exception {
        return probeOnce(name, at) != null;
    }

    /** The probe's hit (once {@code hit}), or the sentinel's hit of the first probe that was none. */
    public JsonNode probeUntil(String name, boolean hit, Instant at) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode h = probeOnce(name, at);
            if (hit && h != null) {
                return h;
            }
            if (!hit && h == null) {
                return lastSentinel;
            }
        }
        throw new AssertionError("the list update did not take effect within " + timeout);
    }

    private JsonNode probeOnce(String name, Instant at) throws Exception {
        int n = ++probes;
        String probeDevice = "probe-" + n;
        String sentinelDevice = "sentinel-" + n;
        kafka.sendValues(flowsTopic, 0, List.of(flow(at, probeDevice, name), flow(at, sentinelDevice, "tiktokv.com")));
        List<String> values = kafka.awaitValues(hitsTopic, timeout, v -> v.stream().anyMatch(s -> s.contains("\"" + sentinelDevice + "\"")), alive);
        JsonNode probeHit = null;
        for (String v : values) {
            JsonNode h = FlowRecordJson.MAPPER.readTree(v);
            if (h.get("device_id").asText().equals(probeDevice)) {
                probeHit = h;
            } else if (h.get("device_id").asText().equals(sentinelDevice)) {
                lastSentinel = h;
            }
        }
        return probeHit;
    }
}
