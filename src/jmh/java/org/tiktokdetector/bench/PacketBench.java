package org.tiktokdetector.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tiktokdetector.decode.capture.FlowExtractor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The packet path per protocol: a real capture in memory, framed by our reader and decoded by a fresh
 * {@link FlowExtractor} (fresh, so TCP and QUIC state start clean as in a new capture): DNS over UDP
 * and TCP (dig/dnsmasq), a TLS ClientHello over four TCP segments, QUIC Initials (ngtcp2: key
 * derivation, header protection, AES-GCM, CRYPTO reassembly). The {@code packets} counter is the
 * score to read: packets per second on one thread. Run from the project folder (it reads sample-data/).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class PacketBench {
    @Param({"dns-udp-tcp.pcap", "tls-large-hello.pcap", "quic-ngtcp2.pcap"})
    public String capture;

    private byte[] bytes;

    /** Packets and records decoded, reported per second next to the captures per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long packets;
        public long records;
    }

    @Setup
    public void setup() throws IOException {
        bytes = Files.readAllBytes(Path.of("sample-data/captures", capture));
    }

    @Benchmark
    public void extract(Counts counts) throws IOException {
        long[] records = new long[1];
        var stats = FlowExtractor.extract(new ByteArrayInputStream(bytes), capture, r -> records[0]++);
        counts.packets += stats.packetsRead();
        counts.records += records[0];
    }
}
