package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureReaderTest {

    @Test
    void pcapInEitherByteOrderAndPrecisionReadsTheSamePackets() throws IOException {
        List<Packet> micro = TestCaptures.packets(TestCaptures.sample("dns-udp-tcp.pcap"));
        assertEquals(22, micro.size());
        assertSamePackets(micro, TestCaptures.packets(TestCaptures.format("dns-udp-tcp-nsec.pcap")));
        assertSamePackets(micro, TestCaptures.packets(TestCaptures.format("dns-udp-tcp-bigendian.pcap")));
    }

    @Test
    void pcapngReadsTheSamePacketsAsPcap() throws IOException {
        assertSamePackets(TestCaptures.packets(TestCaptures.sample("tls-large-hello.pcap")),
                TestCaptures.packets(TestCaptures.format("tls-large-hello.pcapng")));
    }

    @Test
    void pcapngWithTwoInterfacesKeepsEachPacketsLinkType() throws IOException {
        List<Packet> all = TestCaptures.packets(TestCaptures.sample("all.pcapng"));
        assertEquals(81, all.size());
        assertEquals(Set.of(1, 276), all.stream().map(p -> p.linkType).collect(Collectors.toSet()));
    }

    @Test
    void pcapngBigEndianSectionsResolutionsOffsetsAndSimplePackets() throws IOException {
        byte[] data = {0x45, 1, 2, 3};
        Pcapng big = new Pcapng(ByteOrder.BIG_ENDIAN)
                .interfaceBlock(101, 9, 0)             // nanoseconds
                .interfaceBlock(228, 0x80 | 10, 100)   // 2^-10 s, offset 100 s
                .block(0x0BAD, new byte[8])            // unknown block: skipped
                .packet(0, 1_500_000_123L, data)
                .packet(1, 3 * 1024 + 512, data);
        Pcapng little = new Pcapng(ByteOrder.LITTLE_ENDIAN)
                .interfaceBlock(1, -1, 0)
                .simplePacket(data);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(big.bytes());
        file.writeBytes(little.bytes());
        CaptureStats stats = new CaptureStats("built.pcapng");
        List<Packet> packets = TestCaptures.packets(new ByteArrayInputStream(file.toByteArray()), "built.pcapng", stats);
        assertEquals(List.of(), stats.firstProblems());
        assertEquals(3, packets.size());
        assertEquals(101, packets.get(0).linkType);
        assertEquals(1_500_000L, packets.get(0).timestampMicros);
        assertEquals(228, packets.get(1).linkType);
        assertEquals(103_500_000L, packets.get(1).timestampMicros);
        assertEquals(1, packets.get(2).linkType, "the second section has its own interfaces");
        assertEquals(103_500_000L, packets.get(2).timestampMicros, "a simple packet takes the time before it");
        assertArrayEquals(data, Arrays.copyOf(packets.get(2).data, packets.get(2).length));
    }

    @Test
    void aCaplenAboveTheSnaplenIsReportedWithTheRecordNumber() throws IOException {
        byte[] file = Files.readAllBytes(TestCaptures.sample("dns-udp-tcp.pcap"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16, 65535); // snaplen
        int second = 24 + 16 + b.getInt(24 + 8);
        b.putInt(second + 8, 70000);
        CaptureStats stats = new CaptureStats("foo.pcap");
        TestCaptures.packets(new ByteArrayInputStream(file), "foo.pcap", stats);
        assertEquals("capture foo.pcap record 2: caplen 70000 exceeds snaplen 65535", stats.firstProblems().get(0));
    }

    @Test
    void aCaplenAbove256KiBEndsTheCaptureCleanly() throws IOException {
        byte[] file = Files.readAllBytes(TestCaptures.sample("dns-udp-tcp.pcap"));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 1 << 30);
        CaptureStats stats = new CaptureStats("foo.pcap");
        assertEquals(0, TestCaptures.packets(new ByteArrayInputStream(file), "foo.pcap", stats).size());
        assertEquals(List.of("capture foo.pcap record 1: caplen 1073741824 exceeds the 262144-byte limit"),
                stats.firstProblems());
    }

    @Test
    void everyTruncationEndsCleanlyAndNamesTheCutRecord() throws IOException {
        byte[] file = Files.readAllBytes(TestCaptures.sample("dns-udp-tcp.pcap"));
        Set<Integer> boundaries = new java.util.HashSet<>();
        for (int o = 24; o <= file.length; o += 16 + ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(o + 8)) {
            boundaries.add(o);
            if (o == file.length) {
                break;
            }
        }
        for (int len = 0; len < file.length; len++) {
            CaptureStats stats = new CaptureStats("cut.pcap");
            List<Packet> packets = TestCaptures.packets(new ByteArrayInputStream(Arrays.copyOf(file, len)), "cut.pcap", stats);
            assertTrue(packets.size() < 22, "cut at " + len);
            assertEquals(boundaries.contains(len) ? 0 : 1, stats.problems(), "cut at " + len + ": " + stats.firstProblems());
            if (stats.problems() > 0) {
                assertTrue(stats.firstProblems().get(0).startsWith("capture cut.pcap "), stats.firstProblems().get(0));
            }
        }
    }

    @Test
    void everyTruncationOfAPcapngEndsCleanly() throws IOException {
        byte[] file = Files.readAllBytes(TestCaptures.sample("all.pcapng"));
        for (int len = 0; len < file.length; len += 7) {
            CaptureStats stats = new CaptureStats("cut.pcapng");
            List<Packet> packets = TestCaptures.packets(new ByteArrayInputStream(Arrays.copyOf(file, len)), "cut.pcapng", stats);
            assertTrue(packets.size() < 81, "cut at " + len);
            assertTrue(stats.problems() <= 1, "cut at " + len);
        }
    }

    @Test
    void aPcapngBlockLengthThatIsNotAMultipleOfFourEndsTheCapture() throws IOException {
        byte[] file = new Pcapng(ByteOrder.LITTLE_ENDIAN).interfaceBlock(1, -1, 0).packet(0, 0, new byte[4]).bytes();
        int epb = 28 + 24; // section header block, interface block with only opt_endofopt
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(epb + 4, 7);
        CaptureStats stats = new CaptureStats("bad.pcapng");
        assertEquals(0, TestCaptures.packets(new ByteArrayInputStream(file), "bad.pcapng", stats).size());
        assertEquals(List.of("capture bad.pcapng block 3: block length 7, expected a multiple of 4 from 12 to 16777216"),
                stats.firstProblems());
    }

    @Test
    void somethingElseIsNotACapture() throws IOException {
        CaptureStats stats = new CaptureStats("notes.txt");
        TestCaptures.packets(new ByteArrayInputStream("hello, world".getBytes()), "notes.txt", stats);
        assertEquals(List.of("capture notes.txt is not a pcap or pcapng file: it starts with 0x68656c6c, "
                + "expected a1b2c3d4, d4c3b2a1, a1b23c4d, 4d3cb2a1 or 0a0d0d0a"), stats.firstProblems());
    }

    @Test
    void binaryTimestampResolutionsConvertExactly() {
        assertEquals(1_500_000L, PcapngReader.toMicros(1_500_000_000L, 9));
        assertEquals(1_000_000L, PcapngReader.toMicros(1L << 20, 0x80 | 20));
        assertEquals(5_000_000L, PcapngReader.toMicros(5, 0));
    }

    private static void assertSamePackets(List<Packet> expected, List<Packet> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Packet e = expected.get(i);
            Packet a = actual.get(i);
            assertEquals(e.linkType, a.linkType, "packet " + i);
            assertEquals(e.timestampMicros, a.timestampMicros, "packet " + i);
            assertArrayEquals(Arrays.copyOf(e.data, e.length), Arrays.copyOf(a.data, a.length), "packet " + i);
        }
    }

    /** Builds one pcapng section in either byte order. */
    static final class Pcapng {
        private final ByteOrder order;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pcapng(ByteOrder order) {
            this.order = order;
            ByteBuffer body = buffer(16);
            body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            block(0x0A0D0D0A, body.array());
        }

        private ByteBuffer buffer(int n) {
            return ByteBuffer.allocate(n).order(order);
        }

        /** tsresol -1: no option; offsetSeconds 0: no if_tsoffset. */
        Pcapng interfaceBlock(int linkType, int tsresol, long offsetSeconds) {
            ByteBuffer body = buffer(8 + 8 + 12 + 4);
            body.putShort((short) linkType).putShort((short) 0).putInt(0);
            if (tsresol >= 0) {
                body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            }
            if (offsetSeconds != 0) {
                body.putShort((short) 14).putShort((short) 8).putLong(offsetSeconds);
            }
            body.putInt(0); // opt_endofopt
            return block(1, Arrays.copyOf(body.array(), body.position()));
        }

        Pcapng packet(int iface, long units, byte[] data) {
            ByteBuffer body = buffer(20 + ((data.length + 3) & ~3));
            body.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt(data.length).put(data);
            return block(6, body.array());
        }

        Pcapng simplePacket(byte[] data) {
            ByteBuffer body = buffer(4 + ((data.length + 3) & ~3));
            body.putInt(data.length).put(data);
            return block(3, body.array());
        }

        Pcapng block(int type, byte[] body) {
            ByteBuffer b = buffer(12 + body.length);
            b.putInt(type).putInt(12 + body.length).put(body).putInt(12 + body.length);
            out.writeBytes(b.array());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
