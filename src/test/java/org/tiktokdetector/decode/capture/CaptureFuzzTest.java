package org.tiktokdetector.decode.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tiktokdetector.records.FlowRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes into every packet decoder: a capture file whole, and a DNS message, a TLS ClientHello, a QUIC
 * datagram and an HTTP request each as the payload of one packet. The only failures allowed are the declared
 * ones (MalformedException from a parser; the extractor counts and skips instead). Under `mvn test` each runs its
 * corpus (src/test/resources/.../CaptureFuzzTestInputs/METHOD); with JAZZER_FUZZ=1 it fuzzes (README "Working on
 * the code"), and any input that fails joins the corpus.
 */
class CaptureFuzzTest {
    @FuzzTest(maxDuration = "4h")
    void capture(byte[] file) throws IOException {
        FlowExtractor.extract(new ByteArrayInputStream(file), "fuzz", CaptureFuzzTest::wellFormed);
    }

    @FuzzTest(maxDuration = "4h")
    void dnsMessage(byte[] message) {
        try {
            DnsMessage m = DnsMessage.parse(message, 0, message.length);
            m.questions.forEach(q -> assertNotNull(q.name()));
        } catch (MalformedException expected) {
            // declared: the decoder says why
        }
    }

    @FuzzTest(maxDuration = "4h")
    void clientHello(byte[] message) {
        try {
            ClientHello h = ClientHello.parse(message, 0, message.length);
            if (h.alpn != null) { // null when the extension is absent
                h.alpn.forEach(p -> assertNotNull(p));
            }
        } catch (MalformedException expected) {
            // declared
        }
    }

    /** Two datagrams to UDP 443 from one client: QUIC Initials that may continue each other. */
    @FuzzTest(maxDuration = "4h")
    void quicDatagrams(byte[] payload) throws IOException {
        int half = payload.length / 2;
        byte[] capture = pcap(udp(443, payload, 0, half), udp(443, payload, half, payload.length - half));
        FlowExtractor.extract(new ByteArrayInputStream(capture), "fuzz", CaptureFuzzTest::wellFormed);
    }

    /** The payload as DNS over UDP, and as the first segment of a TCP stream to port 80 (HTTP, or TLS by its bytes). */
    @FuzzTest(maxDuration = "4h")
    void udpAndTcpPayloads(byte[] payload) throws IOException {
        byte[] capture = pcap(udp(53, payload, 0, payload.length), tcp(80, payload));
        FlowExtractor.extract(new ByteArrayInputStream(capture), "fuzz", CaptureFuzzTest::wellFormed);
    }

    private static void wellFormed(FlowRecord r) {
        assertNotNull(r.name);
        assertNotNull(r.clientIp);
        assertTrue(r.timestamp >= 0);
    }

    // ------------------------------------------------------------------------------------------ packets

    private static byte[] udp(int port, byte[] payload, int off, int len) {
        ByteBuffer b = ByteBuffer.allocate(8 + len);
        b.putShort((short) 50000).putShort((short) port).putShort((short) (8 + len)).putShort((short) 0).put(payload, off, len);
        return ipv4(17, b.array());
    }

    private static byte[] tcp(int port, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) 50001).putShort((short) port).putInt(1000).putInt(0).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return ipv4(6, b.array());
    }

    private static byte[] ipv4(int protocol, byte[] transport) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + transport.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) Math.min(0xffff, 20 + transport.length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(new byte[] {10, 0, 0, 5}).put(new byte[] {10, 0, 0, 53});
        return b.put(transport).array();
    }

    /** A pcap file (microseconds, Ethernet) holding these frames, one second apart. */
    private static byte[] pcap(byte[]... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.write(header.array());
        int second = 1_780_000_000;
        for (byte[] f : frames) {
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(second++).putInt(0).putInt(f.length).putInt(f.length);
            out.write(h.array());
            out.write(f);
        }
        return out.toByteArray();
    }
}
