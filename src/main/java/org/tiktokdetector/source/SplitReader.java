package org.tiktokdetector.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureReader;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.Packet;
import org.tiktokdetector.decode.capture.TunnelPorts;
import org.tiktokdetector.decode.log.LineDecoder;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads one replayed file or stream into decoded lines, whatever it holds (a log, plain or gzip, or a
 * capture): its units are log lines, or a capture's flow records and skipped packets. Every record's time
 * is judged by the file's {@link FileClock} before it is handed on; an unbelievable one becomes a dead
 * letter. To judge the very first records against the file's own median too, the first
 * {@link FileClock#SAMPLE} timed units are read ahead before any is handed on.
 */
public final class SplitReader implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SplitReader.class);
    /** How many units are read ahead at most to find the first timestamps. */
    private static final int LOOKAHEAD = 1000;

    /** A unit as read: its decoded line, the bytes a dead letter would keep (null for a capture's record), and its number in the file. */
    private record Unit(DecodedLine line, byte[] original, long number) {}

    private final ReplaySource.Split split;
    private final String source;
    private final InputFiles.Opened opened;
    private final Units units;
    private final FileClock clock;
    private final ArrayDeque<Unit> ahead = new ArrayDeque<>();
    private long emitted;

    SplitReader(ReplaySource.Split split, InputLimits limits) throws IOException {
        this.split = split;
        this.source = split.input().path().equals(InputFiles.STDIN) ? "stdin" : split.input().path();
        this.opened = InputFiles.open(split.input());
        this.units = switch (opened.kind()) {
            case LOG -> new LogUnits(new LineReader(opened.in(), limits.maxLineLength(), split.input().range()),
                    ReplayReader.logDecoder(split.input().path(), split.input().range()), limits.maxLineLength());
            case CAPTURE -> new CaptureUnits(opened.in(), source, limits.tunnelPorts());
            case OTHER -> new NoUnits(opened.why());
        };
        long[] first = new long[FileClock.SAMPLE];
        int n = 0;
        Unit u;
        // A stream (standard input, a pipe) is not read ahead: its first records would wait for the next ones.
        boolean stream = split.input().kind() == null;
        while (!stream && n < first.length && ahead.size() < LOOKAHEAD && (u = units.next()) != null) {
            ahead.add(u);
            if (u.line().timestamp != Long.MIN_VALUE) {
                first[n++] = u.line().timestamp;
            }
        }
        clock = new FileClock(limits.maxAhead(), limits.outOfOrderness(), Arrays.copyOf(first, n), System::currentTimeMillis);
        // After a restore: what was emitted before the checkpoint goes through the clock again, and no further.
        while (emitted < split.emitted() && next() != null) {
            // dropped
        }
    }

    /** Reads an input outside Flink, as the job's source does (for benchmarks and tests). */
    public static SplitReader open(InputFiles.Input input, InputLimits limits) throws IOException {
        return new SplitReader(new ReplaySource.Split(input, 0), limits);
    }

    /** The next decoded line, or null at the end of the file. */
    public DecodedLine next() throws IOException {
        Unit u = ahead.isEmpty() ? units.next() : ahead.poll();
        if (u == null) {
            return null;
        }
        DecodedLine d = u.line();
        d.judgeTime(clock, source, u.number(), -1, -1, () -> u.original() != null ? u.original() : CaptureLines.original(d));
        d.locate(source, units instanceof LogUnits ? u.number() : 0); // a capture's records carry their packet number
        emitted++;
        return d;
    }

    FileClock clock() {
        return clock;
    }

    /** The packet counts of a capture, null for a log. */
    CaptureStats captureStats() {
        return units instanceof CaptureUnits c ? c.lines.stats() : null;
    }

    /** This split as it would be restored now. */
    ReplaySource.Split progress() {
        return new ReplaySource.Split(split.input(), emitted);
    }

    @Override
    public void close() throws IOException {
        units.close();
        opened.close();
    }

    private interface Units {
        /** The next unit, or null at the end. */
        Unit next() throws IOException;

        default void close() throws IOException {}
    }

    /** A log's lines, decoded; lines that are no record (blank, comments, headers) are passed over. */
    private final class LogUnits implements Units {
        private final LineReader lines;
        private final LineDecoder decoder;
        private final int maxLength;
        private boolean broken;

        LogUnits(LineReader lines, LineDecoder decoder, int maxLength) {
            this.lines = lines;
            this.decoder = decoder;
            this.maxLength = maxLength;
        }

        @Override
        public Unit next() throws IOException {
            if (broken) {
                return null;
            }
            try {
                return read();
            } catch (EOFException | ZipException e) {
                // A gzip file cut short (copied while it was written) or corrupt: the lines before are read, and one
                // dead letter, numbered as the line it broke in, says why the rest is not.
                broken = true;
                long number = lines.number() + 1;
                byte[] none = new byte[0];
                return new Unit(DecodedLine.unreadable(DeadLetter.of(source, number, -1, -1, none, source
                        + " is cut short or corrupt in line " + number + " (gzip: " + e.getMessage() + "); the lines before are read")), none, number);
            }
        }

        private Unit read() throws IOException {
            LineReader.Line l;
            while ((l = lines.next()) != null) {
                if (l.overlong()) {
                    return new Unit(DecodedLine.unreadable(DeadLetter.of(source, l.number(), -1, -1, l.bytes(),
                            LineReader.tooLong(l.length(), maxLength, l.bytes().length))), l.bytes(), l.number());
                }
                DecodedLine d = LineDecoder.decodeLine(decoder, source, l.number(), -1, -1, l.bytes());
                if (d != null) {
                    return new Unit(d, l.bytes(), l.number());
                }
            }
            return null;
        }
    }

    /** A capture's flow records, and one counted line per packet its decoders skipped. */
    private static final class CaptureUnits implements Units {
        private final CaptureReader reader;
        private final CaptureLines lines;
        private final Packet packet = new Packet();
        private long number;
        private boolean ended;

        CaptureUnits(java.io.InputStream in, String name, TunnelPorts tunnelPorts) {
            CaptureStats stats = new CaptureStats(name.substring(name.lastIndexOf('/') + 1));
            reader = new CaptureReader(in, stats);
            lines = new CaptureLines(stats, tunnelPorts);
        }

        @Override
        public Unit next() throws IOException {
            DecodedLine d;
            while ((d = lines.poll()) == null && !ended) {
                if (reader.next(packet)) {
                    lines.accept(packet);
                } else {
                    ended = true;
                    LOG.info("{}", lines.stats().summary());
                }
            }
            return d == null ? null : new Unit(d, null, ++number);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** A stream that turned out to be neither a log nor a capture: one dead letter says so. */
    private final class NoUnits implements Units {
        private final String why;
        private boolean said;

        NoUnits(String why) {
            this.why = why;
        }

        @Override
        public Unit next() {
            if (said) {
                return null;
            }
            said = true;
            byte[] none = new byte[0];
            return new Unit(DecodedLine.unreadable(DeadLetter.of(source, -1, -1, -1, none, source + " " + why)), none, 0);
        }
    }
}
