package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;

/**
 * Reads a log line with Jackson into a sparse tree: only the fields a {@link Keep} names, with the very nodes Jackson's
 * tree deserializer would make for them, so that the decoders, their results and their messages are what a full tree
 * gives. A full tree of every line was the job's largest CPU item (README "Performance"); skipped fields cost no
 * String, node or map entry. The common line (plain ASCII) is read by {@link SparseScanner} instead; this reader takes
 * every other line, and words the messages of malformed ones.
 */
final class SparseReader {
    static final JsonFactory JSON = FlowRecordJson.MAPPER.getFactory();
    /** The node factory of both sparse readers, Jackson's tree deserializer's. */
    static final JsonNodeFactory NODES = FlowRecordJson.MAPPER.getNodeFactory();

    private SparseReader() {}

    /**
     * Reads one JSON value with Jackson, as {@code keep} says; rejects trailing tokens with the message
     * Jackson's {@code FAIL_ON_TRAILING_TOKENS} gives (reasons must not change with the parser).
     */
    static JsonNode read(JsonParser p, Keep keep) throws IOException {
        JsonNode v = value(p, p.nextToken(), keep);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw MismatchedInputException.from(p, JsonNode.class, "Trailing token (of type " + trailing
                    + ") found after value (bound as `" + JsonNode.class.getName()
                    + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
        }
        return v;
    }

    /**
     * The value starting at token {@code t}, kept as {@code keep} says (nodes as Jackson's tree deserializer
     * makes them); null, and only read through, when keep is null. It walks objects with nextFieldName and arrays
     * with nextToken as that deserializer does, skipped values too (not skipChildren): the parser words some
     * errors differently on the two paths ("expected a value" against "expected a valid value (...)").
     */
    private static JsonNode value(JsonParser p, JsonToken t, Keep keep) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = keep == null ? null : keep == Keep.ALL ? NODES.objectNode() : new ObjectNode(NODES, new KeptFields(keep));
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    Keep k = keep == null ? null : keep.field(name);
                    JsonNode v = value(p, p.nextToken(), k == Keep.PRESENCE ? null : k);
                    if (k != null) {
                        o.set(name, k == Keep.PRESENCE ? Keep.PRESENT : v);
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = keep == null ? null : NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    JsonNode v = value(p, e, keep);
                    if (a != null) {
                        a.add(v);
                    }
                }
                return a;
            }
            default -> {
                return keep == null ? null : scalar(p, t);
            }
        }
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        };
    }
}
