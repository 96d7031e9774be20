package org.tiktokdetector.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.tiktokdetector.decode.Bytes;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.log.LogLineDecoder;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a sensor log file line by line ('\n' or "\r\n" ends a line; lines numbered from 1) and
 * decodes each line as it goes, so the source knows each record's event time. A line that cannot
 * be decoded keeps its original bytes for the dead letters. One format per file, because Flink's
 * stream formats are not told which file they read.
 */
public class LogLineFormat extends SimpleStreamFormat<DecodedLine> {
    private final String source;

    public LogLineFormat(String source) {
        this.source = source;
    }

    @Override
    public StreamFormat.Reader<DecodedLine> createReader(Configuration config, FSDataInputStream stream) {
        return new StreamFormat.Reader<>() {
            private final byte[] buffer = new byte[64 * 1024];
            private int pos;
            private int limit;
            private long lineNo;
            private byte[] pending = new byte[256];
            private final LogLineDecoder decoder = new LogLineDecoder();

            @Override
            public DecodedLine read() throws IOException {
                int length = 0; // bytes of this line already moved to pending (a line across buffer refills)
                while (true) {
                    if (pos == limit) {
                        limit = stream.read(buffer, 0, buffer.length);
                        pos = 0;
                        if (limit <= 0) {
                            limit = 0;
                            return length > 0 ? line(pending, 0, length) : null;
                        }
                    }
                    int start = pos;
                    int newline = Bytes.indexOfNewline(buffer, pos, limit);
                    if (newline >= 0 && length == 0) {
                        // The usual case, a whole line in the buffer: copied once, straight out of it.
                        pos = newline + 1;
                        return line(buffer, start, newline - start);
                    }
                    int end = newline >= 0 ? newline : limit;
                    int chunk = end - start;
                    if (length + chunk > pending.length) {
                        pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + chunk));
                    }
                    System.arraycopy(buffer, start, pending, length, chunk);
                    length += chunk;
                    pos = end;
                    if (newline >= 0) {
                        pos++; // the '\n'
                        return line(pending, 0, length);
                    }
                }
            }

            private DecodedLine line(byte[] from, int offset, int length) {
                lineNo++;
                if (length > 0 && from[offset + length - 1] == '\r') {
                    length--;
                }
                return DecodedLine.decode(decoder, source, lineNo, -1, -1, Arrays.copyOfRange(from, offset, offset + length));
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public TypeInformation<DecodedLine> getProducedType() {
        return DecodedLineType.INSTANCE;
    }
}
