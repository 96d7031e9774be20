package org.tiktokdetector.decode.capture;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-flow decoder state bounded in count and in time: at most {@code capacity} entries (the least
 * recently seen is dropped to make room) and none idle for longer than {@code idleMicros} of packet time,
 * so a capture or a tap of any length holds a fixed amount of state.
 */
final class FlowTable<K, V extends FlowTable.Entry> {
    /** Base of the values: when the flow was last seen, in packet time. */
    abstract static class Entry {
        long lastSeenMicros;
    }

    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final int capacity;
    private final long idleMicros;
    private long lastExpiry = Long.MIN_VALUE;

    FlowTable(int capacity, long idleMicros) {
        this.capacity = capacity;
        this.idleMicros = idleMicros;
    }

    /** The entry of {@code key}, marked as seen now; null when there is none. */
    V get(K key, long now) {
        expire(now);
        V v = entries.get(key);
        if (v != null) {
            v.lastSeenMicros = now;
        }
        return v;
    }

    /** Adds an entry; {@code key} must not be changed afterwards (copy a probe key first). */
    V put(K key, V value, long now) {
        if (entries.size() >= capacity) {
            Iterator<V> eldest = entries.values().iterator();
            eldest.next();
            eldest.remove();
        }
        value.lastSeenMicros = now;
        entries.put(key, value);
        return value;
    }

    void remove(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    private void expire(long now) {
        if (now - lastExpiry < 1_000_000L && lastExpiry != Long.MIN_VALUE) {
            return; // once per second of packet time is enough
        }
        lastExpiry = now;
        for (Iterator<Map.Entry<K, V>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().lastSeenMicros <= idleMicros) {
                break; // access order: every later entry was seen more recently
            }
            it.remove();
        }
    }
}
