package org.tiktokdetector.source;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.decode.DecodedLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Line framing: lines inside one read buffer, across refills, longer than the buffer, CRLF, empty, unterminated. */
class LogLineFormatTest {
    @Test
    void everyLineComesBackWholeWithItsNumber(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int length : new int[] {10, 0, 65_530, 3, 70_000, 200_000, 5, 65_536, 1}) {
            lines.add("{\"x\":\"" + "a".repeat(length) + "\"}"); // unrecognised: a dead letter keeps the bytes
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            file.write(lines.get(i).getBytes(StandardCharsets.US_ASCII));
            file.write((i % 3 == 1 ? "\r\n" : "\n").getBytes(StandardCharsets.US_ASCII));
        }
        file.write("\n{\"last\":1}".getBytes(StandardCharsets.US_ASCII)); // an empty line, then no final newline
        lines.add("");
        lines.add("{\"last\":1}");
        Path f = dir.resolve("lines.jsonl");
        Files.write(f, file.toByteArray());

        StreamFormat.Reader<DecodedLine> reader = new LogLineFormat(f.toString()).createReader(new Configuration(),
                FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(f.toUri())));
        List<DecodedLine> read = new ArrayList<>();
        for (DecodedLine d; (d = reader.read()) != null; ) {
            read.add(d);
        }
        reader.close();
        assertThat(read).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            DecodedLine d = read.get(i);
            if (lines.get(i).isEmpty()) {
                assertThat(d.ignored()).isTrue();
            } else {
                assertThat(d.deadLetter.line).isEqualTo(i + 1);
                assertThat(new String(d.deadLetter.original, StandardCharsets.US_ASCII)).isEqualTo(lines.get(i));
            }
        }
    }
}
