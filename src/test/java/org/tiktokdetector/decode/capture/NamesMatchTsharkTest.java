package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The names we extract equal the DNS query names, TLS/QUIC SNI and HTTP Host values tshark finds
 * (stored once per capture by src/test/resources/captures/make-tshark-names.sh), as sorted lists with
 * repeats: a query and its response each count once, as they do for tshark.
 */
class NamesMatchTsharkTest {
    private static final Path RESOURCES = TestCaptures.RESOURCES;

    private static List<String> tshark(Path list) throws IOException {
        return Files.readAllLines(list).stream().filter(l -> !l.startsWith("#")).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns-udp-tcp.pcap", "tls-openssl.pcap", "tls-large-hello.pcap", "http-curl-sll2.pcap",
            "quic-ngtcp2.pcap", "all.pcapng"})
    void sampleCaptures(String name) throws IOException {
        assertEquals(tshark(RESOURCES.resolve("sample/" + name + ".tshark-names.txt")),
                TestCaptures.sortedNames(TestCaptures.records(TestCaptures.sample(name))));
    }

    /** Zeek's DNS and TLS traces, and every one of its QUIC traces (quic/ and quic/interop/ of the shared folder). */
    @ParameterizedTest
    @ValueSource(strings = {"dns-binds.pcap", "long-connection.pcap", "dns-invalid-names.pcap",
            "max-compression-depth.pcap", "dns-corrupt.pcap", "chrome-1250-tls-x25519-kyber.pcap", "tls13-ech.pcap",
            "383379789-decrypt-crash.pcap", "chromium-115.0.5790.110-api-cirrus-com.pcap",
            "chromium-115.0.5790.110-google-de-fragmented.pcap", "chromium-dpd-custom-port-4433.pcap",
            "curl-8.1.2-dev-http3-www-google-de.pcap", "firefox-102.13.0esr-blog-cloudflare-com.pcap",
            "merlinc2_Zeek_example.pcapng", "quic-39264-rand.pcap", "quic-decrypt-fail-google-de-51833.pcap",
            "quic-multiple-initial-fragmented-crypto-only-initial.pcap", "quic-multiple-initial-fragmented-crypto.pcap",
            "quic_win11_firefox_google.pcap", "quicdoq.pcap", "quicv2-echo-443.pcap",
            "quicv2-echo-dpd-custom-port-4433.pcap", "quicv2-http3-443.pcap", "vector-max-size-crash.pcap",
            "quic-go-handshake-ppp.pcap", "quic-go-retry-ppp.pcap", "quic-go-zerortt-ppp.pcap"})
    void zeekTraces(String name) throws IOException {
        assertEquals(tshark(RESOURCES.resolve("zeek/" + name + ".tshark-names.txt")),
                TestCaptures.sortedNames(TestCaptures.records(TestCaptures.zeek(name))));
    }

    /**
     * One handshake of each QUIC version we open, and a chaos-protected v1 hello, built by
     * {@link QuicVersionCaptures}: tshark finds the same names with Wireshark's own salts and parsers.
     */
    @Test
    void everyQuicVersion() throws IOException {
        assertArrayEquals(QuicVersionCaptures.capture(), Files.readAllBytes(QuicVersionCaptures.FILE),
                "the committed capture is what QuicVersionCaptures writes");
        List<String> names = tshark(RESOURCES.resolve("generated/quic-versions.pcap.tshark-names.txt"));
        assertEquals(24, names.size(), "drafts 22 to 34, three mvfst, v1, v2, five Google versions and the chaos hello");
        assertEquals(names, TestCaptures.sortedNames(TestCaptures.records(QuicVersionCaptures.FILE)));
    }

    /** tshark decodes port 80 as HTTP and never sees the TLS hello sent there; we tell TLS by its bytes. */
    @Test
    void tlsOnPort80IsFoundWhereTsharkSeesNone() throws IOException {
        assertEquals(List.of(), tshark(RESOURCES.resolve("zeek/ssl-to-http-server.pcap.tshark-names.txt")));
        assertEquals(List.of("vk.com"), TestCaptures.sortedNames(TestCaptures.records(TestCaptures.zeek("ssl-to-http-server.pcap"))));
    }

    /**
     * After a Retry the client sends its ClientHello again, protected with keys from the new DCID. Both are on
     * the wire, but they are one handshake (same 5-tuple, same client SCID, the same hello, as RFC 9000
     * section 17.2.5.3 requires), and issue 11 asks for one record per handshake: we report the first only,
     * counting the second as repeated. tshark 4.0 reports the first only too.
     */
    @Test
    void oneClientHelloAroundAQuicRetry() throws IOException {
        assertEquals(List.of("server4:443"), tshark(RESOURCES.resolve("zeek/quic-go-retry-ppp.pcap.tshark-names.txt")));
        CaptureStats[] stats = new CaptureStats[1];
        byte[] capture = Files.readAllBytes(TestCaptures.zeek("quic-go-retry-ppp.pcap"));
        assertEquals(List.of("server4:443"), TestCaptures.sortedNames(TestCaptures.records(capture, "retry", stats)));
        assertEquals(1L, stats[0].skipReasons().get(QuicInitials.REPEATED_HELLO));
    }
}
