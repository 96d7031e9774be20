package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.tiktokdetector.flink.DetectorMetrics;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.TunnelLayer;

import java.util.List;
import java.util.Set;

/**
 * Names the device behind a hit: the inventory's device when it knows the MAC or address, else the
 * id the sensor asserted, else the client address (the DNS querier, the TLS/QUIC/HTTP client), with the
 * network segment of its tunnel when it has one ({@link #defaultDeviceId}). Counts hits, by category, and the
 * unattributed ones (named by their client address alone: a device the inventory should know).
 */
public class DeviceAttribution extends RichMapFunction<Hit, Hit> {
    /** Accumulator and metric: every hit. */
    public static final String HITS = "hits";
    /** Metric: hits whose device is only their client address (no inventory match, no id from the sensor). */
    public static final String UNATTRIBUTED = "unattributed_hits";
    private static final Set<String> SEGMENT_IDS = Set.of("vxlan", "geneve", "pbb");

    private final DeviceInventory inventory;
    private transient LongCounter hits;
    private transient DetectorMetrics.ByLabel byCategory;
    private transient Counter unattributed;

    public DeviceAttribution(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public void open(OpenContext openContext) {
        hits = DetectorMetrics.counter(getRuntimeContext(), HITS);
        byCategory = new DetectorMetrics.ByLabel(getRuntimeContext().getMetricGroup(), "category", "hits");
        unattributed = DetectorMetrics.group(getRuntimeContext().getMetricGroup()).counter(UNATTRIBUTED);
    }

    @Override
    public Hit map(Hit hit) {
        hits.add(1);
        byCategory.inc(hit.category.label());
        DeviceInventory.Device d = inventory.lookup(hit.clientIp, hit.mac);
        if (d != null) {
            hit.deviceId = d.id();
            hit.owner = d.owner();
            hit.department = d.department();
        } else if (hit.deviceId == null) {
            hit.deviceId = defaultDeviceId(hit.clientIp, hit.tunnel);
            unattributed.inc();
        }
        return hit;
    }

    /**
     * The client address, and the innermost VXLAN or Geneve VNI or PBB I-SID of its tunnel: the same private
     * address in two tenants or sites is two devices ({@code 10.0.0.5@vxlan:100}). Those ids name a network
     * segment, the same both ways. The other ids stay out: a GTP TEID and an MPLS label differ per direction by
     * design, and a GRE key may too (Zeek's erspan.pcap trace keys its queries 0 and the answers 0x02000000), which
     * would make a device's queries and the answers to them two devices; an ERSPAN session names a mirror
     * session, not the device's network.
     */
    public static String defaultDeviceId(String clientIp, List<TunnelLayer> tunnel) {
        if (tunnel != null) {
            for (int i = tunnel.size() - 1; i >= 0; i--) {
                TunnelLayer l = tunnel.get(i);
                if (l.id >= 0 && SEGMENT_IDS.contains(l.type)) {
                    return clientIp + "@" + l.type + ":" + l.id;
                }
            }
        }
        return clientIp;
    }
}
