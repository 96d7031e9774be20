package org.tiktokdetector.decode.capture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our framing against libpcap's (through pcap4j): same packets, link types, times and bytes. */
class Pcap4jCaptureTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "sample-data/captures/dns-udp-tcp.pcap",
            "sample-data/captures/http-curl-sll2.pcap",
            "src/test/resources/captures/formats/dns-udp-tcp-nsec.pcap",
            "src/test/resources/captures/formats/dns-udp-tcp-bigendian.pcap",
            "src/test/resources/captures/formats/tls-large-hello.pcapng",
            "src/test/resources/captures/zeek/quic-go-retry-ppp.pcap",
            "src/test/resources/captures/zeek/tls13-ech.pcap"})
    void readsWhatLibpcapReads(String file) throws IOException {
        List<Packet> ours = TestCaptures.packets(Path.of(file));
        List<Packet> theirs = new ArrayList<>();
        try (Pcap4jCapture capture = Pcap4jCapture.openOffline(Path.of(file))) {
            Packet p = new Packet();
            while (capture.next(p)) {
                theirs.add(TestCaptures.copy(p));
            }
        }
        assertEquals(theirs.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(theirs.get(i).linkType, ours.get(i).linkType, "packet " + i);
            assertEquals(theirs.get(i).timestampMicros, ours.get(i).timestampMicros, "packet " + i);
            assertEquals(theirs.get(i).originalLength, ours.get(i).originalLength, "packet " + i);
            assertArrayEquals(Arrays.copyOf(theirs.get(i).data, theirs.get(i).length),
                    Arrays.copyOf(ours.get(i).data, ours.get(i).length), "packet " + i);
        }
    }
}
