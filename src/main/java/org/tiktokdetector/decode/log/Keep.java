package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which parts of a JSON value a decoder reads, for the sparse readers ({@link SparseReader}, {@link SparseScanner}):
 * a field missing here reads as absent. Each dialect declares its own ({@code FIELDS}); what a line keeps
 * ({@link LogLineDecoder#FIELDS}) is their {@link #union}, since the dialect is only known once the whole line is
 * read (JSON field order is free).
 */
final class Keep {
    /** The whole value. */
    static final Keep ALL = new Keep(new String[0], new Keep[0]);
    /** Only that the field is there ({@link JsonNode#has}): the value is skipped. */
    static final Keep PRESENCE = new Keep(new String[0], new Keep[0]);
    /** The most fields an object's Keep names. */
    static final int MAX_FIELDS = 255;
    /** Stands for a field kept as {@link #PRESENCE}. */
    static final JsonNode PRESENT = MissingNode.getInstance();

    /** Of an object, the fields kept, in the order given: each has its index there ({@link #index}). */
    private final String[] names;
    private final Keep[] keeps;
    /** The indexes by name and by name bytes: open addressing on String.hashCode, -1 = free. */
    private final int[] table;
    private final byte[][] bytes;
    /** Each name's String.hashCode, to pass over another name in the same slot without comparing bytes. */
    private final int[] hashes;

    private Keep(String[] names, Keep[] keeps) {
        if (names.length > MAX_FIELDS) {
            throw new IllegalArgumentException(names.length + " fields kept; at most " + MAX_FIELDS + " (KeptFields' positions are bytes)");
        }
        this.names = names;
        this.keeps = keeps;
        this.bytes = new byte[names.length][];
        this.hashes = new int[names.length];
        this.table = new int[Integer.highestOneBit(Math.max(1, names.length) * 4)];
        Arrays.fill(table, -1);
        for (int i = 0; i < names.length; i++) {
            int slot = slot(names[i].hashCode());
            while (table[slot] >= 0) {
                slot = (slot + 1) & (table.length - 1);
            }
            table[slot] = i;
            bytes[i] = names[i].getBytes(StandardCharsets.ISO_8859_1);
            hashes[i] = names[i].hashCode();
        }
    }

    private int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (table.length - 1);
    }

    /** Of an object, these fields: name, keep, name, keep, ... */
    static Keep only(Object... nameThenKeep) {
        Map<String, Keep> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameThenKeep.length; i += 2) {
            fields.put((String) nameThenKeep[i], (Keep) nameThenKeep[i + 1]);
        }
        return of(fields);
    }

    /** Of an object, each of these fields, kept as {@code keep}. */
    static Keep each(Collection<String> names, Keep keep) {
        Map<String, Keep> fields = new LinkedHashMap<>();
        names.forEach(n -> fields.put(n, keep));
        return of(fields);
    }

    private static Keep of(Map<String, Keep> fields) {
        return new Keep(fields.keySet().toArray(new String[0]), fields.values().toArray(new Keep[0]));
    }

    /** Every field any of {@code keeps} keeps, each as much of it as the one that keeps the most. */
    static Keep union(Keep... keeps) {
        Keep u = null;
        for (Keep k : keeps) {
            u = u == null ? k : union(u, k);
        }
        return u;
    }

    private static Keep union(Keep a, Keep b) {
        if (a == ALL || b == ALL) {
            return ALL;
        }
        if (a == PRESENCE || b == PRESENCE) {
            return a == PRESENCE ? b : a;
        }
        Map<String, Keep> fields = new LinkedHashMap<>();
        for (Keep k : new Keep[] {a, b}) {
            for (int i = 0; i < k.names.length; i++) {
                fields.merge(k.names[i], k.keeps[i], Keep::union);
            }
        }
        return of(fields);
    }

    /** How to keep the named field of an object kept this way; null = skip it. */
    Keep field(String name) {
        if (this == ALL) {
            return ALL;
        }
        int i = index(name);
        return i < 0 ? null : keeps[i];
    }

    /** The index of the named field among those kept; -1 = not kept. */
    int index(String name) {
        for (int slot = slot(name.hashCode()), i; (i = table[slot]) >= 0; slot = (slot + 1) & (table.length - 1)) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the field named by {@code b[from..to)} (its String.hashCode is {@code hash}); -1 = skip it. */
    int index(byte[] b, int from, int to, int hash) {
        for (int slot = slot(hash), i; (i = table[slot]) >= 0; slot = (slot + 1) & (table.length - 1)) {
            if (hashes[i] == hash && Arrays.equals(bytes[i], 0, bytes[i].length, b, from, to)) {
                return i;
            }
        }
        return -1;
    }

    /** The number of fields kept (indexes run from 0). */
    int size() {
        return names.length;
    }

    /** The name of the field at an index. */
    String name(int index) {
        return names[index];
    }

    /** How to keep the field at an index. */
    Keep keep(int index) {
        return keeps[index];
    }
}
