package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.log.LogLineDecoder;
import org.tiktokdetector.flink.DecodedLineType;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.TunnelLayer;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every field of {@link FlowRecord}, found by reflection, through every path a record takes: equals, the copy,
 * the JSON writer and reader, the log decoder's sparse and full paths, the wire serializer, and the hit. A field
 * added to FlowRecord and forgotten on one path fails here, naming the field and the path.
 */
class FlowRecordFieldsTest {
    /** FlowRecord fields a hit leaves out, and why; every other field is carried under the same name. */
    private static final Map<String, String> HIT_LEAVES_OUT = Map.of(
            "transport", "the hit names the server and the name; the transport is in the kind",
            "clientPort", "a device's hits span many connections",
            "queryType", "the rule matched the name, whatever was asked of it",
            "alpn", "not evidence of the name");

    private static final List<Field> FIELDS = Arrays.stream(FlowRecord.class.getFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers())).toList();

    /** A record with every field set to a value no default has. */
    private static FlowRecord full(String deviceId) throws Exception {
        FlowRecord r = new FlowRecord();
        for (Field f : FIELDS) {
            f.set(r, sample(f));
        }
        r.deviceId = deviceId;
        return r;
    }

    private static Object sample(Field f) {
        Class<?> t = f.getType();
        if (t == long.class) {
            return 1_764_000_000_123L; // a time in range, whole milliseconds (the JSON form's precision)
        } else if (t == int.class) {
            return 53_001;
        } else if (t == boolean.class) {
            return true;
        } else if (t == Kind.class) {
            return Kind.DNS;
        } else if (t == String.class) {
            return switch (f.getName()) {
                case "clientIp" -> "10.20.6.40";
                case "serverIp" -> "2001:db8::53";
                case "transport" -> "udp";
                case "mac" -> "f4:6b:8c:21:0e:93";
                case "name" -> "www.tiktok.com";
                default -> f.getName() + "-value";
            };
        } else if (t == List.class) {
            Object element = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
            if (element == String.class) {
                return new ArrayList<>(List.of("h3", "h2"));
            } else if (element == DnsAnswer.class) {
                return new ArrayList<>(List.of(new DnsAnswer("CNAME", "www.tiktok.com.ttdns2.com", 300), new DnsAnswer("AAAA", "2001:db8::1", -1)));
            } else if (element == TunnelLayer.class) {
                return new ArrayList<>(List.of(new TunnelLayer("vxlan", 4242, "192.0.2.1", "192.0.2.2"), new TunnelLayer("mpls", 16, null, null)));
            }
        }
        return fail("FlowRecordFieldsTest has no sample value for FlowRecord." + f.getName() + " (" + f.getGenericType() + "); add one");
    }

    /** The same value changed: a different element count for lists, so list handling is tested too. */
    private static Object other(Field f, Object v) {
        if (v instanceof Long l) {
            return l + 1;
        } else if (v instanceof Integer i) {
            return i + 1;
        } else if (v instanceof Boolean b) {
            return !b;
        } else if (v instanceof Kind k) {
            return k == Kind.DNS ? Kind.TLS : Kind.DNS;
        } else if (v instanceof String s) {
            return s + "x";
        } else if (v instanceof List<?> l) {
            return new ArrayList<>(l.subList(0, 1));
        }
        return fail("no other value for FlowRecord." + f.getName());
    }

    private static void assertEveryField(String path, FlowRecord expected, FlowRecord actual) throws Exception {
        for (Field f : FIELDS) {
            assertThat(f.get(actual)).as(path + " keeps FlowRecord." + f.getName()).isEqualTo(f.get(expected));
        }
        assertThat(actual).as(path).isEqualTo(expected);
    }

    @Test
    void equalsLooksAtEveryField() throws Exception {
        FlowRecord a = full("LAPTOP-0113");
        for (Field f : FIELDS) {
            FlowRecord b = full("LAPTOP-0113");
            f.set(b, other(f, f.get(b)));
            assertThat(b).as("a record differing only in " + f.getName()).isNotEqualTo(a);
        }
    }

    @Test
    void theCopyIsDeepAndWhole() throws Exception {
        FlowRecord r = full("LAPTOP-0113");
        FlowRecord c = r.copy();
        assertEveryField("copy()", r, c);
        for (Field f : FIELDS) {
            if (f.getType() == List.class) {
                assertThat(f.get(c)).as("copy()'s " + f.getName()).isNotSameAs(f.get(r));
                List<?> l = (List<?>) f.get(c);
                if (!(l.get(0) instanceof String)) {
                    assertThat(l.get(0)).as("copy()'s " + f.getName() + " elements").isNotSameAs(((List<?>) f.get(r)).get(0));
                }
            }
        }
    }

    /** The JSON form out and back in, through every way the log decoder reads a line. */
    @Test
    void theJsonFormKeepsEveryFieldOnEveryDecoderPath() throws Exception {
        LogLineDecoder decoder = new LogLineDecoder();
        Map<String, UnaryOperator<String>> layouts = Map.of(
                "compact", s -> s,
                "spaced", FlowRecordFieldsTest::spaced,
                "reordered", FlowRecordFieldsTest::reversedFields);
        for (String deviceId : List.of("LAPTOP-0113", "LAPTOP-Ünïcode-0113")) {
            FlowRecord r = full(deviceId);
            String json = FlowRecordJson.write(r);
            assertEveryField("FlowRecordJson.read", r, FlowRecordJson.read(FlowRecordJson.MAPPER.readTree(json)));
            for (var layout : layouts.entrySet()) {
                String line = layout.getValue().apply(json);
                String path = layout.getKey() + " " + (deviceId.equals("LAPTOP-0113") ? "ASCII" : "non-ASCII") + " line: ";
                assertEveryField(path + "decode(String)", r, decoder.decode(line).records().get(0));
                assertEveryField(path + "decodeUtf8(bytes)", r, decoder.decodeUtf8(line.getBytes(StandardCharsets.UTF_8)).records().get(0));
            }
        }
    }

    /** Jackson's pretty form on one line: newlines occur only between tokens, so they become spaces. */
    private static String spaced(String json) {
        try {
            return FlowRecordJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(FlowRecordJson.MAPPER.readTree(json)).replace('\n', ' ');
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    private static String reversedFields(String json) {
        try {
            JsonNode o = FlowRecordJson.MAPPER.readTree(json);
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            var out = FlowRecordJson.object();
            for (int i = names.size() - 1; i >= 0; i--) {
                out.set(names.get(i), o.get(names.get(i)));
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theWireSerializerKeepsEveryField() throws Exception {
        TypeSerializer<DecodedLine> serializer = DecodedLineType.INSTANCE.createSerializer(new SerializerConfigImpl());
        FlowRecord r = full("LAPTOP-Ünïcode-0113");
        DecodedLine line = DecodedLine.of(r);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(line, out);
        assertEveryField("DecodedLineType serializer", r, serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())).records.get(0));
        assertEveryField("DecodedLineType copy", r, serializer.copy(line).records.get(0));
    }

    @Test
    void aHitCarriesEveryFieldItDoesNotLeaveOut() throws Exception {
        FlowRecord r = full("LAPTOP-0113");
        Hit h = Hit.of(r, "tiktok.com", "default.list:1", Category.TIKTOK_APP, 7);
        for (Field f : FIELDS) {
            if (HIT_LEAVES_OUT.containsKey(f.getName())) {
                continue;
            }
            Field hf;
            try {
                hf = Hit.class.getField(f.getName());
            } catch (NoSuchFieldException e) {
                hf = fail("Hit has no field " + f.getName() + ": carry FlowRecord." + f.getName() + " or list it in HIT_LEAVES_OUT with why");
            }
            assertThat(hf.get(h)).as("Hit." + f.getName()).isEqualTo(f.get(r));
        }
        assertThat(HIT_LEAVES_OUT.keySet()).as("fields listed as left out exist")
                .allSatisfy(name -> assertThat(FIELDS).anyMatch(f -> f.getName().equals(name)));
    }
}
