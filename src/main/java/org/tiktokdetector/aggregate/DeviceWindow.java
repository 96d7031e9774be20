package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Category;
import org.tiktokdetector.match.DomainName;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.EvidenceHandle;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Tunnel;

import java.util.ArrayList;
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
    /** Evidence handles a violation lists: the first hits of the window, enough to start from. */
    static final int MAX_HANDLES = 10;

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
        if (handles.size() < MAX_HANDLES) {
            handles.add(EvidenceHandle.of(h));
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
