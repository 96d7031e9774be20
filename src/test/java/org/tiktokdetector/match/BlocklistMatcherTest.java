package org.tiktokdetector.match;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.flink.ChainedBroadcastHarness;
import org.tiktokdetector.flink.DecodedLineType;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broadcast matcher in Flink's operator harness: list races, update order, checkpoint and restore. The cases
 * without state or side outputs run on {@link org.tiktokdetector.flink.ChainedBroadcast} too, as a replay runs them.
 */
class BlocklistMatcherTest {
    private static final BlocklistRule TIKTOK = BlocklistTest.rule("tiktokv.com", MatchType.SUFFIX, false, Category.TIKTOK_APP);
    private static final BlocklistRule LEMON8 = BlocklistTest.rule("lemon8-app.com", MatchType.SUFFIX, false, Category.LEMON8);
    private static final BlocklistRule ALLOW = BlocklistTest.rule("safe.tiktokv.com", MatchType.SUFFIX, true, Category.TIKTOK_APP);

    private static BroadcastOperatorTestHarness<DecodedLine, BlocklistUpdate, Hit> harness(List<BlocklistRule> initial) throws Exception {
        return new BroadcastOperatorTestHarness<>(new CoBroadcastWithNonKeyedOperator<>(new BlocklistMatcher(initial),
                List.of(BlocklistMatcher.RULES, BlocklistMatcher.VERSION)), 1, 1, 0);
    }

    /** The matcher as the job runs it: in Flink's broadcast operator, or chained to its source (a replay). */
    interface Matcher extends AutoCloseable {
        void element(DecodedLine line, long timestamp) throws Exception;

        void update(BlocklistUpdate update, long timestamp) throws Exception;

        List<Hit> hits();
    }

    static Stream<Named<Function<List<BlocklistRule>, Matcher>>> operators() {
        return Stream.of(Named.of("Flink's broadcast operator", initial -> {
            try {
                var h = harness(initial);
                h.open();
                return new Matcher() {
                    public void element(DecodedLine line, long ts) throws Exception { h.processElement(line, ts); }
                    public void update(BlocklistUpdate u, long ts) throws Exception { h.processBroadcastElement(u, ts); }
                    public List<Hit> hits() { return h.extractOutputValues(); }
                    public void close() throws Exception { h.close(); }
                };
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), Named.of("ChainedBroadcast", initial -> {
            try {
                var h = new ChainedBroadcastHarness<>(new BlocklistMatcher(initial), List.of(BlocklistMatcher.RULES, BlocklistMatcher.VERSION),
                        DecodedLineType.INSTANCE, TypeInformation.of(BlocklistUpdate.class), TypeInformation.of(Hit.class));
                return new Matcher() {
                    public void element(DecodedLine line, long ts) throws Exception { h.processElement(line, ts); }
                    public void update(BlocklistUpdate u, long ts) throws Exception { h.processBroadcastElement(u, ts); }
                    public List<Hit> hits() { return h.extractOutputValues(); }
                    public void close() throws Exception { h.close(); }
                };
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    private static DecodedLine query(long ts, String name) {
        return DecodedLine.of(new FlowRecord(ts, Kind.DNS, "10.0.0.5", 53000, "10.0.0.1", 53, "udp", name));
    }

    @ParameterizedTest
    @MethodSource("operators")
    void theInitialListJudgesTheFirstRecordBeforeAnyUpdateArrives(Function<List<BlocklistRule>, Matcher> operator) throws Exception {
        try (var h = operator.apply(List.of(TIKTOK))) {
            h.element(query(1, "api16-normal-c-useast1a.tiktokv.com"), 1);
            h.element(query(2, "aaatiktokv.com"), 2);
            assertThat(h.hits()).singleElement().satisfies(hit -> {
                assertThat(hit.name).isEqualTo("api16-normal-c-useast1a.tiktokv.com");
                assertThat(hit.rule).isEqualTo("tiktokv.com");
                assertThat(hit.category).isEqualTo(Category.TIKTOK_APP);
                assertThat(hit.listVersion).isZero();
            });
        }
    }

    @ParameterizedTest
    @MethodSource("operators")
    void updatesApplyInOrderAndOnlyToLaterRecords(Function<List<BlocklistRule>, Matcher> operator) throws Exception {
        try (var h = operator.apply(List.of(TIKTOK))) {
            h.element(query(1, "www.lemon8-app.com"), 1);
            h.update(BlocklistUpdate.add(LEMON8), 2);
            h.element(query(3, "www.lemon8-app.com"), 3);
            h.update(BlocklistUpdate.add(ALLOW), 4);
            h.element(query(5, "x.safe.tiktokv.com"), 5);
            h.update(BlocklistUpdate.remove(LEMON8), 6);
            h.update(BlocklistUpdate.remove(ALLOW), 7);
            h.element(query(8, "www.lemon8-app.com"), 8);
            h.element(query(9, "x.safe.tiktokv.com"), 9);
            assertThat(h.hits()).extracting(x -> x.timestamp + " " + x.rule + " v" + x.listVersion)
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

    @ParameterizedTest
    @MethodSource("operators")
    void namesThatAreNotHostNamesAreNeverHits(Function<List<BlocklistRule>, Matcher> operator) throws Exception {
        try (var h = operator.apply(List.of(TIKTOK))) {
            h.element(query(1, "tiktokv..com"), 1);
            h.element(query(2, ""), 2);
            assertThat(h.hits()).isEmpty();
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
