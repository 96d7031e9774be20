package org.tiktokdetector.match;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The broadcast matcher in Flink's operator harness: list races, update order, checkpoint and restore. */
class BlocklistMatcherTest {
    private static final BlocklistRule TIKTOK = BlocklistTest.rule("tiktokv.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
    private static final BlocklistRule LEMON8 = BlocklistTest.rule("lemon8-app.com", MatchType.SUFFIX, false, Category.LEMON8);
    private static final BlocklistRule ALLOW = BlocklistTest.rule("safe.tiktokv.com", MatchType.SUFFIX, true, Category.TIKTOK_APP);

    private static BroadcastOperatorTestHarness<DecodedLine, BlocklistUpdate, Hit> harness(List<BlocklistRule> initial) throws Exception {
        return new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(new BlocklistMatcher(initial),
                List.of(BlocklistMatcher.RULES, BlocklistMatcher.VERSION)), 1, 1, 0);
    }

    private static DecodedLine query(long ts, String name) {
        return DecodedLine.of(new FlowRecord(ts, Kind.DNS, "10.0.0.5", 53000, "10.0.0.1", 53, "udp", name));
    }

    @Test
    void theInitialListJudgesTheFirstRecordBeforeAnyUpdateArrives() throws Exception {
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            h.processElement(query(1, "api16-normal-c-useast1a.tiktokv.com"), 1);
            h.processElement(query(2, "aaatiktokv.com"), 2);
            assertThat(h.extractOutputValues()).singleElement().satisfies(hit -> {
                assertThat(hit.name).isEqualTo("api16-normal-c-useast1a.tiktokv.com");
                assertThat(hit.rule).isEqualTo("tiktokv.com");
                assertThat(hit.category).isEqualTo(Category.TIKTOK_APP);
                assertThat(hit.listVersion).isZero();
            });
        }
    }

    @Test
    void updatesApplyInOrderAndOnlyToLaterRecords() throws Exception {
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            h.processElement(query(1, "www.lemon8-app.com"), 1);
            h.processBroadcastElement(BlocklistUpdate.add(LEMON8), 2);
            h.processElement(query(3, "www.lemon8-app.com"), 3);
            h.processBroadcastElement(BlocklistUpdate.add(ALLOW), 4);
            h.processElement(query(5, "x.safe.tiktokv.com"), 5);
            h.processBroadcastElement(BlocklistUpdate.remove(LEMON8), 6);
            h.processBroadcastElement(BlocklistUpdate.remove(ALLOW), 7);
            h.processElement(query(8, "www.lemon8-app.com"), 8);
            h.processElement(query(9, "x.safe.tiktokv.com"), 9);
            assertThat(h.extractOutputValues()).extracting(x -> x.timestamp + " " + x.rule + " v" + x.listVersion)
                    .containsExactly("3 lemon8-app.com v1", "9 tiktokv.com v4");
        }
    }

    @Test
    void aRestoredMatcherKeepsTheUpdatedListAndItsVersion() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            h.processBroadcastElement(BlocklistUpdate.add(LEMON8), 1);
            h.processBroadcastElement(BlocklistUpdate.remove(TIKTOK), 2);
            snapshot = h.snapshot(1, 3);
        }
        // The restored task is built with the original initial list: the state, not the constructor, must win.
        try (var h = harness(List.of(TIKTOK))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(query(4, "api.lemon8-app.com"), 4);
            h.processElement(query(5, "api16-normal-c-useast1a.tiktokv.com"), 5);
            assertThat(h.extractOutputValues()).extracting(x -> x.rule + " v" + x.listVersion)
                    .containsExactly("lemon8-app.com v2");
            h.processBroadcastElement(BlocklistUpdate.add(TIKTOK), 6);
            h.processElement(query(7, "api16-normal-c-useast1a.tiktokv.com"), 7);
            assertThat(h.extractOutputValues()).extracting(x -> x.rule + " v" + x.listVersion)
                    .containsExactly("lemon8-app.com v2", "tiktokv.com v3");
        }
    }

    @Test
    void anUntouchedListRestoresAsTheInitialList() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            h.processElement(query(1, "a.tiktokv.com"), 1);
            snapshot = h.snapshot(1, 2);
        }
        try (var h = harness(List.of(TIKTOK))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(query(3, "b.tiktokv.com"), 3);
            assertThat(h.extractOutputValues()).extracting(x -> x.name).containsExactly("b.tiktokv.com");
        }
    }

    @Test
    void namesThatAreNotHostNamesAreNeverHits() throws Exception {
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            h.processElement(query(1, "tiktokv..com"), 1);
            h.processElement(query(2, ""), 2);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aMalformedLineGoesWholeToTheDeadLettersAndAnIgnoredOneNowhere() throws Exception {
        try (var h = harness(List.of(TIKTOK))) {
            h.open();
            DecodedLine bad = new DecodedLine();
            bad.deadLetter = DeadLetter.of("dns.log", 7, -1, -1, "{\"ts\":".getBytes(StandardCharsets.UTF_8), "truncated JSON");
            h.processElement(bad, 1);
            h.processElement(new DecodedLine(), 2);
            h.processElement(query(3, "a.tiktokv.com"), 3);
            assertThat(h.getSideOutput(BlocklistMatcher.DEAD_LETTERS)).extracting(r -> r.getValue().reason + " @" + r.getTimestamp())
                    .containsExactly("truncated JSON @1");
            assertThat(h.extractOutputValues()).extracting(x -> x.name).containsExactly("a.tiktokv.com");
        }
    }
}
