package org.tiktokdetector.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;

/**
 * The rules in force and their version. Lookup walks the observed name's label boundaries from the
 * full name up to its last label, so the first rule found is the most specific one; an allow rule
 * found first means "not a hit". No substring matching anywhere: "aaatiktok.com" never matches
 * "tiktok.com". Not thread-safe: each parallel matcher owns one copy.
 */
public final class Blocklist {
    /** The rules of one name, at most one per match type. */
    private static final class Entry {
        BlocklistRule exact;
        BlocklistRule suffix;
        BlocklistRule wildcard;

        BlocklistRule get(MatchType t) {
            return switch (t) {
                case EXACT -> exact;
                case SUFFIX -> suffix;
                case WILDCARD -> wildcard;
            };
        }

        void set(MatchType t, BlocklistRule r) {
            switch (t) {
                case EXACT -> exact = r;
                case SUFFIX -> suffix = r;
                case WILDCARD -> wildcard = r;
            }
        }

        boolean isEmpty() {
            return exact == null && suffix == null && wildcard == null;
        }
    }

    private final HashMap<String, Entry> byName;
    private int size;
    private long version;

    public Blocklist() {
        this.byName = new HashMap<>();
    }

    public static Blocklist of(Collection<BlocklistRule> rules) {
        Blocklist b = new Blocklist();
        rules.forEach(b::put);
        return b;
    }

    /** Number of changes applied since the initial list; carried by every hit and violation. */
    public long version() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public int size() {
        return size;
    }

    /**
     * Applies one update; the version moves on only when the list really changed, so replaying the
     * same update is harmless.
     *
     * @return true if the list changed
     */
    public boolean apply(BlocklistUpdate update) {
        boolean changed = update.op == BlocklistUpdate.Op.ADD ? put(update.rule) : remove(update.rule);
        if (changed) {
            version++;
        }
        return changed;
    }

    private boolean put(BlocklistRule rule) {
        Entry e = byName.computeIfAbsent(rule.name, k -> new Entry());
        BlocklistRule old = e.get(rule.type);
        e.set(rule.type, rule);
        if (old == null) {
            size++;
        }
        return !rule.equals(old);
    }

    private boolean remove(BlocklistRule rule) {
        Entry e = byName.get(rule.name);
        if (e == null || e.get(rule.type) == null) {
            return false;
        }
        e.set(rule.type, null);
        size--;
        if (e.isEmpty()) {
            byName.remove(rule.name);
        }
        return true;
    }

    /** @return the blocking rule that decides this (normalised) name, or null when none does or an allow rule wins */
    public BlocklistRule match(String name) {
        BlocklistRule r = mostSpecific(name);
        return r == null || r.allow ? null : r;
    }

    /** The most specific rule for a normalised name, allow rules included. */
    public BlocklistRule mostSpecific(String name) {
        Entry e = byName.get(name);
        if (e != null) {
            if (e.exact != null) {
                return e.exact;
            }
            if (e.suffix != null) {
                return e.suffix;
            }
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            Entry parent = byName.get(name.substring(dot + 1));
            if (parent != null) {
                if (parent.suffix != null) {
                    return parent.suffix;
                }
                if (parent.wildcard != null) {
                    return parent.wildcard;
                }
            }
        }
        return null;
    }

    public List<BlocklistRule> rules() {
        List<BlocklistRule> out = new ArrayList<>(size);
        for (Entry e : byName.values()) {
            for (MatchType t : MatchType.values()) {
                if (e.get(t) != null) {
                    out.add(e.get(t));
                }
            }
        }
        return out;
    }
}
