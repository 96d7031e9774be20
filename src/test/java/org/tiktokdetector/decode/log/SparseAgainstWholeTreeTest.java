package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoders read a line through sparse readers (a byte scanner, and Jackson keeping only the fields they use).
 * Whatever they keep or drop, the records must be the ones a full parse of the line gives: the same line in
 * every variant a sensor or an attacker may write (fields in any order, strings with \\u escapes, unknown fields
 * with big or deep values, a field given twice) decodes, on both the byte and the String path, to exactly what
 * the whole tree decodes to, or is refused by both. Removing a field the decoders read (e.g. {@code ech} or
 * {@code version}) from the kept set makes this fail.
 */
class SparseAgainstWholeTreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LINES = sampleLines();

    private static List<String> sampleLines() {
        try (Stream<Path> files = Files.walk(Path.of("sample-data"))) {
            List<String> lines = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".json")
                    || p.toString().endsWith(".jsonl")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(SparseAgainstWholeTreeTest::isObject).forEach(lines::add);
            }
            lines.addAll(List.of( // fields the samples lack: ECH, DTLS, ALPN lists, v3 DNS answers
                    "{\"ts\":1795510804.9,\"uid\":\"Cd1\",\"id.orig_h\":\"10.0.0.4\",\"id.orig_p\":5000,\"id.resp_h\":\"10.0.0.5\",\"id.resp_p\":4433,\"version\":\"DTLSv12\",\"server_name\":\"dtls.example\"}",
                    "{\"ts\":\"2026-11-24T09:00:00Z\",\"kind\":\"tls\",\"client_ip\":\"10.0.0.1\",\"name\":\"public.example\",\"ech\":true,\"alpn\":[\"h2\"]}",
                    "{\"timestamp\":\"2026-11-24T10:00:00+0100\",\"event_type\":\"tls\",\"src_ip\":\"10.0.0.2\",\"src_port\":1,\"dest_ip\":\"10.0.0.3\",\"dest_port\":443,\"tls\":{\"sni\":\"www.tiktok.com\",\"version\":\"TLS 1.3\",\"client_alpns\":[\"h2\",\"http/1.1\"]}}",
                    "{\"timestamp\":\"2026-11-24T10:00:00Z\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.53\",\"src_port\":53,\"dest_ip\":\"10.0.0.2\",\"dest_port\":5353,\"dns\":{\"version\":3,\"type\":\"response\",\"queries\":[{\"rrname\":\"a.example\",\"rrtype\":\"A\"}],\"answers\":[{\"rrname\":\"a.example\",\"rrtype\":\"A\",\"ttl\":30,\"rdata\":\"192.0.2.1\"}]}}"));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isObject(String line) {
        try {
            return JSON.readTree(line).isObject();
        } catch (IOException e) {
            return false; // the malformed samples: variants of them would not be lines the decoders could read either
        }
    }

    @Property(tries = 2000)
    void everyVariantOfALineDecodesAsItsWholeTree(@ForAll("variants") String line) throws Exception {
        String whole = outcome(() -> LogLineDecoder.decodeWholeTree(JSON.readTree(line)));
        LogLineDecoder decoder = new LogLineDecoder();
        assertThat(outcome(() -> decoder.decodeUtf8(line.getBytes(StandardCharsets.UTF_8)))).as("byte path of %s", line).isEqualTo(whole);
        assertThat(outcome(() -> decoder.decode(line))).as("String path of %s", line).isEqualTo(whole);
    }

    private interface Decoding {
        LogLineDecoder.Result run() throws Exception;
    }

    /** The records with the dialect and label, or "malformed": messages may be worded per path. */
    private static String outcome(Decoding d) {
        try {
            LogLineDecoder.Result r = d.run();
            return r.dialect() + " " + r.type() + " " + r.records();
        } catch (MalformedRecordException e) {
            return "malformed";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<String> variants() {
        return Combinators.combine(Arbitraries.of(LINES), Arbitraries.longs(), Arbitraries.integers().between(0, 15))
                .as((line, seed, how) -> variant(line, new Random(seed), how));
    }

    /** The line rewritten by the chosen changes (bit 0: order, 1: escapes, 2: unknown fields, 3: a field twice). */
    static String variant(String line, Random r, int how) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            StringBuilder b = new StringBuilder();
            write(o, r, how, b, true);
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonNode v, Random r, int how, StringBuilder b, boolean top) {
        if (v.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            if ((how & 1) != 0) {
                java.util.Collections.shuffle(fields, r);
            }
            b.append('{');
            boolean first = true;
            if ((how & 8) != 0 && !fields.isEmpty()) {
                // a field given twice, the first time with another value: the last one counts, as in Jackson's tree
                Map.Entry<String, JsonNode> twice = fields.get(r.nextInt(fields.size()));
                string(twice.getKey(), r, how, b);
                b.append(":\"an earlier value\"");
                first = false;
            }
            for (Map.Entry<String, JsonNode> f : fields) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                if ((how & 4) != 0 && top && r.nextInt(3) == 0) {
                    b.append(junk(r)).append(',');
                }
                string(f.getKey(), r, how, b);
                b.append(':');
                write(f.getValue(), r, how, b, false);
            }
            if ((how & 4) != 0 && top) {
                b.append(first ? "" : ",").append(junk(r));
            }
            b.append('}');
        } else if (v.isArray()) {
            b.append('[');
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : ",");
                write(v.get(i), r, how, b, false);
            }
            b.append(']');
        } else if (v.isTextual()) {
            string(v.asText(), r, how, b);
        } else {
            b.append(v.toString());
        }
    }

    /** A JSON string, some characters written as \\u escapes when bit 1 is set. */
    private static void string(String s, Random r, int how, StringBuilder b) {
        b.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || ((how & 2) != 0 && r.nextInt(4) == 0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /** A field no decoder reads, with a value that is big, deep, or an odd number. */
    private static String junk(Random r) {
        String name = "\"x_" + r.nextInt(1000) + "\":";
        return name + switch (r.nextInt(5)) {
            case 0 -> "\"" + "a\\n\\\"".repeat(2000) + "\"";
            case 1 -> "[".repeat(40) + "1" + "]".repeat(40);
            case 2 -> "123456789012345678901234567890e-5";
            case 3 -> "{\"query\":\"nested.example\",\"server_name\":[null,true,-0]}";
            default -> "-0.0";
        };
    }
}
