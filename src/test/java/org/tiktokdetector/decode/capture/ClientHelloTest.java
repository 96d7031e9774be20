package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.FlowRecord;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHelloTest {
    /** The handshake message of openssl s_client's hello in tls-openssl.pcap (one TLS record, one segment). */
    static byte[] opensslHello() throws IOException {
        for (Packet p : TestCaptures.packets(TestCaptures.sample("tls-openssl.pcap"))) {
            int tls = 14 + 20 + ((p.data[14 + 20 + 12] >> 4) & 0xf) * 4;
            if (p.length > tls + 5 && p.data[tls] == 0x16) {
                return Arrays.copyOfRange(p.data, tls + 5, p.length);
            }
        }
        throw new AssertionError("no ClientHello in tls-openssl.pcap");
    }

    @Test
    void sniAndAlpnOfARealHello() throws Exception {
        byte[] hello = opensslHello();
        ClientHello h = ClientHello.parse(hello, 0, hello.length);
        assertEquals("www.tiktok.com", h.serverName);
        assertEquals(List.of("h2", "http/1.1"), h.alpn);
        assertFalse(h.ech);
    }

    @Test
    void anEncryptedClientHelloShowsOnlyTheOuterName() throws IOException {
        List<FlowRecord> records = TestCaptures.records(TestCaptures.zeek("tls13-ech.pcap"));
        assertEquals(2, records.size());
        for (FlowRecord r : records) {
            assertEquals("cloudflare-ech.com", r.name);
            assertTrue(r.ech);
        }
    }

    @Test
    void aHandshakeMessageOtherThanAClientHelloIsRefused() throws IOException {
        byte[] hello = opensslHello();
        hello[0] = 2; // ServerHello
        MalformedException e = assertThrows(MalformedException.class, () -> ClientHello.parse(hello, 0, hello.length));
        assertEquals("offset 0: expected handshake type 1 (ClientHello)", e.getMessage());
    }

    @Test
    void everyTruncationAndRandomCorruptionFailsOnlyWithMalformedException() throws IOException {
        byte[] hello = opensslHello();
        for (int len = 0; len < hello.length; len++) {
            int n = len;
            assertThrows(MalformedException.class, () -> ClientHello.parse(hello, 0, n), "truncated to " + len);
        }
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] h = hello.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                h[random.nextInt(h.length)] = (byte) random.nextInt(256);
            }
            try {
                ClientHello.parse(h, 0, h.length);
            } catch (MalformedException expected) {
                assertTrue(expected.getMessage().startsWith("offset "), expected.getMessage());
            }
        }
    }
}
