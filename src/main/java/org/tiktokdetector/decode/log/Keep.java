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
    /** Stands for a field kept as {@link #PRESENCE}. */
    static final JsonNode PRESENT = MissingNode.getInstance();

    /** Of an object, the fields kept, by name and by name bytes (open addressing on String.hashCode). */
    private final String[] names;
    private final Keep[] keeps;
    private final byte[][] bytes;

    private Keep(String[] names, Keep[] keeps) {
        int size = Integer.highestOneBit(Math.max(1, names.length) * 4);
        this.names = new String[size];
        this.keeps = new Keep[size];
        this.bytes = new byte[size][];
        for (int i = 0; i < names.length; i++) {
            int slot = slot(names[i].hashCode());
            while (this.names[slot] != null) {
                slot = (slot + 1) & (size - 1);
            }
            this.names[slot] = names[i];
            this.keeps[slot] = keeps[i];
            this.bytes[slot] = names[i].getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (names.length - 1);
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
            for (int slot = 0; slot < k.names.length; slot++) {
                if (k.names[slot] != null) {
                    fields.merge(k.names[slot], k.keeps[slot], Keep::union);
                }
            }
        }
        return of(fields);
    }

    /** How to keep the named field of an object kept this way; null = skip it. */
    Keep field(String name) {
        if (this == ALL) {
            return ALL;
        }
        for (int slot = slot(name.hashCode()); names[slot] != null; slot = (slot + 1) & (names.length - 1)) {
            if (names[slot].equals(name)) {
                return keeps[slot];
            }
        }
        return null;
    }

    /** The slot of the field named by {@code b[from..to)} (its String.hashCode is {@code hash}); -1 = skip it. */
    int slot(byte[] b, int from, int to, int hash) {
        for (int slot = slot(hash); names[slot] != null; slot = (slot + 1) & (names.length - 1)) {
            if (Arrays.equals(bytes[slot], 0, bytes[slot].length, b, from, to)) {
                return slot;
            }
        }
        return -1;
    }

    /** The name of the field in a slot {@link #slot(byte[], int, int, int)} found. */
    String name(int slot) {
        return names[slot];
    }

    /** How to keep the field in a slot {@link #slot(byte[], int, int, int)} found. */
    Keep keep(int slot) {
        return keeps[slot];
    }
}
