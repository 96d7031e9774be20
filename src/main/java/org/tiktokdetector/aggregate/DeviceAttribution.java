package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.MacAddress;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.TunnelLayer;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Names the device behind a hit ({@link Hit#attribution} says how), first that applies:
 * <ol>
 *   <li>{@code mac}: the flow record's MAC is in the inventory;</li>
 *   <li>{@code lease} / {@code nac}: a DHCP lease or a NAC session held the client address at the hit's time
 *       ({@link BindingJoin}): its MAC names the inventory's device, or is the device id when the inventory does not
 *       know it (one device across its addresses); its host name and user name go with the hit;</li>
 *   <li>{@code inventory-ip}: the inventory knows the address or a CIDR around it;</li>
 *   <li>{@code asserted}: the sensor gave a device id;</li>
 *   <li>{@code client-ip}: the client address (the DNS querier, the TLS/QUIC/HTTP client), with the network segment
 *       of its tunnel when it has one ({@link #defaultDeviceId}).</li>
 * </ol>
 * Plain Java: the binding join calls it once it knows the binding.
 */
public final class DeviceAttribution implements Serializable {
    /** Accumulator and metric: every hit. */
    public static final String HITS = "hits";
    /** Metric: hits whose device is only their client address (no inventory match, no binding, no id from the sensor). */
    public static final String UNATTRIBUTED = "unattributed_hits";
    private static final Set<String> SEGMENT_IDS = Set.of("vxlan", "geneve", "pbb");

    private final DeviceInventory inventory;

    public DeviceAttribution(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    /** @param binding the binding that held the hit's address at its time; null for a hit that names its device (MAC, device id) */
    public void attribute(Hit hit, Binding binding) {
        DeviceInventory.Device d = hit.mac == null ? null : inventory.lookup(null, hit.mac);
        if (d != null) {
            set(hit, d, "mac");
        } else if (binding != null) {
            hit.mac = MacAddress.canonical(binding.mac);
            hit.hostName = binding.hostName;
            hit.userName = binding.userName;
            d = inventory.lookup(null, binding.mac);
            String how = binding.source == Binding.Source.DHCP ? "lease" : "nac";
            if (d != null) {
                set(hit, d, how);
            } else {
                hit.deviceId = hit.mac;
                hit.attribution = how;
            }
        } else if ((d = inventory.lookup(hit.clientIp, null)) != null) {
            set(hit, d, "inventory-ip");
        } else if (hit.deviceId != null) {
            hit.attribution = "asserted";
        } else {
            hit.deviceId = defaultDeviceId(hit.clientIp, hit.tunnel);
            hit.attribution = "client-ip";
        }
    }

    private static void set(Hit hit, DeviceInventory.Device d, String how) {
        hit.deviceId = d.id();
        hit.owner = d.owner();
        hit.department = d.department();
        hit.attribution = how;
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
