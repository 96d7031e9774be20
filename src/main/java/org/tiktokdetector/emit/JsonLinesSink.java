package org.tiktokdetector.emit;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Local-mode output: one JSON object per line to a file (or stdout when the path is "-"). The file
 * is created on the first record, so a run without dead letters leaves no empty dead-letter file.
 * Run it with parallelism 1. Records that matter at once (violations, dead letters) are flushed as
 * they are written; high-volume audit output is flushed at checkpoints and at the end.
 */
public class JsonLinesSink<T> implements Sink<T> {
    public static final String STDOUT = "-";

    private final String path;
    private final SerializableFunction<T, String> toJson;
    private final boolean flushEachRecord;

    public JsonLinesSink(String path, SerializableFunction<T, String> toJson, boolean flushEachRecord) {
        this.path = path;
        this.toJson = toJson;
        this.flushEachRecord = flushEachRecord;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            private Writer out;

            @Override
            public void write(T element, Context context) throws IOException {
                if (out == null) {
                    out = open();
                }
                out.write(toJson.apply(element));
                out.write('\n');
                if (flushEachRecord) {
                    out.flush();
                }
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                if (out != null) {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                if (out != null && !STDOUT.equals(path)) {
                    out.close();
                } else if (out != null) {
                    out.flush();
                }
            }
        };
    }

    private Writer open() throws IOException {
        if (STDOUT.equals(path)) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        }
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }
}
