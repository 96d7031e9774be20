package org.tiktokdetector.aggregate;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.tiktokdetector.flink.DetectorMetrics;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Violation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Turns a device's window into a violation once it holds at least {@code threshold} hits, and
 * grades it: "high" when the device talked to app API hosts at least {@code appThreshold} times
 * (the app is in use), "low" when every hit was a CDN name (what an embedded video on a web page
 * fetches), "medium" otherwise.
 */
public class ViolationWindowFunction extends ProcessWindowFunction<DeviceWindow, Violation, String, TimeWindow> {
    /** Accumulators and metrics: violation records sent when a window reached the threshold, and when it closed. */
    public static final String EARLY = "violations_early";
    public static final String FINAL = "violations_final";

    private final long threshold;
    private final long appThreshold;
    private transient LongCounter early;
    private transient LongCounter closed;

    public ViolationWindowFunction(long threshold, long appThreshold) {
        this.threshold = threshold;
        this.appThreshold = appThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
        early = DetectorMetrics.counter(getRuntimeContext(), EARLY);
        closed = DetectorMetrics.counter(getRuntimeContext(), FINAL);
    }

    @Override
    public void process(String deviceId, Context ctx, Iterable<DeviceWindow> windows, Collector<Violation> out) {
        DeviceWindow w = windows.iterator().next();
        if (w.hitCount < threshold) {
            return;
        }
        TimeWindow window = ctx.window();
        Violation v = new Violation();
        v.violationId = violationId(deviceId, window);
        v.status = ctx.currentWatermark() < window.maxTimestamp() ? "early" : "final";
        v.deviceId = deviceId;
        v.owner = w.owner;
        v.department = w.department;
        v.clientIps = w.clientIps;
        v.macs = w.macs;
        v.attributions = w.attributions;
        v.hostNames = w.hostNames;
        v.userNames = w.userNames;
        v.tunnels = w.tunnels;
        v.windowStart = window.getStart();
        v.windowEnd = window.getEnd();
        v.firstHit = w.firstHit;
        v.lastHit = w.lastHit;
        v.hitCount = w.hitCount;
        v.names = w.names;
        v.otherNameHits = w.otherNameHits;
        v.categories = w.categories;
        v.services = services(w);
        v.evidence = w.evidence;
        v.sensors = w.sensors;
        v.resolvedAddresses = w.resolvedAddresses;
        v.handles = w.handles;
        v.listVersion = w.listVersion;
        grade(w, v);
        (v.status.equals("early") ? early : closed).add(1);
        out.collect(v);
    }

    private void grade(DeviceWindow w, Violation v) {
        if (w.appHits >= appThreshold) {
            v.severity = "high";
            v.severityReason = "app in use: " + w.appHits + " hits on app API hosts";
        } else if (w.cdnHits == w.hitCount) {
            v.severity = "low";
            v.severityReason = "CDN names only (" + w.cdnHits + " hits): typical of a video embedded in a web page";
        } else {
            v.severity = "medium";
            v.severityReason = w.appHits + " app API hits (below " + appThreshold + "), "
                    + (w.hitCount - w.appHits - w.cdnHits) + " web or corporate hits";
        }
    }

    private static List<String> services(DeviceWindow w) {
        TreeSet<String> s = new TreeSet<>();
        for (Map.Entry<String, Long> e : w.categories.entrySet()) {
            s.add(Category.fromLabel(e.getKey()).service());
        }
        return new ArrayList<>(s);
    }

    /** Same device and window, same id: the early and the final record upsert one row. */
    static String violationId(String deviceId, TimeWindow window) {
        String key = deviceId + "|" + window.getStart() + "|" + window.getEnd();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
