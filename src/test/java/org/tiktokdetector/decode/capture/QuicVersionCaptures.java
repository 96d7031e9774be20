package org.tiktokdetector.decode.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes src/test/resources/captures/generated/quic-versions.pcap. The shared folder of real captures has no
 * QUIC draft, mvfst or Google QUIC, so this capture is built from {@link QuicTestPackets} (protected by that
 * class's own HKDF and AES code, the one the known-answer tests check): a client's first datagram for each
 * version number we open, from its own port to UDP 443, with a server name that says the version; and a
 * v1 hello cut into seven CRYPTO frames shuffled over three Initials between PING, PADDING and ACK frames, as
 * Chrome's chaos protection sends it. tshark opens them with Wireshark's own salt table and frame parsers
 * (its names: quic-versions.pcap.tshark-names.txt, by make-tshark-names.sh), so NamesMatchTsharkTest checks
 * us against an independent reader, after checking that the file is what this generator writes.
 *
 * <p>Write it again: {@code mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java
 * -Dexec.args="-cp %classpath org.tiktokdetector.decode.capture.QuicVersionCaptures"}, then run
 * make-tshark-names.sh.
 */
final class QuicVersionCaptures {
    static final Path FILE = TestCaptures.RESOURCES.resolve("generated/quic-versions.pcap");

    private QuicVersionCaptures() {}

    public static void main(String[] args) throws IOException {
        Files.createDirectories(FILE.getParent());
        Files.write(FILE, capture());
    }

    static byte[] capture() {
        List<byte[]> datagrams = new ArrayList<>();
        List<Integer> versions = new ArrayList<>(QuicTestPackets.PROTECTED_VERSIONS);
        versions.addAll(List.of(QuicTestPackets.Q046, QuicTestPackets.Q043));
        for (int version : versions) {
            byte[] hello = QuicInitialsTest.helloOf(version, name(version));
            byte[] dcid = QuicTestPackets.DCID.clone();
            dcid[0] = (byte) datagrams.size(); // a connection id of its own: tshark tells connections apart by it
            datagrams.add(QuicInitialsTest.firstDatagram(version, dcid, hello, 0, hello.length));
        }
        byte[] chaos = QuicTestPackets.clientHello("chaos.example", List.of("h3"), 7, 1800);
        datagrams.addAll(QuicTestPackets.chaosInitials(QuicTestPackets.V1, chaos, new Random(3)));
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        pcap.writeBytes(TestCaptures.hex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 65000000")); // raw IP
        for (int i = 0; i < datagrams.size(); i++) {
            int port = 40000 + Math.min(i, versions.size()); // the chaos datagrams share one port
            Packet p = TestCaptures.ipv4(0, "10.0.0.1", "10.0.0.2", port, 443, false, 0, 0, datagrams.get(i));
            pcap.writeBytes(le32(1_700_000_000 + i));
            pcap.writeBytes(le32(0));
            pcap.writeBytes(le32(p.length));
            pcap.writeBytes(le32(p.length));
            pcap.write(p.data, 0, p.length);
        }
        return pcap.toByteArray();
    }

    /** The server name that says the version: draft-29.example, mvfst-faceb002.example, q050.example, ... */
    private static String name(int version) {
        if (version >>> 8 == 0xff0000) {
            return "draft-" + (version & 0xff) + ".example";
        }
        if (version >>> 12 == 0xfaceb) {
            return "mvfst-" + Integer.toHexString(version) + ".example";
        }
        return switch (version) {
            case QuicTestPackets.V1 -> "v1.example";
            case QuicTestPackets.V2 -> "v2.example";
            default -> new String(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8),
                    (byte) version}).toLowerCase() + ".example";
        };
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
