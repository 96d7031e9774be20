package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Category;
import org.tiktokdetector.match.DomainName;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Tunnel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one device did in one window, kept small: every collection is bounded, so a device that
 * hits thousands of CDN shard names costs the same state as one that hits ten.
 */
public class DeviceWindow {
    static final int MAX_NAMES = 100;
    static final int MAX_ADDRESSES = 32;
    static final int MAX_SMALL_LIST = 16;
    /** Evidence handles a violation lists: the window's earliest hits, enough to start from. */
    static final int MAX_HANDLES = 10;
    /**
     * Earliest first, then by where they were read: the same hits give the same handles in whatever order they
     * arrive (parallel sources, a restore), so a final record is the same in every run.
     */
    private static final Comparator<EvidenceHandle> EARLIEST = Comparator.<EvidenceHandle>comparingLong(e -> e.timestamp)
            .thenComparing(e -> e.source, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(e -> e.line)
            .thenComparingLong(e -> e.packet)
            .thenComparing(e -> e.name, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(e -> e.kind)
            .thenComparing(e -> e.serverIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(e -> e.serverPort);

    public String owner;
    public String department;
    public long firstHit = Long.MAX_VALUE;
    public long lastHit = Long.MIN_VALUE;
    public long hitCount;
    public long appHits;
    public long cdnHits;
    public long otherNameHits;
    public long listVersion;
    public Map<String, Long> names = new HashMap<>();
    public Map<String, Long> categories = new HashMap<>();
    public Map<String, Long> evidence = new HashMap<>();
    public List<String> clientIps = new ArrayList<>();
    public List<String> macs = new ArrayList<>();
    public List<String> attributions = new ArrayList<>();
    public List<String> hostNames = new ArrayList<>();
    public List<String> userNames = new ArrayList<>();
    public List<Tunnel> tunnels = new ArrayList<>();
    public List<String> sensors = new ArrayList<>();
    public List<String> resolvedAddresses = new ArrayList<>();
    public List<EvidenceHandle> handles = new ArrayList<>();

    public DeviceWindow() {}

    public void add(Hit h) {
        if (owner == null) {
            owner = h.owner;
            department = h.department;
        }
        firstHit = Math.min(firstHit, h.timestamp);
        lastHit = Math.max(lastHit, h.timestamp);
        hitCount++;
        if (h.category.isAppApi()) {
            appHits++;
        }
        if (h.category == Category.TIKTOK_CDN) {
            cdnHits++;
        }
        listVersion = Math.max(listVersion, h.listVersion);
        // Counted in the form the rule was matched in: WWW.TikTok.com. and www.tiktok.com are one name.
        String normal = DomainName.normalise(h.name);
        String name = normal != null ? normal : h.name;
        if (names.containsKey(name) || names.size() < MAX_NAMES) {
            names.merge(name, 1L, Long::sum);
        } else {
            otherNameHits++;
        }
        categories.merge(h.category.label(), 1L, Long::sum);
        evidence.merge(h.kind.json(), 1L, Long::sum);
        addBounded(clientIps, h.clientIp, MAX_SMALL_LIST);
        addBounded(macs, h.mac, MAX_SMALL_LIST);
        addBounded(attributions, h.attribution, MAX_SMALL_LIST);
        addBounded(hostNames, h.hostName, MAX_SMALL_LIST);
        addBounded(userNames, h.userName, MAX_SMALL_LIST);
        if (h.tunnel != null) {
            addBounded(tunnels, new Tunnel(h.tunnel), MAX_SMALL_LIST);
        }
        addBounded(sensors, h.sensor, MAX_SMALL_LIST);
        if (handles.size() < MAX_HANDLES || h.timestamp <= handles.get(handles.size() - 1).timestamp) {
            EvidenceHandle e = EvidenceHandle.of(h);
            int at = Collections.binarySearch(handles, e, EARLIEST);
            handles.add(at < 0 ? -at - 1 : at, e);
            if (handles.size() > MAX_HANDLES) {
                handles.remove(MAX_HANDLES);
            }
        }
        if (h.answers != null) {
            for (DnsAnswer a : h.answers) {
                if ("A".equals(a.type) || "AAAA".equals(a.type)) {
                    addBounded(resolvedAddresses, a.data, MAX_ADDRESSES);
                }
            }
        }
    }

    private static <T> void addBounded(List<T> list, T value, int max) {
        if (value != null && list.size() < max && !list.contains(value)) {
            list.add(value);
        }
    }
}
