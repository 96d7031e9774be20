package org.tiktokdetector.aggregate;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.TunnelLayer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The device id of a client the inventory and the sensor do not name. */
class DeviceAttributionTest {
    private static TunnelLayer layer(String type, long id) {
        return new TunnelLayer(type, id, "192.0.2.1", "192.0.2.2");
    }

    @Test
    void theClientAddressWithTheInnermostNetworkSegmentOfItsTunnel() {
        assertThat(DeviceAttribution.defaultDeviceId("10.0.0.5", null)).isEqualTo("10.0.0.5");
        assertThat(DeviceAttribution.defaultDeviceId("10.0.0.5", List.of(layer("vxlan", 100)))).isEqualTo("10.0.0.5@vxlan:100");
        assertThat(DeviceAttribution.defaultDeviceId("10.0.0.5", List.of(layer("geneve", 7), layer("vxlan", 9))))
                .isEqualTo("10.0.0.5@vxlan:9");
        assertThat(DeviceAttribution.defaultDeviceId("2001:db8::5", List.of(new TunnelLayer("pbb", 2014000, null, null),
                new TunnelLayer("mpls", 16, null, null)))).isEqualTo("2001:db8::5@pbb:2014000");
    }

    /** Ids that differ per direction (or name no segment) would make a device's queries and their answers two devices. */
    @Test
    void notTheIdsThatDifferPerDirection() {
        List<TunnelLayer> tunnel = List.of(layer("vxlan", 100), layer("gre", 5), layer("erspan", 3), layer("gtp", 0x1234),
                new TunnelLayer("mpls", 16, null, null), layer("ipip", -1), layer("teredo", -1));
        assertThat(DeviceAttribution.defaultDeviceId("10.0.0.5", tunnel)).isEqualTo("10.0.0.5@vxlan:100");
        assertThat(DeviceAttribution.defaultDeviceId("10.0.0.5", tunnel.subList(1, tunnel.size()))).isEqualTo("10.0.0.5");
    }
}
