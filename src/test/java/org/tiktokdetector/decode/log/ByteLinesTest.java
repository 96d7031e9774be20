package org.tiktokdetector.decode.log;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** decodeUtf8(byte[]) (the sources' path) gives exactly what decode(String) gives: records, dialect, or the message. */
class ByteLinesTest {
    private final LogLineDecoder decoder = new LogLineDecoder();

    @Test
    void sameAsTheStringPathOnEverySampleLineAndOddLines() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("sample-data"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".json")
                    || p.toString().endsWith(".jsonl")).toList()) {
                for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    lines.add(l.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        for (String odd : List.of("", "   ", "\t# zeek header", "#fields\tts", "{}", "[1,2]", "null", "42", "\"text\"",
                "{\"ts\":1} trailing", "{\"ts\":1", "{\"_path\":\"dns\",\"ts\":", "  {\"uid\":\"C1\"}", "ts\t1.0\tC1",
                "{\"a\":1}", "\uFEFF{\"kind\":\"dns\"}", "{\"kind\":\"dns\",\"name\":\"b\u00fccher.example\"}",
                "{\"ts\":\"2026-11-24T09:31:02.874Z\",\"kind\":\"dns\",\"client_ip\":\"10.0.0.1\",\"name\":\"x.com\"}\r",
                "{\"event_type\":\"dns\",\"dns\":{\"type\":\"query\"}}", "{\"event_type\":5}")) {
            lines.add(odd.getBytes(StandardCharsets.UTF_8));
        }
        lines.add(new byte[] {'{', '"', 'k', 'i', 'n', 'd', '"', ':', '"', (byte) 0xff, '"', '}'}); // not UTF-8
        for (byte[] line : lines) {
            assertThat(outcome(() -> decoder.decodeUtf8(line)))
                    .as(new String(line, StandardCharsets.UTF_8))
                    .isEqualTo(outcome(() -> decoder.decode(new String(line, StandardCharsets.UTF_8))));
        }
    }

    private interface Decode {
        LogLineDecoder.Result run() throws MalformedRecordException;
    }

    private static String outcome(Decode d) {
        try {
            LogLineDecoder.Result r = d.run();
            StringBuilder b = new StringBuilder(r.dialect().name()).append(' ').append(r.type());
            r.records().forEach(x -> b.append(' ').append(FlowRecordJson.write(x)));
            return b.toString();
        } catch (MalformedRecordException e) {
            return "malformed: " + e.getMessage();
        }
    }
}
