package org.tiktokdetector.aggregate;

import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DnsAnswer;
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
        if (names.containsKey(h.name) || names.size() < MAX_NAMES) {
            names.merge(h.name, 1L, Long::sum);
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
