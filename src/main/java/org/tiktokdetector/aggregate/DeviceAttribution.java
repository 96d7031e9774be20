package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.tiktokdetector.records.Hit;

/**
 * Names the device behind a hit: the inventory's device when it knows the MAC or address, else the
 * id the sensor asserted, else the client address (the DNS querier, the TLS/QUIC/HTTP client).
 */
public class DeviceAttribution extends RichMapFunction<Hit, Hit> {
    public static final String HITS = "hits";

    private final DeviceInventory inventory;
    private transient LongCounter hits;

    public DeviceAttribution(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public void open(OpenContext openContext) {
        hits = getRuntimeContext().getLongCounter(HITS);
    }

    @Override
    public Hit map(Hit hit) {
        hits.add(1);
        DeviceInventory.Device d = inventory.lookup(hit.clientIp, hit.mac);
        if (d != null) {
            hit.deviceId = d.id();
            hit.owner = d.owner();
            hit.department = d.department();
        } else if (hit.deviceId == null) {
            hit.deviceId = hit.clientIp;
        }
        return hit;
    }
}
