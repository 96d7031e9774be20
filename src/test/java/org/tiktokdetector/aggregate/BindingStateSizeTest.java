package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.Binding;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the binding join keeps per active device (README "Performance": state per 10,000 active devices): each with a
 * DHCP lease (MAC, host name, lease time) and a NAC session (MAC, user name, session id, NAS), one address each.
 * Serialized: the keyed state of a snapshot (bindings and their timers). Heap: the heap state backend's growth.
 */
class BindingStateSizeTest {
    static final int DEVICES = 10_000;
    private static final long T0 = 1_795_510_800_000L;

    @Test
    void stateOfTenThousandActiveDevices() throws Exception {
        long heapBefore = usedHeap();
        try (var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new BindingJoin(DeviceInventory.empty(), Duration.ofMinutes(2), true), List.of(BindingJoin.ACCOUNTING_OFF)),
                AddressEvent::key, Types.STRING, 1, 1, 0)) {
            h.open();
            for (int i = 0; i < DEVICES; i++) {
                String ip = "10." + (20 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
                String mac = String.format("6a:1f:3c:%02x:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff);
                Binding dhcp = binding(Binding.Source.DHCP, ip, mac, T0 + i);
                dhcp.hostName = "Pixel-8-" + Integer.toHexString(i);
                dhcp.leaseSeconds = 3600;
                dhcp.sensor = "tap-hq-1";
                Binding nac = binding(Binding.Source.NAC, ip, mac, T0 + i + 5_000);
                nac.userName = "user" + i;
                nac.sessionId = Integer.toHexString(0x8f3a0000 + i);
                nac.nasId = "wlc-hq-" + (i % 8);
                nac.sensor = "nac-gw";
                h.processElement(AddressEvent.of(dhcp), dhcp.timestamp);
                h.processElement(AddressEvent.of(nac), nac.timestamp);
            }
            long heap = usedHeap() - heapBefore;
            OperatorSubtaskState snapshot = h.snapshot(1, T0);
            long serialized = snapshot.getStateSize();
            System.out.printf("binding state for %,d active devices (a DHCP lease and a NAC session each): %,d bytes serialized"
                    + " (%d per device), about %,d bytes of heap (%d per device)%n", DEVICES, serialized, serialized / DEVICES,
                    heap, heap / DEVICES);
            assertThat(serialized / DEVICES).as("serialized bytes per device").isBetween(100L, 600L);
        }
    }

    private static Binding binding(Binding.Source source, String ip, String mac, long ts) {
        Binding b = new Binding();
        b.action = Binding.Action.START;
        b.source = source;
        b.ip = ip;
        b.mac = mac;
        b.timestamp = ts;
        return b;
    }

    /** After a full collection (System.gc() is one, and returns when done, with the JDK's default G1). */
    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
