package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.Collector;
import org.tiktokdetector.flink.DetectorMetrics;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.Hit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins hits with the address bindings (DHCP leases, NAC sessions) in event time, keyed by client address, and names
 * each hit's device ({@link DeviceAttribution}).
 *
 * <p>When the inputs carry bindings, a hit without a MAC waits until the watermark passes its time, so a binding that arrives later but within the
 * out-of-orderness still applies; then it takes the binding in force at its time ({@link BindingHistory#at}). A hit
 * the watermark has already passed (late) is judged at once with what is known. A hit that carries a MAC needs no
 * binding and goes on at once, and so does one whose sensor named the device (device_id): the record says who it is,
 * an address binding could only say less.
 *
 * <p>State: per address, its bindings (kept until their lease ends plus the allowed lateness, an event-time timer
 * each) and the hits waiting for the watermark. Accounting-off ends every binding of a NAS, whatever its address: it
 * comes on the broadcast side and is kept per NAS ({@link #ACCOUNTING_OFF}, the last {@link #MAX_OFF_PER_NAS} times).
 */
public class BindingJoin extends KeyedBroadcastProcessFunction<String, AddressEvent, Binding, Hit> {
    public static final MapStateDescriptor<String, List<Long>> ACCOUNTING_OFF = new MapStateDescriptor<>(
            "nas-accounting-off", Types.STRING, Types.LIST(Types.LONG));
    static final int MAX_OFF_PER_NAS = 16;
    /** Accumulators and metrics: hits without a MAC or device id that no binding applied to, by reason. */
    public static final String NO_LEASE = "no_lease_hits";
    public static final String EXPIRED = "expired_lease_hits";

    private static final Comparator<Hit> INPUT_ORDER = Comparator.comparing((Hit h) -> h.source, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(h -> h.line).thenComparingLong(h -> h.packet);

    private final DeviceAttribution attribution;
    private final long allowedLateness;
    private final boolean wait;
    private transient ValueState<List<Binding>> bindings;
    private transient MapState<Long, List<Hit>> waiting;
    private transient LongCounter hits;
    private transient LongCounter noLease;
    private transient LongCounter expired;
    private transient DetectorMetrics.ByLabel byCategory;
    private transient DetectorMetrics.ByLabel byAttribution;
    private transient Counter unattributed;

    /** @param wait whether hits wait for the watermark: only when the inputs carry bindings (Settings#waitForBindings) */
    public BindingJoin(DeviceInventory inventory, Duration allowedLateness, boolean wait) {
        this.attribution = new DeviceAttribution(inventory);
        this.allowedLateness = allowedLateness.toMillis();
        this.wait = wait;
    }

    @Override
    public void open(OpenContext openContext) {
        bindings = getRuntimeContext().getState(new ValueStateDescriptor<>("bindings", Types.LIST(Types.POJO(Binding.class))));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-hits", Types.LONG, Types.LIST(Types.POJO(Hit.class))));
        hits = DetectorMetrics.counter(getRuntimeContext(), DeviceAttribution.HITS);
        noLease = DetectorMetrics.counter(getRuntimeContext(), NO_LEASE);
        expired = DetectorMetrics.counter(getRuntimeContext(), EXPIRED);
        byCategory = new DetectorMetrics.ByLabel(getRuntimeContext().getMetricGroup(), "category", "hits");
        byAttribution = new DetectorMetrics.ByLabel(getRuntimeContext().getMetricGroup(), "attribution", "hits");
        unattributed = DetectorMetrics.group(getRuntimeContext().getMetricGroup()).counter(DeviceAttribution.UNATTRIBUTED);
    }

    @Override
    public void processElement(AddressEvent e, ReadOnlyContext ctx, Collector<Hit> out) throws Exception {
        if (e.binding != null) {
            List<Binding> history = bindings.value();
            if (history == null) {
                history = new ArrayList<>();
            }
            BindingHistory.add(history, e.binding);
            bindings.update(history);
            long end = e.binding.action == Binding.Action.STOP ? e.binding.timestamp : BindingHistory.leaseEnd(e.binding);
            ctx.timerService().registerEventTimeTimer(end + allowedLateness);
            return;
        }
        Hit h = e.hit;
        if (!wait || namesItsDevice(h) || h.timestamp <= ctx.timerService().currentWatermark()) {
            emit(h, ctx.getBroadcastState(ACCOUNTING_OFF), out);
            return;
        }
        List<Hit> at = waiting.get(h.timestamp);
        if (at == null) {
            at = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(h.timestamp);
        }
        at.add(h);
        waiting.put(h.timestamp, at);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Hit> out) throws Exception {
        List<Hit> due = waiting.get(time);
        if (due != null) {
            waiting.remove(time);
            // Hits of one time leave in the order they were read (file, line or packet), not in the order two readers
            // happened to hand them over: a violation's first evidence handles are the same in every run.
            due.sort(INPUT_ORDER);
            for (Hit h : due) {
                emit(h, ctx.getBroadcastState(ACCOUNTING_OFF), out);
            }
        }
        List<Binding> history = bindings.value();
        if (history != null) {
            // By the timer's time, not the watermark's: a watermark that jumps (a replay's end) fires every timer
            // behind it in order, and the hits still waiting at later timers need the bindings of their time.
            if (BindingHistory.prune(history, time - allowedLateness)) {
                bindings.update(history);
            } else {
                bindings.clear();
            }
        }
    }

    private void emit(Hit h, ReadOnlyBroadcastState<String, List<Long>> accountingOff, Collector<Hit> out) throws Exception {
        Binding held = null;
        if (!namesItsDevice(h)) {
            List<Binding> history = bindings.value();
            BindingHistory.At at = history == null ? new BindingHistory.At(null, "no-lease")
                    : BindingHistory.at(history, h.timestamp, nas -> get(accountingOff, nas));
            held = at.binding();
            h.bindingMiss = at.miss();
            if ("no-lease".equals(at.miss())) {
                noLease.add(1);
            } else if ("expired".equals(at.miss())) {
                expired.add(1);
            }
        }
        attribution.attribute(h, held);
        hits.add(1);
        byCategory.inc(h.category.label());
        byAttribution.inc(h.attribution);
        if ("client-ip".equals(h.attribution)) {
            unattributed.inc();
        }
        out.collect(h);
    }

    private static boolean namesItsDevice(Hit h) {
        return h.mac != null || h.deviceId != null;
    }

    private static List<Long> get(ReadOnlyBroadcastState<String, List<Long>> state, String nas) {
        try {
            return state.get(nas);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The join's operator, which ignores idleness. Both its inputs, hits and accounting-offs, come from the same
     * matchers, so they are idle or active together and idleness says nothing that the watermark does not. Honoured,
     * it lets watermarks overtake hits when the first flows come after a quiet start (every input idle): the
     * accounting-off input may be active with the matcher's new watermark while the hits input, which carries the
     * hits before that watermark, is still idle; the join would then pass the watermark on before those hits, and the
     * windows would find every one of them late. Downstream, one join subtask could do the same to another's hits.
     * Each input's own channels still leave an idle matcher out, so a quiet matcher holds nothing back.
     */
    public static final class Operator extends CoBroadcastWithKeyedOperator<String, AddressEvent, Binding, Hit> {
        private static final long serialVersionUID = 1L;

        public Operator(BindingJoin join) {
            super(join, List.of(ACCOUNTING_OFF));
        }

        @Override
        protected void processWatermarkStatus(WatermarkStatus status, int index) {}
    }

    @Override
    public void processBroadcastElement(Binding off, Context ctx, Collector<Hit> out) throws Exception {
        BroadcastState<String, List<Long>> state = ctx.getBroadcastState(ACCOUNTING_OFF);
        List<Long> times = state.get(off.nasId);
        times = times == null ? new ArrayList<>() : new ArrayList<>(times);
        times.add(off.timestamp);
        if (times.size() > MAX_OFF_PER_NAS) {
            times.remove(0);
        }
        state.put(off.nasId, times);
    }
}
