package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.functions.MapFunction;
import org.tiktokdetector.records.Hit;

/**
 * Names the device behind a hit: the inventory's device when it knows the MAC or address, else the
 * id the sensor asserted, else the client address (the DNS querier, the TLS/QUIC/HTTP client).
 */
public class DeviceAttribution implements MapFunction<Hit, Hit> {
    private final DeviceInventory inventory;

    public DeviceAttribution(DeviceInventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public Hit map(Hit hit) {
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
