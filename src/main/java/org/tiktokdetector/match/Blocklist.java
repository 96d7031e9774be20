package org.tiktokdetector.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules in force and their version. Lookup walks the observed name's label boundaries, so the most
 * specific rule wins; an allow rule that wins means "not a hit". No substring matching anywhere:
 * "aaatiktok.com" never matches "tiktok.com". Not thread-safe: each parallel matcher owns one copy.
 *
 * <p>Lookups run for every flow record, so they allocate nothing and touch little memory: the names sit in a
 * {@link NameTable}, whose hash is taken from the right end of the name, so one pass from the right yields the hash
 * of each suffix ("com", "tiktok.com", "www.tiktok.com") as it is reached. Every suffix of a rule's name is in the
 * table too (as a bare entry if it has no rules of its own), so the walk stops at the first suffix that is absent:
 * an ordinary name like "www.example.com" costs two probes, "com" (always in cache) and "example.com", and its first
 * labels are never even read.
 */
public final class Blocklist {
    /** The rules of one name, at most one per match type, and how many names with rules lie below it. */
    private static final class Entry extends NameTable.Entry {
        BlocklistRule exact;
        BlocklistRule suffix;
        BlocklistRule wildcard;
        /** Names with rules that end in "." + this name; the entry stays while this is above 0. */
        int below;

        Entry(String name) {
            super(name);
        }

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

        boolean hasRules() {
            return exact != null || suffix != null || wildcard != null;
        }
    }

    private final NameTable<Entry> table;
    private int size;
    private long version;

    public Blocklist() {
        this(0);
    }

    private Blocklist(int expectedNames) {
        this.table = new NameTable<>(expectedNames);
    }

    public static Blocklist of(Collection<BlocklistRule> rules) {
        Blocklist b = new Blocklist(rules.size());
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
        int hash = NameTable.hash(rule.name, 0);
        int slot = table.find(rule.name, 0, hash);
        Entry e = slot >= 0 ? table.at(slot) : table.insert(new Entry(rule.name), hash);
        if (!e.hasRules()) {
            countBelow(rule.name, 1);
        }
        BlocklistRule old = e.get(rule.type);
        e.set(rule.type, rule);
        if (old == null) {
            size++;
        }
        return !rule.equals(old);
    }

    private boolean remove(BlocklistRule rule) {
        int slot = table.find(rule.name, 0, NameTable.hash(rule.name, 0));
        if (slot < 0 || table.at(slot).get(rule.type) == null) {
            return false;
        }
        Entry e = table.at(slot);
        e.set(rule.type, null);
        size--;
        if (!e.hasRules()) {
            if (e.below == 0) {
                table.delete(slot);
            }
            countBelow(rule.name, -1);
        }
        return true;
    }

    /**
     * Moves the {@link Entry#below} count of every proper suffix of {@code name} by {@code delta}: creates the
     * suffixes' entries when the name gets its first rule, drops those left with nothing when it loses its last.
     */
    private void countBelow(String name, int delta) {
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            char c = name.charAt(i);
            if (c == '.') {
                int slot = table.find(name, i + 1, h);
                if (delta > 0) {
                    (slot >= 0 ? table.at(slot) : table.insert(new Entry(name.substring(i + 1)), h)).below++;
                } else if (--table.at(slot).below == 0 && !table.at(slot).hasRules()) {
                    table.delete(slot);
                }
            }
            h = 31 * h + c;
        }
    }

    /** @return the blocking rule that decides this (normalised) name, or null when none does or an allow rule wins */
    public BlocklistRule match(String name) {
        BlocklistRule r = mostSpecific(name);
        return r == null || r.allow ? null : r;
    }

    /**
     * The most specific rule for a normalised name, allow rules included. One pass from the right: at each
     * dot, the suffix after it ("com", then "tiktok.com") is looked up with the hash accumulated so far; its
     * suffix or wildcard rule is the best so far, until a longer suffix or the whole name (exact, then suffix
     * rule) has one. A suffix that is not in the table has no rule names below it either: the walk ends there.
     */
    public BlocklistRule mostSpecific(String name) {
        BlocklistRule best = null;
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            char c = name.charAt(i);
            if (c == '.') {
                Entry parent = table.get(name, i + 1, h);
                if (parent == null) {
                    return best;
                }
                if (parent.suffix != null) {
                    best = parent.suffix;
                } else if (parent.wildcard != null) {
                    best = parent.wildcard;
                }
            }
            h = 31 * h + c;
        }
        Entry e = table.get(name, 0, h);
        if (e != null) {
            if (e.exact != null) {
                return e.exact;
            }
            if (e.suffix != null) {
                return e.suffix;
            }
        }
        return best;
    }

    public List<BlocklistRule> rules() {
        List<BlocklistRule> out = new ArrayList<>(size);
        table.forEach(e -> {
            for (MatchType t : MatchType.values()) {
                if (e.get(t) != null) {
                    out.add(e.get(t));
                }
            }
        });
        return out;
    }
}
