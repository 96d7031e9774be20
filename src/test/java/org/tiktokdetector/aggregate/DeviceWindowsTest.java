package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.Tunnel;
import org.tiktokdetector.records.TunnelLayer;
import org.tiktokdetector.records.Violation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-device windows as the job builds them, driven by explicit watermarks. */
class DeviceWindowsTest {
    private static final long T0 = Instant.parse("2026-11-24T09:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final DetectionJob.Settings SETTINGS = new DetectionJob.Settings(
            Duration.ofMinutes(10), 3, 3, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(30),
            Duration.ofDays(1), 1 << 20, org.tiktokdetector.decode.capture.TunnelPorts.DEFAULTS, null);

    private KeyedOneInputStreamOperatorTestHarness<String, Hit, Violation> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var windows = DetectionJob.deviceWindows(env.fromData(hit(0, "d", "x.tiktokv.com", Category.TIKTOK_APP)), SETTINGS);
        var transformation = (OneInputTransformation<Hit, Violation>) windows.getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(), h -> h.deviceId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Hit hit(long ts, String device, String name, Category category) {
        Hit h = new Hit();
        h.timestamp = ts;
        h.deviceId = device;
        h.clientIp = "10.0.0." + device.length();
        h.sensor = "tap-1";
        h.kind = Kind.DNS;
        h.name = name;
        h.rule = name;
        h.category = category;
        h.listVersion = 2;
        return h;
    }

    private void feed(Hit h) throws Exception {
        harness.processElement(new StreamRecord<>(h, h.timestamp));
    }

    private List<Violation> output() {
        return harness.extractOutputValues();
    }

    @Test
    void crossingTheThresholdReportsAtOnceAndTheCloseRestatesWithTheSameId() throws Exception {
        harness.processWatermark(T0);
        feed(hit(T0 + MINUTE, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP));
        feed(hit(T0 + 2 * MINUTE, "laptop", "log16.tiktokv.com", Category.TIKTOK_APP));
        assertThat(output()).isEmpty();
        feed(hit(T0 + 3 * MINUTE, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP));
        assertThat(output()).singleElement().satisfies(v -> {
            assertThat(v.status).isEqualTo("early");
            assertThat(v.hitCount).isEqualTo(3);
        });
        Hit withAnswers = hit(T0 + 4 * MINUTE, "laptop", "www.tiktok.com", Category.TIKTOK_WEB);
        withAnswers.kind = Kind.TLS;
        withAnswers.answers = List.of(new DnsAnswer("CNAME", "x.edgesuite.net", 60), new DnsAnswer("A", "23.1.2.3", 60));
        feed(withAnswers);
        assertThat(output()).hasSize(1);

        harness.processWatermark(T0 + 10 * MINUTE - 1);
        List<Violation> out = output();
        assertThat(out).hasSize(2);
        Violation early = out.get(0);
        Violation closed = out.get(1);
        assertThat(closed.status).isEqualTo("final");
        assertThat(closed.violationId).isEqualTo(early.violationId);
        assertThat(closed.deviceId).isEqualTo("laptop");
        assertThat(closed.hitCount).isEqualTo(4);
        assertThat(closed.windowStart).isEqualTo(T0);
        assertThat(closed.windowEnd).isEqualTo(T0 + 10 * MINUTE);
        assertThat(closed.firstHit).isEqualTo(T0 + MINUTE);
        assertThat(closed.lastHit).isEqualTo(T0 + 4 * MINUTE);
        assertThat(closed.names).containsOnly(java.util.Map.entry("api16.tiktokv.com", 2L),
                java.util.Map.entry("log16.tiktokv.com", 1L), java.util.Map.entry("www.tiktok.com", 1L));
        assertThat(closed.toJson().get("names").toString())
                .isEqualTo("{\"api16.tiktokv.com\":2,\"log16.tiktokv.com\":1,\"www.tiktok.com\":1}");
        assertThat(closed.categories).containsEntry("tiktok-app", 3L).containsEntry("tiktok-web", 1L);
        assertThat(closed.evidence).containsEntry("dns", 3L).containsEntry("tls", 1L);
        assertThat(closed.services).containsExactly("TikTok");
        assertThat(closed.sensors).containsExactly("tap-1");
        assertThat(closed.resolvedAddresses).containsExactly("23.1.2.3");
        assertThat(closed.severity).isEqualTo("high");
        assertThat(closed.listVersion).isEqualTo(2);
    }

    /** Case, a trailing dot and Unicode-vs-punycode name one name, as the matcher compares them. */
    @Test
    void namesAreCountedInTheirNormalFormAndTheFirstHitsListedAsHandles() throws Exception {
        harness.processWatermark(T0);
        for (String name : List.of("WWW.TikTok.com.", "www.tiktok.com", "www.tiktok.com.", "bücher.tiktok.com", "xn--bcher-kva.tiktok.com")) {
            Hit h = hit(T0 + MINUTE, "laptop", name, Category.TIKTOK_WEB);
            h.uid = "C" + name.length();
            h.line = name.length();
            feed(h);
        }
        for (int i = 0; i < DeviceWindow.MAX_HANDLES; i++) {
            feed(hit(T0 + 2 * MINUTE + i, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP));
        }
        harness.processWatermark(T0 + 10 * MINUTE - 1);
        Violation closed = output().get(output().size() - 1);
        assertThat(closed.names).containsOnly(java.util.Map.entry("www.tiktok.com", 3L),
                java.util.Map.entry("xn--bcher-kva.tiktok.com", 2L), java.util.Map.entry("api16.tiktokv.com", 10L));
        assertThat(closed.handles).as("bounded to the earliest hits").hasSize(DeviceWindow.MAX_HANDLES);
        // Same time: by line (the names' lengths here), then name.
        assertThat(closed.handles.get(0).line).isEqualTo(14);
        assertThat(closed.handles.get(1).name).as("a handle keeps the name as observed").isEqualTo("WWW.TikTok.com.");
        assertThat(closed.handles.get(1).uid).isEqualTo("C15");
        assertThat(closed.handles.get(1).line).isEqualTo(15);
        assertThat(closed.handles.get(DeviceWindow.MAX_HANDLES - 1).timestamp).isEqualTo(T0 + 2 * MINUTE + 4);
        assertThat(closed.toJson().get("handles")).hasSize(DeviceWindow.MAX_HANDLES);
    }

    /** A final record's handles do not depend on the order its hits arrived in (parallel sources, restores). */
    @Test
    void theHandlesAreTheEarliestHitsWhateverTheirArrivalOrder() {
        List<Hit> hits = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * DeviceWindow.MAX_HANDLES; i++) {
            Hit h = hit(T0 + MINUTE + i % 7, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP);
            h.source = "eve.json";
            h.line = i;
            hits.add(h);
        }
        DeviceWindow inOrder = new DeviceWindow();
        hits.forEach(inOrder::add);
        DeviceWindow reversed = new DeviceWindow();
        java.util.Collections.reverse(hits);
        hits.forEach(reversed::add);

        assertThat(inOrder.handles).hasSize(DeviceWindow.MAX_HANDLES).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(reversed.handles);
        assertThat(inOrder.handles).extracting(e -> e.timestamp).isSorted().containsOnly(T0 + MINUTE, T0 + MINUTE + 1);
    }

    @Test
    void devicesAndWindowsAreCountedApart() throws Exception {
        feed(hit(T0 + MINUTE, "a", "x.tiktokv.com", Category.TIKTOK_APP));
        feed(hit(T0 + 2 * MINUTE, "b", "x.tiktokv.com", Category.TIKTOK_APP));
        feed(hit(T0 + 9 * MINUTE, "a", "x.tiktokv.com", Category.TIKTOK_APP));
        feed(hit(T0 + 11 * MINUTE, "a", "x.tiktokv.com", Category.TIKTOK_APP));
        feed(hit(T0 + 12 * MINUTE, "b", "x.tiktokv.com", Category.TIKTOK_APP));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(output()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void gradesAppUseEmbedsAndEverythingBetween() throws Exception {
        for (int i = 0; i < 3; i++) {
            feed(hit(T0 + i * 1000, "embed", "p16-sign-va.tiktokcdn.com", Category.TIKTOK_CDN));
            feed(hit(T0 + i * 1000, "mixed", i == 0 ? "x.tiktokv.com" : "www.tiktok.com", i == 0 ? Category.TIKTOK_APP : Category.TIKTOK_WEB));
            feed(hit(T0 + i * 1000, "app", "api.capcutapi.com", Category.CAPCUT));
        }
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(output()).filteredOn(v -> v.status.equals("final"))
                .extracting(v -> v.deviceId + " " + v.severity + ": " + v.severityReason)
                .containsExactlyInAnyOrder(
                        "embed low: CDN names only (3 hits): typical of a video embedded in a web page",
                        "mixed medium: 1 app API hits (below 3), 2 web or corporate hits",
                        "app high: app in use: 3 hits on app API hosts");
    }

    @Test
    void lateHitsRestateTheFinalRecordWithinTheLatenessAndGoToTheSideOutputBeyondIt() throws Exception {
        for (int i = 1; i <= 3; i++) {
            feed(hit(T0 + i * MINUTE, "laptop", "x.tiktokv.com", Category.TIKTOK_APP));
        }
        harness.processWatermark(T0 + 10 * MINUTE + 30_000); // closed, still within the 1-minute lateness
        assertThat(output()).extracting(v -> v.status + " " + v.hitCount).containsExactly("early 3", "final 3");

        feed(hit(T0 + 5 * MINUTE, "laptop", "late.tiktokv.com", Category.TIKTOK_APP));
        assertThat(output()).extracting(v -> v.status + " " + v.hitCount).containsExactly("early 3", "final 3", "final 4");
        assertThat(output().get(2).violationId).isEqualTo(output().get(0).violationId);

        harness.processWatermark(T0 + 11 * MINUTE); // now past end + lateness: the window is gone
        assertThat(harness.numKeyedStateEntries()).isZero();
        Hit tooLate = hit(T0 + 6 * MINUTE, "laptop", "too-late.tiktokv.com", Category.TIKTOK_APP);
        feed(tooLate);
        assertThat(output()).hasSize(3);
        assertThat(harness.getSideOutput(DetectionJob.LATE_HITS)).extracting(r -> r.getValue().name)
                .containsExactly("too-late.tiktokv.com");
    }

    @Test
    void aDeviceThatHitsThousandsOfNamesKeepsBoundedEvidence() throws Exception {
        for (int i = 0; i < 1000; i++) {
            Hit h = hit(T0 + i, "busy", "v" + i + ".tiktokcdn.com", Category.TIKTOK_CDN);
            h.tunnel = List.of(new TunnelLayer("gre", i, "192.0.2.1", "192.0.2.2"));
            feed(h);
        }
        harness.processWatermark(T0 + 10 * MINUTE);
        Violation v = output().get(output().size() - 1);
        assertThat(v.hitCount).isEqualTo(1000);
        assertThat(v.names).hasSize(DeviceWindow.MAX_NAMES);
        assertThat(v.otherNameHits).isEqualTo(1000 - DeviceWindow.MAX_NAMES);
        assertThat(v.tunnels).hasSize(DeviceWindow.MAX_SMALL_LIST);
    }

    @Test
    void aViolationListsEachTunnelItsHitsCameThroughOnce() throws Exception {
        List<TunnelLayer> site = List.of(new TunnelLayer("erspan", 7, "192.0.2.1", "192.0.2.9"), new TunnelLayer("mpls", 16, null, null));
        List<TunnelLayer> tenant = List.of(new TunnelLayer("vxlan", 100, "2001:db8::1", "2001:db8::2"));
        for (List<TunnelLayer> tunnel : java.util.Arrays.asList(site, tenant, site, null)) {
            Hit h = hit(T0 + MINUTE, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP);
            h.tunnel = tunnel;
            feed(h);
        }
        harness.processWatermark(T0 + 10 * MINUTE);
        Violation v = output().get(output().size() - 1);
        assertThat(v.tunnels).containsExactly(new Tunnel(site), new Tunnel(tenant));
        assertThat(v.toJson().get("tunnels").toString()).isEqualTo(
                "[[{\"type\":\"erspan\",\"id\":7,\"outer_src\":\"192.0.2.1\",\"outer_dst\":\"192.0.2.9\"},{\"type\":\"mpls\",\"id\":16}],"
                        + "[{\"type\":\"vxlan\",\"id\":100,\"outer_src\":\"2001:db8::1\",\"outer_dst\":\"2001:db8::2\"}]]");
    }

    @Test
    void aViolationWithoutTunnelsSaysNothingOfThem() throws Exception {
        for (int i = 0; i < 3; i++) {
            feed(hit(T0 + MINUTE, "laptop", "api16.tiktokv.com", Category.TIKTOK_APP));
        }
        harness.processWatermark(T0 + 10 * MINUTE);
        assertThat(output().get(output().size() - 1).toJson().has("tunnels")).isFalse();
    }
}
