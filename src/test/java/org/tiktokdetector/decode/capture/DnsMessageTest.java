package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;
import org.tiktokdetector.records.DnsAnswer;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsMessageTest {
    /** Header of a response with one question and {@code answers} answers. */
    private static String header(int answers) {
        return "1234 8180 0001 " + String.format("%04x", answers) + " 0000 0000";
    }

    /** The UDP payload of packet {@code index} of the sample DNS capture (Ethernet, IPv4, UDP). */
    private static byte[] samplePayload(int index) throws IOException {
        Packet p = TestCaptures.packets(TestCaptures.sample("dns-udp-tcp.pcap")).get(index);
        return Arrays.copyOfRange(p.data, 14 + 20 + 8, p.length);
    }

    @Test
    void aRealQueryAndItsResponseWithACnameChain() throws Exception {
        byte[] query = samplePayload(4);
        DnsMessage q = DnsMessage.parse(query, 0, query.length);
        assertFalse(q.response);
        assertEquals(List.of(new DnsMessage.Question("v16-webapp.tiktokcdn.com", "A")), q.questions);
        assertNull(q.answers);

        byte[] response = samplePayload(5);
        DnsMessage r = DnsMessage.parse(response, 0, response.length);
        assertTrue(r.response);
        assertEquals(q.id, r.id);
        assertEquals(List.of(new DnsAnswer("CNAME", "v16-webapp.tiktokcdn.com.edgesuite.net", 60),
                new DnsAnswer("A", "23.55.1.7", 60)), r.answers);
    }

    @Test
    void aaaaAnswersAreWrittenInRfc5952Form() throws Exception {
        byte[] response = samplePayload(3);
        DnsMessage r = DnsMessage.parse(response, 0, response.length);
        assertEquals(List.of(new DnsAnswer("AAAA", "2001:db8::23", 60)), r.answers);
    }

    @Test
    void aPointerToItselfIsRefused() {
        byte[] m = TestCaptures.hex(header(0) + "c00c 0001 0001");
        MalformedException e = assertThrows(MalformedException.class, () -> DnsMessage.parse(m, 0, m.length));
        assertEquals("offset 12: expected a compression pointer before offset 12, got 12", e.getMessage());
    }

    @Test
    void aLoopThroughALabelIsRefused() {
        // offset 12: label "a", then a pointer back to offset 12: walking it would never end
        byte[] m = TestCaptures.hex(header(0) + "0161 c00c 0001 0001");
        MalformedException e = assertThrows(MalformedException.class, () -> DnsMessage.parse(m, 0, m.length));
        assertTrue(e.getMessage().startsWith("offset 14: expected a compression pointer before offset 12"), e.getMessage());
    }

    @Test
    void aForwardPointerIsRefused() {
        byte[] m = TestCaptures.hex(header(0) + "c011 0001 0001 0161 00");
        assertThrows(MalformedException.class, () -> DnsMessage.parse(m, 0, m.length));
    }

    @Test
    void backwardPointerChainsAreFollowed() throws Exception {
        // question "www.example.com"; answer owner "b" -> "www.example.com", CNAME data "a" -> ptr to "b"
        byte[] m = TestCaptures.hex(header(1)
                + "03777777 076578616d706c65 03636f6d 00 0001 0001"   // 12: www.example.com
                + "c00c 0005 0001 0000003c 0004 0161 c00c");          // CNAME a.www.example.com
        DnsMessage r = DnsMessage.parse(m, 0, m.length);
        assertEquals("www.example.com", r.questions.get(0).name());
        assertEquals(List.of(new DnsAnswer("CNAME", "a.www.example.com", 60)), r.answers);
    }

    @Test
    void aNameLongerThan255BytesIsRefused() {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            labels.append("3f").append("61".repeat(63));
        }
        byte[] m = TestCaptures.hex(header(0) + labels + "00 0001 0001");
        MalformedException e = assertThrows(MalformedException.class, () -> DnsMessage.parse(m, 0, m.length));
        assertTrue(e.getMessage().contains("a name of at most 255 bytes"), e.getMessage());
    }

    @Test
    void bytesOutsidePrintableAsciiAreEscaped() throws Exception {
        byte[] m = TestCaptures.hex(header(0) + "03 612e62 02 6120 00 0001 0001");
        assertEquals("a\\046b.a\\032", DnsMessage.parse(m, 0, m.length).questions.get(0).name());
    }

    @Test
    void anAnswerSectionThatBreaksOffKeepsTheQuestionAndEarlierAnswers() throws Exception {
        byte[] m = TestCaptures.hex(header(2) + "0161 00 0001 0001" + "c00c 0001 0001 0000003c 0004 01020304" + "c00c 0001");
        DnsMessage r = DnsMessage.parse(m, 0, m.length);
        assertEquals("a", r.questions.get(0).name());
        assertEquals(List.of(new DnsAnswer("A", "1.2.3.4", 60)), r.answers);
    }

    @Test
    void everyTruncationAndRandomCorruptionFailsOnlyWithMalformedException() throws IOException {
        byte[] response = samplePayload(5);
        for (int len = 0; len <= response.length; len++) {
            parseOrMalformed(Arrays.copyOf(response, len));
        }
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] m = response.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            parseOrMalformed(m);
        }
    }

    private static void parseOrMalformed(byte[] m) {
        try {
            DnsMessage.parse(m, 0, m.length);
        } catch (MalformedException expected) {
            assertTrue(expected.getMessage().startsWith("offset "), expected.getMessage());
        }
    }

    @Test
    void typeNamesFollowRfc3597ForUnknownTypes() {
        assertEquals("HTTPS", DnsMessage.typeName(65));
        assertEquals("TYPE4242", DnsMessage.typeName(4242));
    }
}
