package org.tiktokdetector.match;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.flink.DetectorMetrics;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges every flow record of a decoded line against the list in force and emits a {@link Hit} per
 * match. A line that could not be decoded goes whole, with the reason, to {@link #DEAD_LETTERS}; address
 * bindings go on to {@link #BINDINGS}; record types we do not use are counted. The job never fails on data.
 *
 * <p>The list lives in broadcast state (rules by key, and the version), so every parallel matcher
 * applies the same updates in the same order and a restore brings back the list that was in force.
 * The initial list travels with the function itself: it judges the very first record, whatever
 * the control stream is doing (no record slips through because the list arrived late). The state
 * is seeded with that list on the first update, so an untouched list needs no state at all.
 */
public class BlocklistMatcher extends BroadcastProcessFunction<DecodedLine, BlocklistUpdate, Hit> {
    public static final MapStateDescriptor<String, BlocklistRule> RULES = new MapStateDescriptor<>(
            "blocklist-rules", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(BlocklistRule.class));
    public static final MapStateDescriptor<String, Long> VERSION = new MapStateDescriptor<>(
            "blocklist-version", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.LONG_TYPE_INFO);
    private static final String VERSION_KEY = "version";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** DHCP leases and NAC accounting pass the matcher untouched, to be joined with the hits by address. */
    public static final OutputTag<Binding> BINDINGS = new OutputTag<>("bindings") {};
    /**
     * Accumulators, and metrics of the same names ({@link DetectorMetrics}): every flow record judged, from logs and
     * captures alike; lines of unused types; malformed lines; packets the capture decoders skipped; and every line
     * and capture unit by its type ({@link Tally}; the metric {@code type_lines} by the label {@code type}).
     */
    public static final String RECORDS = "flow_records";
    public static final String IGNORED = "ignored";
    public static final String MALFORMED = "malformed";
    /** Accumulator and metric: lines that held address bindings (DHCP, NAC), passed on to the binding join. */
    public static final String BINDING_LINES = "binding_lines";
    public static final String SKIPPED_PACKETS = "skipped_packets";
    public static final String BY_TYPE = "lines_by_type";

    private final ArrayList<BlocklistRule> initialRules;
    /** The lookup index over the rules in state; rebuilt from state after a restore. Read by the metrics reporter's thread too. */
    private transient volatile Blocklist list;
    private transient LongCounter records;
    private transient LongCounter ignored;
    private transient LongCounter malformed;
    private transient LongCounter bindingLines;
    private transient LongCounter skippedPackets;
    private transient Tally byType;
    private transient DetectorMetrics.ByLabel linesByType;
    private transient Counter matched;
    private transient Counter unmatched;
    private transient Counter invalidNames;

    public BlocklistMatcher(List<BlocklistRule> initialRules) {
        this.initialRules = new ArrayList<>(initialRules);
    }

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        records = DetectorMetrics.counter(getRuntimeContext(), RECORDS);
        ignored = DetectorMetrics.counter(getRuntimeContext(), IGNORED);
        malformed = DetectorMetrics.counter(getRuntimeContext(), MALFORMED);
        bindingLines = DetectorMetrics.counter(getRuntimeContext(), BINDING_LINES);
        skippedPackets = DetectorMetrics.counter(getRuntimeContext(), SKIPPED_PACKETS);
        byType = new Tally();
        getRuntimeContext().addAccumulator(BY_TYPE, byType);
        linesByType = new DetectorMetrics.ByLabel(metrics, "type", "lines");
        // The list in force: the same in every parallel matcher once an update has reached them all.
        DetectorMetrics.group(metrics).gauge("list_version", () -> list == null ? 0 : list.version());
        DetectorMetrics.group(metrics).gauge("list_rules", () -> list == null ? initialRules.size() : list.size());
        matched = metrics.counter("recordsMatched");
        unmatched = metrics.counter("recordsNotMatched");
        invalidNames = metrics.counter("recordsWithInvalidName");
    }

    @Override
    public void processElement(DecodedLine line, ReadOnlyContext ctx, Collector<Hit> out) throws Exception {
        if (line.type != null) {
            byType.add(line.type);
            linesByType.inc(line.type);
        }
        if (line.deadLetter != null) {
            malformed.add(1);
            ctx.output(DEAD_LETTERS, line.deadLetter);
        } else if (DecodedLine.SKIPPED_PACKET.equals(line.type)) {
            skippedPackets.add(1);
        } else if (!line.bindings.isEmpty()) {
            bindingLines.add(1);
            for (Binding b : line.bindings) {
                ctx.output(BINDINGS, b);
            }
        } else if (line.ignored()) {
            ignored.add(1);
        }
        if (line.records.isEmpty()) {
            return;
        }
        Blocklist l = list(ctx.getBroadcastState(RULES), ctx.getBroadcastState(VERSION));
        for (FlowRecord r : line.records) {
            judge(r, l, out);
        }
    }

    private void judge(FlowRecord record, Blocklist l, Collector<Hit> out) {
        records.add(1);
        BlocklistRule rule = l.decide(record.name);
        if (rule == Blocklist.NOT_A_NAME) {
            invalidNames.inc();
            return;
        }
        if (rule == null) {
            unmatched.inc();
            return;
        }
        matched.inc();
        out.collect(rule.hit(record, l.version()));
    }

    @Override
    public void processBroadcastElement(BlocklistUpdate update, Context ctx, Collector<Hit> out) throws Exception {
        BroadcastState<String, BlocklistRule> rules = ctx.getBroadcastState(RULES);
        BroadcastState<String, Long> version = ctx.getBroadcastState(VERSION);
        Blocklist l = list(rules, version);
        if (version.get(VERSION_KEY) == null) {
            for (BlocklistRule r : initialRules) {
                rules.put(r.key(), r);
            }
            version.put(VERSION_KEY, l.version());
        }
        if (l.apply(update)) {
            if (update.op == BlocklistUpdate.Op.ADD) {
                rules.put(update.rule.key(), update.rule);
            } else {
                rules.remove(update.rule.key());
            }
            version.put(VERSION_KEY, l.version());
        }
    }

    private Blocklist list(ReadOnlyBroadcastState<String, BlocklistRule> rules,
                           ReadOnlyBroadcastState<String, Long> version) throws Exception {
        if (list == null) {
            Long v = version.get(VERSION_KEY);
            if (v == null) {
                list = Blocklist.of(initialRules);
            } else {
                List<BlocklistRule> restored = new ArrayList<>();
                for (Map.Entry<String, BlocklistRule> e : rules.immutableEntries()) {
                    restored.add(e.getValue());
                }
                list = Blocklist.of(restored);
                list.setVersion(v);
            }
        }
        return list;
    }
}
