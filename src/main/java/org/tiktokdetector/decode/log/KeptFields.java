package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fields of an object that the sparse readers kept, as the map behind its {@code ObjectNode}: each field by its
 * index in the object's {@link Keep}, in the order read. A line of a Zeek log keeps some twenty fields, and a
 * {@code LinkedHashMap} of them (an entry each, a table resized on the way) was the largest single item of decoding
 * (README "Performance"); here a line costs two small arrays. Only fields of its Keep can be put; iteration, equality
 * and text are those of the map it replaces.
 */
final class KeptFields extends AbstractMap<String, JsonNode> {
    private final Keep keep;
    /** The index in {@link #keep} of each field (unsigned), and its value, in the order read. */
    private byte[] indexes = new byte[24];
    private JsonNode[] values = new JsonNode[24];
    private int size;
    /** By index in {@link #keep}, where the field is in the arrays above, plus one (0 = absent); unsigned. */
    private final byte[] positions;

    KeptFields(Keep keep) {
        this.keep = keep;
        this.positions = new byte[keep.size()];
    }

    /** Sets the field at {@code index} of the Keep; a field read twice keeps its first place, as in a LinkedHashMap. */
    void put(int index, JsonNode value) {
        int at = position(index);
        if (at >= 0) {
            values[at] = value;
            return;
        }
        if (size == indexes.length) {
            indexes = Arrays.copyOf(indexes, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        indexes[size] = (byte) index;
        values[size++] = value;
        positions[index] = (byte) size;
    }

    private int position(int index) {
        return index < 0 ? -1 : (positions[index] & 0xFF) - 1;
    }

    private int position(Object name) {
        return name instanceof String s ? position(keep.index(s)) : -1;
    }

    @Override
    public JsonNode get(Object name) {
        int at = position(name);
        return at < 0 ? null : values[at];
    }

    @Override
    public boolean containsKey(Object name) {
        return position(name) >= 0;
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        int index = keep.index(name);
        if (index < 0) {
            throw new UnsupportedOperationException("field \"" + name + "\" is not kept");
        }
        int at = position(index);
        JsonNode before = at < 0 ? null : values[at];
        put(index, value);
        return before;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int at;

                    @Override
                    public boolean hasNext() {
                        return at < size;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (at >= size) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, JsonNode> e = new SimpleImmutableEntry<>(keep.name(indexes[at] & 0xFF), values[at]);
                        at++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
