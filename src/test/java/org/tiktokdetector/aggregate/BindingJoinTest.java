package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The event-time join of hits and address bindings, in Flink's harness for a keyed broadcast operator. */
class BindingJoinTest {
    private static final long T0 = 1_795_510_800_000L; // 2026-11-24T09:00:00Z
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final String PHONE_A = "6a:1f:3c:90:22:01";
    private static final String PHONE_B = "6a:1f:3c:90:22:02";

    @TempDir
    static Path dir;
    private static DeviceInventory inventory;
    private KeyedBroadcastOperatorTestHarness<String, AddressEvent, Binding, Hit> harness;

    @BeforeEach
    void start() throws Exception {
        if (inventory == null) {
            Path csv = dir.resolve("devices.csv");
            Files.writeString(csv, "match,device_id,owner,department\n" + PHONE_A.toUpperCase().replace(':', '-')
                    + ",PHONE-0230,e.claes,Education\n10.20.9.0/24,WIFI-GUESTS,,\n");
            inventory = DeviceInventory.load(csv);
        }
        harness = open(null, true);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, AddressEvent, Binding, Hit> open(OperatorSubtaskState restore, boolean wait)
            throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new BindingJoin.Operator(new BindingJoin(inventory, LATENESS, wait)),
                AddressEvent::key, Types.STRING, 1, 1, 0);
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static long at(double minutes) {
        return T0 + (long) (minutes * 60_000);
    }

    private static Hit hit(String ip, double minute) {
        Hit h = new Hit();
        h.timestamp = at(minute);
        h.clientIp = ip;
        h.kind = Kind.TLS;
        h.name = "api16-normal-c-useast1a.tiktokv.com";
        h.rule = "tiktokv.com";
        h.category = Category.TIKTOK_APP;
        return h;
    }

    private static Binding binding(Binding.Source source, Binding.Action action, String ip, String mac, double minute, long leaseMinutes) {
        Binding b = new Binding();
        b.source = source;
        b.action = action;
        b.ip = ip;
        b.mac = mac;
        b.timestamp = at(minute);
        b.leaseSeconds = leaseMinutes < 0 ? -1 : leaseMinutes * 60;
        return b;
    }

    private static Binding lease(String ip, String mac, double minute, long leaseMinutes) {
        return binding(Binding.Source.DHCP, Binding.Action.START, ip, mac, minute, leaseMinutes);
    }

    private static Binding nac(Binding.Action action, String ip, String mac, double minute, String nas, String user) {
        Binding b = binding(Binding.Source.NAC, action, ip, mac, minute, -1);
        b.nasId = nas;
        b.userName = user;
        return b;
    }

    /** A NAS's accounting-off, on the join's broadcast input. */
    private void accountingOff(String nas, double minute) throws Exception {
        Binding off = new Binding();
        off.action = Binding.Action.ACCOUNTING_OFF;
        off.source = Binding.Source.NAC;
        off.nasId = nas;
        off.timestamp = at(minute);
        harness.processBroadcastElement(off, off.timestamp);
    }

    private void send(Hit h) throws Exception {
        harness.processElement(AddressEvent.of(h), h.timestamp);
    }

    private void send(Binding b) throws Exception {
        harness.processElement(AddressEvent.of(b), b.timestamp);
    }

    /** Entries of keyed state, over every key and state (heap backend, as in the harness). */
    private int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private List<Hit> out() {
        List<Hit> hits = harness.extractOutputValues();
        harness.getOutput().clear();
        return hits;
    }

    @Test
    void aHitWaitsForTheWatermarkSoABindingThatArrivesAfterItStillApplies() throws Exception {
        send(hit("10.20.9.40", 10));
        harness.watermark(at(9));
        send(lease("10.20.9.40", PHONE_A, 8, 30)); // out of order: after the hit, within the bound
        assertThat(out()).as("held until the watermark passes it").isEmpty();
        harness.watermark(at(10));
        assertThat(out()).extracting(h -> h.deviceId, h -> h.owner, h -> h.attribution, h -> h.mac, h -> h.bindingMiss)
                .containsExactly(tuple("PHONE-0230", "e.claes", "lease", PHONE_A, null));
    }

    @Test
    void aWatermarkThatJumpsPastEverythingStillJudgesEachWaitingHitByTheBindingsOfItsTime() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 10));
        send(lease("10.20.7.5", PHONE_B, 10, 10));
        for (int minute = 1; minute < 20; minute++) {
            send(hit("10.20.7.5", minute));
        }
        harness.watermark(Long.MAX_VALUE); // the end of a replay
        assertThat(out()).extracting(h -> h.deviceId).containsExactly(
                "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230", "PHONE-0230",
                PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B, PHONE_B);
    }

    @Test
    void withoutBindingInputsAHitGoesOnAtOnceAndStillTakesABindingThatCameBefore() throws Exception {
        harness.close();
        harness = open(null, false);
        send(lease("10.20.7.5", PHONE_A, 0, 60));
        send(hit("10.20.7.5", 10));
        send(hit("10.20.7.6", 10));
        assertThat(out()).as("no watermark yet").extracting(h -> h.deviceId, h -> h.attribution)
                .containsExactly(tuple("PHONE-0230", "lease"), tuple("10.20.7.6", "client-ip"));
    }

    @Test
    void aLeaseEndsWhenItExpires() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 10));
        send(hit("10.20.7.5", 9.9));
        send(hit("10.20.7.5", 10.1));
        harness.watermark(at(11));
        assertThat(out()).extracting(h -> h.deviceId, h -> h.attribution, h -> h.bindingMiss)
                .containsExactly(tuple("PHONE-0230", "lease", null), tuple("10.20.7.5", "client-ip", "expired"));
    }

    @Test
    void aReleaseEndsTheLeaseAndAnAddressNeverBoundHasNoLease() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 60));
        send(binding(Binding.Source.DHCP, Binding.Action.STOP, "10.20.7.5", PHONE_A, 20, -1));
        send(hit("10.20.7.5", 19));
        send(hit("10.20.7.5", 21));
        send(hit("10.20.7.6", 21));
        send(hit("10.20.9.12", 21));
        harness.watermark(at(30));
        assertThat(out()).extracting(h -> h.clientIp, h -> h.deviceId, h -> h.attribution, h -> h.bindingMiss).containsExactlyInAnyOrder(
                tuple("10.20.7.5", "PHONE-0230", "lease", null),
                tuple("10.20.7.5", "10.20.7.5", "client-ip", "expired"),
                tuple("10.20.7.6", "10.20.7.6", "client-ip", "no-lease"),
                tuple("10.20.9.12", "WIFI-GUESTS", "inventory-ip", "no-lease"));
    }

    @Test
    void anAddressHandedToAnotherMacIsAnotherDevice() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 60));
        Binding second = lease("10.20.7.5", PHONE_B, 20, 60);
        second.hostName = "iPhone-mk";
        send(second);
        send(hit("10.20.7.5", 10));
        send(hit("10.20.7.5", 30));
        harness.watermark(at(30));
        // PHONE_B is not in the inventory: its MAC is the device, the same whatever address it holds.
        assertThat(out()).extracting(h -> h.deviceId, h -> h.mac, h -> h.hostName, h -> h.attribution).containsExactly(
                tuple("PHONE-0230", PHONE_A, null, "lease"),
                tuple(PHONE_B, PHONE_B, "iPhone-mk", "lease"));
    }

    @Test
    void aHandOverSeenByTheOtherSourceEndsTheBindingToo() throws Exception {
        send(nac(Binding.Action.START, "10.20.7.5", PHONE_A, 0, "wlc-1", "e.claes"));
        send(lease("10.20.7.5", PHONE_B, 10, 60));
        send(binding(Binding.Source.DHCP, Binding.Action.STOP, "10.20.7.5", PHONE_B, 20, -1));
        send(hit("10.20.7.5", 25));
        harness.watermark(at(25));
        // Phone A's NAC session never said stop, but its address went to phone B at 10: not A's at 25.
        assertThat(out()).extracting(h -> h.deviceId, h -> h.bindingMiss).containsExactly(tuple("10.20.7.5", "expired"));
    }

    @Test
    void accountingOffEndsEveryBindingOfThatNasOnly() throws Exception {
        send(nac(Binding.Action.START, "10.20.7.5", PHONE_A, 0, "wlc-1", "e.claes"));
        send(nac(Binding.Action.START, "10.20.7.6", PHONE_B, 0, "wlc-2", "k.nowak"));
        accountingOff("wlc-1", 20);
        send(hit("10.20.7.5", 10));
        send(hit("10.20.7.5", 30));
        send(hit("10.20.7.6", 30));
        harness.watermark(at(30));
        assertThat(out()).extracting(h -> h.clientIp, h -> h.deviceId, h -> h.userName, h -> h.attribution).containsExactlyInAnyOrder(
                tuple("10.20.7.5", "PHONE-0230", "e.claes", "nac"),
                tuple("10.20.7.5", "10.20.7.5", null, "client-ip"),
                tuple("10.20.7.6", PHONE_B, "k.nowak", "nac"));
    }

    @Test
    void aNacSessionAndADhcpLeaseOfOneMacGiveTheHitBothNames() throws Exception {
        Binding dhcp = lease("10.20.7.5", PHONE_A, 0, 60);
        dhcp.hostName = "Pixel-8-ec";
        send(dhcp);
        send(nac(Binding.Action.START, "10.20.7.5", PHONE_A.toUpperCase(), 1, "wlc-1", "e.claes"));
        send(hit("10.20.7.5", 5));
        harness.watermark(at(5));
        assertThat(out()).extracting(h -> h.hostName, h -> h.userName, h -> h.attribution)
                .containsExactly(tuple("Pixel-8-ec", "e.claes", "nac"));
    }

    @Test
    void aHitThatNamesItsDeviceAndALateHitGoOnAtOnce() throws Exception {
        send(lease("10.20.7.5", PHONE_B, 0, 60));
        Hit withMac = hit("10.20.7.9", 10);
        withMac.mac = PHONE_A;
        send(withMac);
        assertThat(out()).extracting(h -> h.deviceId, h -> h.attribution).containsExactly(tuple("PHONE-0230", "mac"));
        Hit named = hit("10.20.7.5", 10);
        named.deviceId = "LAPTOP-0113"; // asserted by the sensor: the binding of its address does not apply
        send(named);
        assertThat(out()).extracting(h -> h.deviceId, h -> h.attribution, h -> h.bindingMiss).containsExactly(tuple("LAPTOP-0113", "asserted", null));
        harness.watermark(at(12));
        send(hit("10.20.7.5", 11)); // behind the watermark: judged with what is known
        assertThat(out()).extracting(h -> h.deviceId, h -> h.attribution).containsExactly(tuple(PHONE_B, "lease"));
    }

    @Test
    void stateEndsWithTheLeasePlusTheAllowedLateness() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 10));
        send(binding(Binding.Source.DHCP, Binding.Action.STOP, "10.20.7.5", PHONE_A, 5, -1));
        send(hit("10.20.7.5", 3));
        harness.watermark(at(3));
        assertThat(out()).hasSize(1);
        harness.watermark(at(10) + LATENESS.toMillis() - 1);
        assertThat(keyedStateEntries()).as("kept for hits within the lateness").isPositive();
        harness.watermark(at(10) + LATENESS.toMillis() + 1);
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSnapshotRestoresTheBindingsTheWaitingHitsAndTheAccountingOffs() throws Exception {
        send(lease("10.20.7.5", PHONE_A, 0, 60));
        send(nac(Binding.Action.START, "10.20.7.6", PHONE_B, 0, "wlc-1", "k.nowak"));
        accountingOff("wlc-1", 15);
        send(hit("10.20.7.5", 10));
        harness.watermark(at(5));
        OperatorSubtaskState snapshot = harness.snapshot(1, at(5));
        harness.close();

        harness = open(snapshot, true);
        send(hit("10.20.7.6", 20));
        harness.watermark(at(20));
        assertThat(out()).extracting(h -> h.clientIp, h -> h.deviceId, h -> h.attribution).containsExactlyInAnyOrder(
                tuple("10.20.7.5", "PHONE-0230", "lease"),
                tuple("10.20.7.6", "10.20.7.6", "client-ip"));
    }

    /**
     * The join ignores idleness (see {@link BindingJoin.Operator}): the accounting-off input's watermark, which comes
     * from the same matchers, must not carry the join past hits still on their way while the hits input was idle,
     * and no idleness goes on to the windows.
     */
    @Test
    void aWatermarkOnTheAccountingOffInputDoesNotOvertakeHitsOnAnIdleHitsInput() throws Exception {
        BindingJoin.Operator join = (BindingJoin.Operator) harness.getOperator();
        join.processWatermarkStatus1(WatermarkStatus.IDLE);
        join.processWatermarkStatus2(WatermarkStatus.IDLE);
        join.processWatermarkStatus2(WatermarkStatus.ACTIVE);
        harness.processBroadcastWatermark(at(30));
        assertThat(harness.getOutput()).isEmpty();
        join.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        Hit h = hit("10.20.9.40", 1);
        h.deviceId = "LAPTOP-7";
        send(h);
        harness.processWatermark(at(30));
        assertThat(harness.getOutput()).noneMatch(e -> e instanceof WatermarkStatus);
        assertThat(harness.getOutput()).hasSize(2).last().isEqualTo(new Watermark(at(30)));
    }

    @Test
    void bindingStateIsBoundedPerAddress() {
        List<Binding> history = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * BindingHistory.MAX_BINDINGS; i++) {
            BindingHistory.add(history, lease("10.20.7.5", i % 2 == 0 ? PHONE_A : PHONE_B, i, 60));
        }
        assertThat(history).hasSize(BindingHistory.MAX_BINDINGS);
        assertThat(history.get(0).timestamp).isEqualTo(at(2 * BindingHistory.MAX_BINDINGS));
    }
}
