package org.tiktokdetector.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a log file as lines of bytes ('\n' or "\r\n" ends a line), numbered from 1, without
 * decoding the charset: the decoder parses the bytes, and a dead letter keeps them as they were.
 * One format per file, because Flink's stream formats are not told which file they read.
 */
public class LogLineFormat extends SimpleStreamFormat<RawRecord> {
    private final String source;

    public LogLineFormat(String source) {
        this.source = source;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new StreamFormat.Reader<>() {
            private final byte[] buffer = new byte[64 * 1024];
            private int pos;
            private int limit;
            private long lineNo;
            private byte[] pending = new byte[256];

            @Override
            public RawRecord read() throws IOException {
                int length = 0;
                while (true) {
                    if (pos == limit) {
                        limit = stream.read(buffer, 0, buffer.length);
                        pos = 0;
                        if (limit <= 0) {
                            limit = 0;
                            return length > 0 ? line(length) : null;
                        }
                    }
                    int start = pos;
                    while (pos < limit && buffer[pos] != '\n') {
                        pos++;
                    }
                    int chunk = pos - start;
                    if (length + chunk > pending.length) {
                        pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + chunk));
                    }
                    System.arraycopy(buffer, start, pending, length, chunk);
                    length += chunk;
                    if (pos < limit) {
                        pos++; // the '\n'
                        return line(length);
                    }
                }
            }

            private RawRecord line(int length) {
                lineNo++;
                if (length > 0 && pending[length - 1] == '\r') {
                    length--;
                }
                return RawRecord.ofLine(source, lineNo, Arrays.copyOf(pending, length));
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
