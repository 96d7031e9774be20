package org.tiktokdetector.match;

import java.util.function.Consumer;

/**
 * Entries found by name in an open-addressing table keyed by a hash taken from the right end of the name: a walk
 * over a text from its last character to its first ({@link #step}) has the hash of each suffix ("com",
 * "tiktok.com", "www.tiktok.com") when it reaches it, and {@link #find} looks that suffix up in place, without
 * a substring. Not thread-safe.
 *
 * <p>The table is flat arrays indexed by slot, so a lookup that misses (with a big list, most of them) reads
 * one byte: the slot's {@link #fingerprint}. Linear probing, capacity a power of two, at most half full.
 */
final class NameTable<E extends NameTable.Entry> {
    /** What the table holds: anything with a name (lower case for {@link #find}'s ignoreCase). */
    abstract static class Entry {
        final String name;

        Entry(String name) {
            this.name = name;
        }
    }

    /**
     * Per slot, the stored name's {@link #fingerprint} (0 = free slot): a byte a slot keeps a big table's misses in
     * the cache, and only 1 in 255 other names gets as far as comparing names.
     */
    private byte[] fingerprints;
    /**
     * Per slot, the entry, which carries its name. One array of references rather than names and values apart:
     * every reference stored into a big array costs the garbage collector bookkeeping, and with two arrays indexing
     * 1,000,000 rules took 1.8-2.3 s of CPU against 1.2-1.7 s.
     */
    private Entry[] entries;
    /** 32 - log2(capacity): {@link #home} keeps the top bits of the mixed hash. */
    private int shift;
    private int size;

    /** A table sized for {@code expected} names up front, so filling it does not rehash as it grows. */
    NameTable(int expected) {
        allocate(Integer.highestOneBit(Math.max(8, expected) * 2 - 1) * 2);
    }

    private void allocate(int capacity) {
        fingerprints = new byte[capacity];
        entries = new Entry[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    /** One step of the hash from the right: String.hashCode's polynomial over the characters from the last to the first. */
    static int step(int hash, char c) {
        return 31 * hash + c;
    }

    /** The hash of a whole name. */
    static int hash(String name) {
        int h = 0;
        for (int i = name.length() - 1; i >= 0; i--) {
            h = step(h, name.charAt(i));
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
        return (hash * 0x9E3779B9) >>> shift;
    }

    int size() {
        return size;
    }

    /**
     * @param ignoreCase whether {@code text} may hold ASCII upper case; the stored names are compared in lower case
     * @return the slot holding the name {@code text[from..end)} (whose hash, in lower case, is {@code hash}), or -1
     */
    int find(String text, int from, int end, int hash, boolean ignoreCase) {
        byte[] fingerprints = this.fingerprints;
        int mask = fingerprints.length - 1;
        byte fingerprint = fingerprint(hash);
        for (int i = home(hash); ; i = (i + 1) & mask) {
            byte f = fingerprints[i];
            if (f == 0) {
                return -1;
            }
            if (f == fingerprint && sameName(entries[i].name, text, from, end, ignoreCase)) {
                return i;
            }
        }
    }

    private static boolean sameName(String name, String text, int from, int end, boolean ignoreCase) {
        return name.length() == end - from && text.regionMatches(ignoreCase, from, name, 0, end - from);
    }

    @SuppressWarnings("unchecked")
    E at(int slot) {
        return (E) entries[slot];
    }

    /** Adds an entry whose name is not in the table; {@code hash} is its name's {@link #hash}. Slots found before may move. */
    E insert(E entry, int hash) {
        if (2 * (size + 1) > fingerprints.length) {
            byte[] oldFingerprints = fingerprints;
            Entry[] oldEntries = entries;
            allocate(oldFingerprints.length * 2);
            for (int i = 0; i < oldFingerprints.length; i++) {
                if (oldFingerprints[i] != 0) {
                    place(oldEntries[i], hash(oldEntries[i].name));
                }
            }
        }
        place(entry, hash);
        size++;
        return entry;
    }

    private void place(Entry entry, int hash) {
        int mask = fingerprints.length - 1;
        int i = home(hash);
        while (fingerprints[i] != 0) {
            i = (i + 1) & mask;
        }
        fingerprints[i] = fingerprint(hash);
        entries[i] = entry;
    }

    /**
     * Frees a slot by shifting later members of its probe run back (Knuth's algorithm R), so there are no
     * tombstones: a table that churns through updates never slows down or grows. Other slots may move.
     */
    void delete(int slot) {
        int mask = fingerprints.length - 1;
        int free = slot;
        for (int i = (slot + 1) & mask; fingerprints[i] != 0; i = (i + 1) & mask) {
            int h = home(hash(entries[i].name));
            // Move entry i into the free slot unless its home lies cyclically in (free, i].
            boolean homeBetween = free <= i ? free < h && h <= i : free < h || h <= i;
            if (!homeBetween) {
                fingerprints[free] = fingerprints[i];
                entries[free] = entries[i];
                free = i;
            }
        }
        fingerprints[free] = 0;
        entries[free] = null;
        size--;
    }

    /** Every entry, in slot order. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super E> action) {
        for (Entry e : entries) {
            if (e != null) {
                action.accept((E) e);
            }
        }
    }
}
