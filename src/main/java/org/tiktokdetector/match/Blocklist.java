package org.tiktokdetector.match;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules in force and their version. Lookup walks the observed name's label boundaries from the
 * full name up to its last label, so the first rule found is the most specific one; an allow rule
 * found first means "not a hit". No substring matching anywhere: "aaatiktok.com" never matches
 * "tiktok.com". Not thread-safe: each parallel matcher owns one copy.
 *
 * <p>Lookups run for every flow record, so they allocate nothing: the rules sit in an open-addressing
 * table keyed by the name's {@link String#hashCode}, and the hash of each suffix of the observed name
 * ("www.tiktok.com", "tiktok.com", "com") is derived from the whole name's hash and the running hash of
 * its prefix (see {@link #mostSpecific}), then checked against the stored name in place with
 * {@link String#regionMatches}. No substring is made per label, as a {@code HashMap<String, ...>} would need.
 */
public final class Blocklist {
    /** The rules of one name, at most one per match type. */
    private static final class Entry {
        final String name;
        BlocklistRule exact;
        BlocklistRule suffix;
        BlocklistRule wildcard;

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

        boolean isEmpty() {
            return exact == null && suffix == null && wildcard == null;
        }
    }

    /** Longest name DomainName lets through; sizes the power table. */
    private static final int MAX_NAME = 253;
    /** POW31[k] = 31^k in int arithmetic, as String.hashCode computes it. */
    private static final int[] POW31 = new int[MAX_NAME + 1];

    static {
        POW31[0] = 1;
        for (int k = 1; k <= MAX_NAME; k++) {
            POW31[k] = POW31[k - 1] * 31;
        }
    }

    /** Open addressing, linear probing; capacity is a power of two. */
    private Entry[] entries;
    /**
     * Per slot, the stored name's {@link #key} (0 = free slot). A probe reads only this array unless the key
     * matches: with a big list most lookups miss, and then each suffix costs one cache line, not two.
     */
    private int[] keys;
    /** Names in the table; kept at most half the capacity so probe runs stay short. */
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
        this.keys = new int[capacity];
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
        int slot = find(rule.name, 0, rule.name.hashCode());
        Entry e;
        if (slot >= 0) {
            e = entries[slot];
        } else {
            e = new Entry(rule.name);
            insert(e);
        }
        BlocklistRule old = e.get(rule.type);
        e.set(rule.type, rule);
        if (old == null) {
            size++;
        }
        return !rule.equals(old);
    }

    private boolean remove(BlocklistRule rule) {
        int slot = find(rule.name, 0, rule.name.hashCode());
        if (slot < 0 || entries[slot].get(rule.type) == null) {
            return false;
        }
        Entry e = entries[slot];
        e.set(rule.type, null);
        size--;
        if (e.isEmpty()) {
            delete(slot);
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ the table

    /** A name's hashCode, moved off 0 (which marks a free slot); the names themselves tell apart equal keys. */
    private static int key(int hash) {
        return hash == 0 ? 1 : hash;
    }

    /** Home slot of a key: multiplied by the golden ratio so similar names spread over the table. */
    private int home(int key) {
        return (key * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(entries.length));
    }

    /** @return the slot holding the name {@code text[from..]} (whose hashCode is {@code hash}), or -1 */
    private int find(String text, int from, int hash) {
        int mask = entries.length - 1;
        int length = text.length() - from;
        int key = key(hash);
        for (int i = home(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == 0) {
                return -1;
            }
            if (k == key) {
                String name = entries[i].name;
                if (name.length() == length && text.regionMatches(from, name, 0, length)) {
                    return i;
                }
            }
        }
    }

    private void insert(Entry e) {
        if (2 * (names + 1) > entries.length) {
            Entry[] old = entries;
            entries = new Entry[old.length * 2];
            keys = new int[old.length * 2];
            for (Entry x : old) {
                if (x != null) {
                    place(x);
                }
            }
        }
        place(e);
        names++;
    }

    private void place(Entry e) {
        int mask = entries.length - 1;
        int key = key(e.name.hashCode());
        int i = home(key);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        entries[i] = e;
        keys[i] = key;
    }

    /**
     * Frees a slot by shifting later members of its probe run back (Knuth's algorithm R), so there are no
     * tombstones: a list that churns through updates never slows down or grows.
     */
    private void delete(int slot) {
        int mask = entries.length - 1;
        int free = slot;
        for (int i = (slot + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
            int h = home(keys[i]);
            // Move entry i into the free slot unless its home lies cyclically in (free, i].
            boolean homeBetween = free <= i ? free < h && h <= i : free < h || h <= i;
            if (!homeBetween) {
                entries[free] = entries[i];
                keys[free] = keys[i];
                free = i;
            }
        }
        entries[free] = null;
        keys[free] = 0;
        names--;
    }

    /** @return the blocking rule that decides this (normalised) name, or null when none does or an allow rule wins */
    public BlocklistRule match(String name) {
        BlocklistRule r = mostSpecific(name);
        return r == null || r.allow ? null : r;
    }

    /**
     * The most specific rule for a normalised name, allow rules included.
     *
     * <p>With h(s) = String.hashCode, for a name n of length L and its suffix from k:
     * h(n) = h(n[0..k)) * 31^(L-k) + h(n[k..L)), so h(n[k..L)) = h(n) - prefix * 31^(L-k), where the prefix hash
     * is accumulated on the way through the name. One pass, suffixes longest first.
     */
    public BlocklistRule mostSpecific(String name) {
        int length = name.length();
        if (length > MAX_NAME) {
            return null; // DomainName never lets such a name through; no rule can be that long either
        }
        int whole = name.hashCode();
        int slot = find(name, 0, whole);
        if (slot >= 0) {
            Entry e = entries[slot];
            if (e.exact != null) {
                return e.exact;
            }
            if (e.suffix != null) {
                return e.suffix;
            }
        }
        int prefix = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            prefix = 31 * prefix + c;
            if (c == '.') {
                int from = i + 1;
                slot = find(name, from, whole - prefix * POW31[length - from]);
                if (slot >= 0) {
                    Entry parent = entries[slot];
                    if (parent.suffix != null) {
                        return parent.suffix;
                    }
                    if (parent.wildcard != null) {
                        return parent.wildcard;
                    }
                }
            }
        }
        return null;
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
