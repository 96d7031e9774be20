package org.tiktokdetector.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.log.LineDecoder;
import org.tiktokdetector.decode.log.LogLineDecoder;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One log line's bytes to flow records, as the file source does it ({@link LineDecoder#decodeLine}), per dialect.
 * Score: lines per second on one thread. (Packet decoders: {@link PacketBench}.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class DecoderBench {
    static final int LINES = 4096;

    @Param({"zeek-dns", "zeek-ssl", "zeek-quic", "zeek-http", "suricata-dns-v2", "suricata-dns-v3", "suricata-tls", "own"})
    public String dialect;

    private final LogLineDecoder decoder = new LogLineDecoder();
    private byte[][] lines;

    @Setup
    public void setup() {
        BenchData data = new BenchData(7);
        lines = new byte[LINES][];
        long millis = 1_795_510_800_000L;
        for (int i = 0; i < LINES; i++) {
            millis += data.random().nextInt(5);
            String name = data.random().nextInt(100) == 0 ? data.tiktokName() : data.ordinaryName();
            lines[i] = data.line(dialect, millis, data.random().nextInt(20_000), name).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int decode() {
        int records = 0;
        for (int i = 0; i < lines.length; i++) {
            DecodedLine d = LineDecoder.decodeLine(decoder::decodeUtf8, "bench", i + 1, -1, -1, lines[i]);
            if (d.deadLetter != null) {
                throw new IllegalStateException(d.deadLetter.reason);
            }
            records += d.records.size();
        }
        return records;
    }
}
