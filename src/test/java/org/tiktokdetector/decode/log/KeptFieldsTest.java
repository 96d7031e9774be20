package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tiktokdetector.decode.log.SparseReader.NODES;

/** The sparse readers' objects must read, iterate, compare and print as the LinkedHashMap-backed objects they replace. */
class KeptFieldsTest {
    private static JsonNode scanned(String line) {
        return SparseScanner.scan(line.getBytes(StandardCharsets.US_ASCII), LogLineDecoder.FIELDS);
    }

    private static JsonNode parsed(String line) throws Exception {
        try (var p = SparseReader.JSON.createParser(line)) {
            return SparseReader.read(p, LogLineDecoder.FIELDS);
        }
    }

    @Test
    void aFieldReadTwiceKeepsItsFirstPlaceAndItsLastValueAsInALinkedHashMap() throws Exception {
        String line = "{\"query\":\"a.example\",\"ts\":1.5,\"rtt\":0.1,\"query\":\"b.example\",\"uid\":\"C1\"}";
        ObjectNode expected = NODES.objectNode();
        expected.put("query", "b.example");
        expected.put("ts", 1.5);
        expected.put("uid", "C1");
        for (JsonNode o : List.of(scanned(line), parsed(line))) {
            assertThat(o.get("query").asText()).isEqualTo("b.example");
            assertThat(o.get("rtt")).isNull(); // not kept
            assertThat(o.has("ts")).isTrue();
            assertThat(o.size()).isEqualTo(3);
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("query", "ts", "uid");
            assertThat(o).isEqualTo(expected);
            assertThat(expected).isEqualTo(o);
            assertThat(o.toString()).isEqualTo(expected.toString());
        }
    }

    @Test
    void holdsMoreFieldsThanItStartsWith() {
        KeptFields kept = new KeptFields(LogLineDecoder.FIELDS);
        int n = Math.min(LogLineDecoder.FIELDS.size(), 60);
        for (int i = 0; i < n; i++) {
            kept.put(i, NODES.numberNode(i));
        }
        assertThat(kept).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(kept.get(LogLineDecoder.FIELDS.name(i)).asInt()).isEqualTo(i);
        }
        assertThat(n).isGreaterThan(24);
    }

    @Test
    void refusesAFieldItsKeepDoesNotKeep() {
        KeptFields kept = new KeptFields(LogLineDecoder.FIELDS);
        assertThatThrownBy(() -> kept.put("rtt", NODES.nullNode())).isInstanceOf(UnsupportedOperationException.class);
        assertThat(kept.get(42)).isNull();
    }
}
