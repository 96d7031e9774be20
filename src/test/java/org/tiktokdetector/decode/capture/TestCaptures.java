package org.tiktokdetector.decode.capture;

import org.tiktokdetector.records.FlowRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test inputs: the sample captures, the copied Zeek traces, and helpers to read and build packets. */
final class TestCaptures {
    static final Path SAMPLES = Path.of("sample-data/captures");
    static final Path RESOURCES = Path.of("src/test/resources/captures");
    /** The shared captures beside the repository (see its README), too many to copy here. */
    static final Path SHARED = Path.of("../shared/captures");
    private static final List<String> SHARED_FOLDERS = List.of("zeek/dns", "zeek/quic", "zeek/quic/interop/quic-go_quic-go",
            "zeek/tls", "zeek/tunnels");

    private TestCaptures() {}

    static Path sample(String name) {
        return SAMPLES.resolve(name);
    }

    /** Every capture of the shared folders, as a path under {@link #SHARED}; the test is skipped where there is none. */
    static java.util.stream.Stream<String> shared() throws IOException {
        List<String> out = new ArrayList<>();
        for (String folder : SHARED_FOLDERS) {
            Path dir = SHARED.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                    files.map(f -> folder + "/" + f.getFileName()).filter(n -> n.matches(".*\\.pcap(ng)?")).sorted().forEach(out::add);
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(!out.isEmpty(), "no shared captures at " + SHARED.toAbsolutePath().normalize());
        return out.stream();
    }

    static Path zeek(String name) {
        return RESOURCES.resolve("zeek").resolve(name);
    }

    static Path format(String name) {
        return RESOURCES.resolve("formats").resolve(name);
    }

    /** Every packet of a capture, copied. */
    static List<Packet> packets(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return packets(in, file.getFileName().toString(), new CaptureStats(file.getFileName().toString()));
        }
    }

    static List<Packet> packets(InputStream in, String name, CaptureStats stats) throws IOException {
        List<Packet> out = new ArrayList<>();
        try (CaptureReader reader = new CaptureReader(in, stats)) {
            Packet p = new Packet();
            while (reader.next(p)) {
                out.add(copy(p));
            }
        }
        return out;
    }

    static Packet copy(Packet p) {
        Packet c = new Packet().set(p.linkType, p.timestampMicros, p.data, p.length);
        c.originalLength = p.originalLength;
        return c;
    }

    static List<FlowRecord> records(Path file) throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            FlowExtractor.extract(in, file.getFileName().toString(), out::add);
        }
        return out;
    }

    static List<FlowRecord> records(byte[] capture, String name, CaptureStats[] stats) throws IOException {
        List<FlowRecord> out = new ArrayList<>();
        stats[0] = FlowExtractor.extract(new ByteArrayInputStream(capture), name, out::add);
        return out;
    }

    /** Runs packets through one extractor. */
    static List<FlowRecord> records(List<Packet> packets) {
        List<FlowRecord> out = new ArrayList<>();
        FlowExtractor extractor = new FlowExtractor(new CaptureStats("test"), out::add);
        packets.forEach(extractor::accept);
        return out;
    }

    static byte[] hex(String s) {
        return QuicInitial.hex(s.replaceAll("\\s", ""));
    }

    /**
     * A raw IPv4 packet (link type 101) with a TCP header (no options) or a UDP header. Checksums are
     * left zero: no decoder here checks them.
     */
    static Packet ipv4(long micros, String src, String dst, int srcPort, int dstPort, boolean tcp, int seq,
                       int tcpFlags, byte[] payload) {
        int transport = tcp ? 20 : 8;
        byte[] b = new byte[20 + transport + payload.length];
        b[0] = 0x45;
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        b[8] = 64;
        b[9] = (byte) (tcp ? 6 : 17);
        System.arraycopy(address(src), 0, b, 12, 4);
        System.arraycopy(address(dst), 0, b, 16, 4);
        b[20] = (byte) (srcPort >> 8);
        b[21] = (byte) srcPort;
        b[22] = (byte) (dstPort >> 8);
        b[23] = (byte) dstPort;
        if (tcp) {
            b[24] = (byte) (seq >>> 24);
            b[25] = (byte) (seq >>> 16);
            b[26] = (byte) (seq >>> 8);
            b[27] = (byte) seq;
            b[32] = 0x50;
            b[33] = (byte) tcpFlags;
        } else {
            int udpLength = 8 + payload.length;
            b[24] = (byte) (udpLength >> 8);
            b[25] = (byte) udpLength;
        }
        System.arraycopy(payload, 0, b, 20 + transport, payload.length);
        return new Packet().set(101, micros, b, b.length);
    }

    private static byte[] address(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) Integer.parseInt(parts[i]);
        }
        return a;
    }

    /** A pcap file (little-endian, microseconds) of the packets, all of the first one's link type. */
    static byte[] pcap(List<Packet> packets) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + packets.stream().mapToInt(p -> 16 + p.length).sum())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(packets.get(0).linkType);
        for (Packet p : packets) {
            b.putInt((int) (p.timestampMicros / 1_000_000)).putInt((int) (p.timestampMicros % 1_000_000)).putInt(p.length).putInt(p.length);
            b.put(p.data, 0, p.length);
        }
        return b.array();
    }

    /** The names of records, sorted: the form the tshark lists are in. */
    static List<String> sortedNames(List<FlowRecord> records) {
        String[] names = records.stream().map(r -> r.name).toArray(String[]::new);
        Arrays.sort(names);
        return List.of(names);
    }
}
