package org.tiktokdetector.match;

import java.util.function.Consumer;

/**
 * An open-addressing table of entries by name (linear probing, no tombstones), built for {@link Blocklist}'s walk
 * from the right of a name: its hash ({@link #hash}) is taken from the last character to the first, so one pass from
 * the right yields the hash of each suffix ("com", "tiktok.com", "www.tiktok.com") as it is reached, and
 * {@link #find} checks a suffix against the stored names in place, without a substring.
 *
 * <p>Lookups allocate nothing and touch little memory: a probe reads a byte per slot ({@link #fingerprint}) unless
 * that matches. Not thread-safe.
 *
 * @param <E> the entries, each carrying its name
 */
final class NameTable<E extends NameTable.Entry> {
    /** What the table holds: anything with a name. */
    abstract static class Entry {
        final String name;

        Entry(String name) {
            this.name = name;
        }
    }

    /** Capacity is a power of two. */
    private Entry[] entries;
    /**
     * Per slot, the stored name's {@link #fingerprint} (0 = free slot). A probe reads only this array unless
     * the fingerprint matches (1 in 255 for another name): with a big table most lookups miss, and a byte per
     * slot (2 MB for 1,000,000 rules, against 8 MB of {@link #hashes}) keeps far more of it in the cache.
     */
    private byte[] fingerprints;
    /** Per slot, the stored name's whole {@link #hash}: to move entries without reading them, and to skip most name comparisons. */
    private int[] hashes;
    /** Entries in the table; kept at most half the capacity so probe runs stay short. */
    private int size;

    /** A table sized for {@code expected} entries up front, so filling it does not rehash as it grows. */
    NameTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected) * 2 - 1) * 2;
        this.entries = new Entry[capacity];
        this.fingerprints = new byte[capacity];
        this.hashes = new int[capacity];
    }

    /**
     * The table's hash of {@code text[from..]}: String.hashCode's polynomial, but over the characters from
     * the last to the first, so the hash of each suffix is a step on the way to the whole name's
     * ({@code hash = 31 * hash + c} for each character c, right to left).
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

    int size() {
        return size;
    }

    /** @return the slot holding the name {@code text[from..]} (whose {@link #hash} is {@code hash}), or -1 */
    int find(String text, int from, int hash) {
        Entry[] entries = this.entries; // the arrays in locals: the walk reads them once per label, not per probe
        byte[] fingerprints = this.fingerprints;
        int[] hashes = this.hashes;
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

    /** The entry named {@code text} from {@code from} on, or null (the matcher's lookup). */
    @SuppressWarnings("unchecked")
    E get(String text, int from, int hash) {
        int slot = find(text, from, hash);
        return slot < 0 ? null : (E) entries[slot];
    }

    /** The entry in a slot {@link #find} returned. */
    @SuppressWarnings("unchecked")
    E at(int slot) {
        return (E) entries[slot];
    }

    /** Adds an entry whose name is not in the table yet ({@code hash} is its name's {@link #hash}); returns it. */
    E insert(E e, int hash) {
        if (2 * (size + 1) > entries.length) {
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
        size++;
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
     * Removes the entry in a slot {@link #find} returned, shifting later members of its probe run back (Knuth's
     * algorithm R), so there are no tombstones: a table that churns through updates never slows down or grows.
     */
    void delete(int slot) {
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
        size--;
    }

    /** Each entry, in slot order. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super E> action) {
        for (Entry e : entries) {
            if (e != null) {
                action.accept((E) e);
            }
        }
    }
}
