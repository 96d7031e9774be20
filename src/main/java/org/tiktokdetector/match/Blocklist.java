package org.tiktokdetector.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules in force and their version. Lookup walks the observed name's label boundaries, so the most
 * specific rule wins; an allow rule that wins means "not a hit". No substring matching anywhere:
 * "aaatiktok.com" never matches "tiktok.com". Not thread-safe: each parallel matcher owns one copy.
 *
 * <p>Lookups run for every flow record, so they allocate nothing and touch little memory: the names sit in
 * an open-addressing table keyed by a hash taken from the right end of the name ({@link #hash}), so one
 * pass from the right yields the hash of each suffix ("com", "tiktok.com", "www.tiktok.com") as it is
 * reached, checked against the stored name in place with {@link String#regionMatches}. Every suffix of a
 * rule's name is in the table too (as a bare entry if it has no rules of its own), so the walk stops at
 * the first suffix that is absent: an ordinary name like "www.example.com" costs two probes, "com" (always
 * in cache) and "example.com", and its first labels are never even read.
 */
public final class Blocklist {
    /** The rules of one name, at most one per match type, and how many names with rules lie below it. */
    private static final class Entry {
        final String name;
        BlocklistRule exact;
        BlocklistRule suffix;
        BlocklistRule wildcard;
        /** Names with rules that end in "." + this name; the entry stays while this is above 0. */
        int below;

        Entry(String name) {
            this.name = name;
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

    /** Open addressing, linear probing; capacity is a power of two. */
    private Entry[] entries;
    /**
     * Per slot, the stored name's {@link #fingerprint} (0 = free slot). A probe reads only this array unless
     * the fingerprint matches (1 in 255 for another name): with a big list most lookups miss, and a byte per
     * slot (2 MB for 1,000,000 rules, against 8 MB of {@link #hashes}) keeps far more of it in the cache.
     */
    private byte[] fingerprints;
    /** Per slot, the stored name's whole {@link #hash}: to move entries without reading them, and to skip most name comparisons. */
    private int[] hashes;
    /** Entries in the table; kept at most half the capacity so probe runs stay short. */
    private int names;
    private int size;
    private long version;

    public Blocklist() {
        this(0);
    }

    /** A table sized for {@code expectedNames} up front, so loading a big list does not rehash as it grows. */
    private Blocklist(int expectedNames) {
        int capacity = Integer.highestOneBit(Math.max(8, expectedNames) * 2 - 1) * 2;
        this.entries = new Entry[capacity];
        this.fingerprints = new byte[capacity];
        this.hashes = new int[capacity];
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
        int hash = hash(rule.name, 0);
        int slot = find(rule.name, 0, hash);
        Entry e = slot >= 0 ? entries[slot] : insert(new Entry(rule.name), hash);
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
        int slot = find(rule.name, 0, hash(rule.name, 0));
        if (slot < 0 || entries[slot].get(rule.type) == null) {
            return false;
        }
        Entry e = entries[slot];
        e.set(rule.type, null);
        size--;
        if (!e.hasRules()) {
            if (e.below == 0) {
                delete(slot);
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
                int slot = find(name, i + 1, h);
                if (delta > 0) {
                    (slot >= 0 ? entries[slot] : insert(new Entry(name.substring(i + 1)), h)).below++;
                } else if (--entries[slot].below == 0 && !entries[slot].hasRules()) {
                    delete(slot);
                }
            }
            h = 31 * h + c;
        }
    }

    // ------------------------------------------------------------------------------------------ the table

    /**
     * The table's hash of {@code text[from..]}: String.hashCode's polynomial, but over the characters from
     * the last to the first, so the hash of each suffix is a step on the way to the whole name's.
     */
    static int hash(String text, int from) {
        int h = 0;
        for (int i = text.length() - 1; i >= from; i--) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /** Eight bits of a name's hash, other than those {@link #home} uses, never 0 (which marks a free slot). */
    static byte fingerprint(int hash) {
        int f = (hash * 0x85EBCA6B) >>> 24;
        return (byte) (f == 0 ? 1 : f);
    }

    /** Home slot of a hash: multiplied by the golden ratio so similar names spread over the table. */
    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(entries.length));
    }

    /** @return the slot holding the name {@code text[from..]} (whose {@link #hash} is {@code hash}), or -1 */
    private int find(String text, int from, int hash) {
        int mask = entries.length - 1;
        int length = text.length() - from;
        byte fingerprint = fingerprint(hash);
        for (int i = home(hash); ; i = (i + 1) & mask) {
            byte f = fingerprints[i];
            if (f == 0) {
                return -1;
            }
            if (f == fingerprint && hashes[i] == hash) {
                String name = entries[i].name;
                if (name.length() == length && text.regionMatches(from, name, 0, length)) {
                    return i;
                }
            }
        }
    }

    private Entry insert(Entry e, int hash) {
        if (2 * (names + 1) > entries.length) {
            Entry[] oldEntries = entries;
            int[] oldHashes = hashes;
            entries = new Entry[oldEntries.length * 2];
            fingerprints = new byte[oldEntries.length * 2];
            hashes = new int[oldEntries.length * 2];
            for (int i = 0; i < oldEntries.length; i++) {
                if (oldEntries[i] != null) {
                    place(oldEntries[i], oldHashes[i]);
                }
            }
        }
        place(e, hash);
        names++;
        return e;
    }

    private void place(Entry e, int hash) {
        int mask = entries.length - 1;
        int i = home(hash);
        while (fingerprints[i] != 0) {
            i = (i + 1) & mask;
        }
        entries[i] = e;
        fingerprints[i] = fingerprint(hash);
        hashes[i] = hash;
    }

    /**
     * Frees a slot by shifting later members of its probe run back (Knuth's algorithm R), so there are no
     * tombstones: a list that churns through updates never slows down or grows.
     */
    private void delete(int slot) {
        int mask = entries.length - 1;
        int free = slot;
        for (int i = (slot + 1) & mask; fingerprints[i] != 0; i = (i + 1) & mask) {
            int h = home(hashes[i]);
            // Move entry i into the free slot unless its home lies cyclically in (free, i].
            boolean homeBetween = free <= i ? free < h && h <= i : free < h || h <= i;
            if (!homeBetween) {
                entries[free] = entries[i];
                fingerprints[free] = fingerprints[i];
                hashes[free] = hashes[i];
                free = i;
            }
        }
        entries[free] = null;
        fingerprints[free] = 0;
        names--;
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
                int slot = find(name, i + 1, h);
                if (slot < 0) {
                    return best;
                }
                Entry parent = entries[slot];
                if (parent.suffix != null) {
                    best = parent.suffix;
                } else if (parent.wildcard != null) {
                    best = parent.wildcard;
                }
            }
            h = 31 * h + c;
        }
        int slot = find(name, 0, h);
        if (slot >= 0) {
            Entry e = entries[slot];
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
        for (Entry e : entries) {
            if (e == null) {
                continue;
            }
            for (MatchType t : MatchType.values()) {
                if (e.get(t) != null) {
                    out.add(e.get(t));
                }
            }
        }
        return out;
    }
}
