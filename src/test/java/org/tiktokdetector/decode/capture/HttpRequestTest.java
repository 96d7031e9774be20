package org.tiktokdetector.decode.capture;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theHostHeaderInAnyCaseAsOnTheWire() {
        byte[] r = ascii("GET / HTTP/1.1\r\nUser-Agent: x\r\nhOsT:  www.TikTok.com:8080 \r\n\r\n");
        int end = HttpRequest.headersEnd(r, 0, r.length);
        assertEquals(r.length, end);
        assertEquals("www.TikTok.com:8080", HttpRequest.header(r, 0, end, HttpRequest.Header.HOST));
    }

    @Test
    void theUserAgentIsReadLikeTheHost() {
        byte[] r = ascii("GET / HTTP/1.1\r\nHost: a\r\nuser-agent:\tcom.zhiliaoapp.musically/2023508030 (Linux; U; Android 13)\r\n\r\n");
        assertEquals("com.zhiliaoapp.musically/2023508030 (Linux; U; Android 13)", HttpRequest.header(r, 0, r.length, HttpRequest.Header.USER_AGENT));
        assertNull(HttpRequest.header(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0, 27, HttpRequest.Header.USER_AGENT));
    }

    @Test
    void aRequestWithoutHostHasNone() {
        byte[] r = ascii("GET / HTTP/1.0\r\nAccept: */*\r\n\r\n");
        assertNull(HttpRequest.header(r, 0, r.length, HttpRequest.Header.HOST));
    }

    @Test
    void theRequestLineIsNotAHeader() {
        byte[] r = ascii("GET host:evil HTTP/1.0\r\n\r\n");
        assertNull(HttpRequest.header(r, 0, r.length, HttpRequest.Header.HOST));
    }

    @Test
    void onlyStandardMethodsFollowedByASpaceStartARequest() {
        assertTrue(HttpRequest.startsWithMethod(ascii("POST /x"), 0, 7));
        assertFalse(HttpRequest.startsWithMethod(ascii("GETX /"), 0, 6));
        assertFalse(HttpRequest.startsWithMethod(ascii("\u0016\u0003\u0001"), 0, 3));
    }

    @Test
    void headersThatHaveNotEndedYetHaveNoEnd() {
        byte[] r = ascii("GET / HTTP/1.1\r\nHost: a\r\n");
        assertEquals(-1, HttpRequest.headersEnd(r, 0, r.length));
    }
}
