package org.tiktokdetector;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.tiktokdetector.aggregate.AddressEvent;
import org.tiktokdetector.aggregate.BindingJoin;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.aggregate.DeviceWindowAggregate;
import org.tiktokdetector.aggregate.EventTimeLag;
import org.tiktokdetector.aggregate.LateHits;
import org.tiktokdetector.aggregate.PseudonymiseHits;
import org.tiktokdetector.aggregate.ThresholdTrigger;
import org.tiktokdetector.aggregate.ViolationWindowFunction;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.TunnelPorts;
import org.tiktokdetector.emit.Outputs;
import org.tiktokdetector.flink.ChainedBroadcast;
import org.tiktokdetector.flink.DecodedLineType;
import org.tiktokdetector.match.BlocklistMatcher;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Violation;
import org.tiktokdetector.source.EventTime;
import org.tiktokdetector.source.InputLimits;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The detection topology, independent of where records come from and go to:
 * decode (in each source: log lines or packets -> flow records, address bindings, dead letters) -> match (broadcast
 * blocklist -> hits; bindings pass) -> aggregate (device attribution: hits joined with the bindings by address in
 * event time; per-device event-time windows -> violations)
 * -> the caller's sinks.
 * The CLI plugs in files or Kafka; tests plug in their own sources and collect the outputs.
 * Every stateful operator has a uid so savepoints survive upgrades.
 */
public final class DetectionJob {
    public static final OutputTag<Hit> LATE_HITS = new OutputTag<>("late-hits") {};

    /**
     * The knobs of detection; defaults are what the README documents.
     *
     * @param pseudonymise    replaces identifiers with keyed pseudonyms ({@code --pseudonymise-key}); null leaves them in
     *                        the clear
     * @param waitForBindings the inputs carry address bindings (DHCP, NAC): a hit without MAC or device id waits for
     *                        the watermark so a binding that arrives after it still applies. Without bindings it goes
     *                        on at once, so a live input's early violations are not held back for nothing.
     */
    public record Settings(Duration window, long threshold, long appThreshold, Duration outOfOrderness,
                           Duration allowedLateness, Duration quietAfter, Duration maxAhead, int maxLineLength,
                           TunnelPorts tunnelPorts, PseudonymiseHits pseudonymise, boolean waitForBindings) implements Serializable {
        public Settings(Duration window, long threshold, long appThreshold, Duration outOfOrderness, Duration allowedLateness,
                        Duration quietAfter, Duration maxAhead, int maxLineLength, TunnelPorts tunnelPorts,
                        PseudonymiseHits pseudonymise) {
            this(window, threshold, appThreshold, outOfOrderness, allowedLateness, quietAfter, maxAhead, maxLineLength,
                    tunnelPorts, pseudonymise, false);
        }

        public Settings withBindings(boolean wait) {
            return new Settings(window, threshold, appThreshold, outOfOrderness, allowedLateness, quietAfter, maxAhead,
                    maxLineLength, tunnelPorts, pseudonymise, wait);
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(10), 5, 5, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(30),
                    Duration.ofDays(1), 1 << 20, TunnelPorts.DEFAULTS, null);
        }

        /** What the inputs take on trust, and how captures are read. */
        public InputLimits limits() {
            return new InputLimits(outOfOrderness, maxAhead, maxLineLength, tunnelPorts);
        }
    }

    private DetectionJob() {}

    /**
     * Event time for a live source (Kafka): assigned per source and per partition, so one input
     * that runs ahead never makes another's records late; a quiet input lets event time follow the
     * wall clock after {@link Settings#quietAfter()} so pending windows still close.
     */
    public static <T> WatermarkStrategy<T> liveEventTime(Settings settings, SerializableTimestampAssigner<T> timestamps) {
        return EventTime.flows(settings.outOfOrderness(), settings.quietAfter(), timestamps);
    }

    /**
     * Replays chain a matcher into each source while their lists fit this many rules in all (each chained matcher
     * holds its own index, about 240 bytes a rule: 2,000,000 is about 500 MB).
     */
    static final long CHAINED_RULES_BUDGET = 2_000_000;

    /**
     * @param inputs       decoded lines (replayed files and captures, Kafka topics), each with event time set at its
     *                     source ({@link #liveEventTime}, or {@link org.tiktokdetector.source.ReplaySource}'s own)
     * @param updates      blocklist changes; its source must not hold back event time ({@link EventTime#timeless()})
     * @param initialRules the list in force before any update
     */
    public static Outputs defineWorkflow(List<DataStream<DecodedLine>> inputs, DataStream<BlocklistUpdate> updates,
                                         List<BlocklistRule> initialRules, DeviceInventory inventory, Settings settings) {
        DecodedLineType.registerWith(updates.getExecutionEnvironment());
        List<SingleOutputStreamOperator<Hit>> matched = new ArrayList<>();
        if (ChainedBroadcast.possibleIn(updates.getExecutionEnvironment()) && copiesFit(inputs.stream().mapToInt(DataStream::getParallelism).sum(), initialRules.size())) {
            for (int i = 0; i < inputs.size(); i++) {
                matched.add(ChainedBroadcast.connect(inputs.get(i), updates, new BlocklistMatcher(initialRules),
                                TypeInformation.of(Hit.class), "match blocklist", List.of(BlocklistMatcher.RULES, BlocklistMatcher.VERSION))
                        .uid("match-blocklist" + uidSuffix(i)));
            }
        } else {
            DataStream<DecodedLine> all = inputs.get(0);
            for (DataStream<DecodedLine> more : inputs.subList(1, inputs.size())) {
                all = all.union(more);
            }
            matched.add(all.connect(updates.broadcast(BlocklistMatcher.RULES, BlocklistMatcher.VERSION))
                    .process(new BlocklistMatcher(initialRules)).uid("match-blocklist").name("match blocklist"));
        }
        DataStream<Hit> matchedHits = null;
        DataStream<Binding> bindings = null;
        DataStream<DeadLetter> deadLetters = null;
        for (SingleOutputStreamOperator<Hit> m : matched) {
            DataStream<Binding> b = m.getSideOutput(BlocklistMatcher.BINDINGS);
            DataStream<DeadLetter> dead = m.getSideOutput(BlocklistMatcher.DEAD_LETTERS);
            matchedHits = matchedHits == null ? m : matchedHits.union(m);
            bindings = bindings == null ? b : bindings.union(b);
            deadLetters = deadLetters == null ? dead : deadLetters.union(dead);
        }
        DataStream<Hit> hits = attribute(matchedHits, bindings, inventory, settings);
        if (settings.pseudonymise() != null) {
            // Chained to the join: a hit's identifiers are replaced as soon as its device is known.
            hits = hits.map(settings.pseudonymise()).uid("pseudonymise").name("pseudonymise");
        }
        SingleOutputStreamOperator<Violation> windows = deviceWindows(hits, settings);
        DataStream<Hit> late = windows.getSideOutput(LATE_HITS).process(new LateHits(settings.window(), settings.allowedLateness()))
                .uid("count-late-hits").name("count late hits");
        return new Outputs(EventTimeLag.after(windows), hits, late, deadLetters);
    }

    /**
     * Names each hit's device: bindings (DHCP leases, NAC sessions) meet the hits by address in event time
     * ({@link BindingJoin}); accounting-off, which ends every binding of a NAS whatever its address, is broadcast.
     */
    static DataStream<Hit> attribute(DataStream<Hit> hits, DataStream<Binding> bindings, DeviceInventory inventory, Settings settings) {
        DataStream<AddressEvent> byAddress = hits.map(AddressEvent::of).name("hits by address")
                .union(bindings.filter(b -> b.action != Binding.Action.ACCOUNTING_OFF).map(AddressEvent::of).name("bindings by address"));
        DataStream<Binding> accountingOff = bindings.filter(b -> b.action == Binding.Action.ACCOUNTING_OFF).name("accounting-off");
        return byAddress.keyBy(AddressEvent::key)
                .connect(accountingOff.broadcast())
                .transform("attribute device", TypeInformation.of(Hit.class),
                        new BindingJoin.Operator(new BindingJoin(inventory, settings.allowedLateness(), settings.waitForBindings())))
                .uid("attribute-device");
    }

    /**
     * A replay judges each record in its source's task, so only hits (about 1%) are handed between tasks, where
     * {@link ChainedBroadcast} can run (no checkpoints) and the copies of the list fit the heap: each parallel task
     * of each input's chained matcher holds its own copy (one replay source at parallelism 2: two copies).
     */
    static boolean copiesFit(int copies, int rules) {
        return (long) copies * rules <= CHAINED_RULES_BUDGET;
    }

    /** The first matcher keeps the plain uids, so a one-matcher job's savepoints name its operators the same. */
    private static String uidSuffix(int matcher) {
        return matcher == 0 ? "" : "-" + (matcher + 1);
    }

    /** Per-device event-time windows: hits in, early and final violations out, late hits to {@link #LATE_HITS}. */
    public static SingleOutputStreamOperator<Violation> deviceWindows(DataStream<Hit> hits, Settings settings) {
        return hits
                .keyBy(h -> h.deviceId)
                .window(TumblingEventTimeWindows.of(settings.window()))
                .allowedLateness(settings.allowedLateness())
                .sideOutputLateData(LATE_HITS)
                .trigger(new ThresholdTrigger(settings.threshold()))
                .aggregate(new DeviceWindowAggregate(), new ViolationWindowFunction(settings.threshold(), settings.appThreshold()))
                .uid("device-windows").name("device windows");
    }
}
