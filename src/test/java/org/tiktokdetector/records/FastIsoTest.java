package org.tiktokdetector.records;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Timestamps.fromIso with its FastIso path must agree with the formatter on every input: same millis, same rejections. */
class FastIsoTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T10:12:03.518274+0100", "2026-11-24T09:00:12.204617Z", "2026-11-24T09:00:12Z",
            "2026-11-24T09:00:12.2-05:30", "2024-02-29T23:59:59.999999999+00:00", "1969-12-31T23:59:59.5Z",
            "2000-03-01T00:00:00.000+1800", "1900-01-01T00:00:00-0000", "9999-12-31T23:59:59.9Z"})
    void sameMillisAsFromIso(String s) {
        assertEquals(Timestamps.withFormatter(s), Timestamps.fromIso(s));
        assertEquals(Timestamps.withFormatter(s), FastIso.tryParse(s), "handled on the fast path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T09:00Z", "2026-02-30T09:00:00Z", "2026-11-24T09:00:00+01", "2026-11-24T24:00:00Z",
            "2026-11-24T09:00:00.Z"})
    void unusualFormsFallBackToFromIso(String s) {
        assertEquals(Long.MIN_VALUE, FastIso.tryParse(s));
        String expected;
        try {
            expected = String.valueOf(Timestamps.withFormatter(s));
        } catch (IllegalArgumentException e) {
            expected = e.getMessage();
        }
        String actual;
        try {
            actual = String.valueOf(Timestamps.fromIso(s));
        } catch (IllegalArgumentException e) {
            actual = e.getMessage();
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2026-11-24 09:00:00Z", "2026-11-24T09:00:00",
            "2026-13-01T00:00:00Z", "2026-11-24T09:00:00.1234567891Z", "2026-11-24T09:00:00+1900",
            "2026-11-24T09:00:00Zjunk", "2026-11-24T09:00:60Z", "2026-11-24T09:00:00+01:60", "+2026-11-24T09:00:00Z"})
    void rejectedLikeFromIso(String s) {
        IllegalArgumentException expected = assertThrows(IllegalArgumentException.class, () -> Timestamps.withFormatter(s));
        IllegalArgumentException actual = assertThrows(IllegalArgumentException.class, () -> Timestamps.fromIso(s));
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    @Test
    void randomInstantsAndOffsets() {
        Random rnd = new Random(42);
        DateTimeFormatter[] forms = {
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxx"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")};
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextLong(-2_000_000_000L, 4_000_000_000L), rnd.nextInt(1_000_000_000));
            ZoneOffset off = ZoneOffset.ofTotalSeconds(rnd.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String s = forms[rnd.nextInt(forms.length)].format(t.atOffset(off));
            assertEquals(Timestamps.withFormatter(s), FastIso.tryParse(s), s);
        }
    }

    @Test
    void formatWritesWhatToIsoWrites() {
        Random rnd = new Random(43);
        long[] edges = {0, 1, 999, 1000, 60_000, 86_399_999, 86_400_000, 951_782_400_000L, 4_102_444_800_000L,
                253_402_300_799_999L};
        byte[] b = new byte[30];
        for (int i = 0; i < 50_000; i++) {
            long millis = i < edges.length ? edges[i] : rnd.nextLong(253_402_300_800_000L);
            if (i % 2 == 1) {
                millis -= millis % 1000; // whole seconds: written without a fraction
            }
            int end = FastIso.format(millis, b, 3);
            assertEquals(Timestamps.toIso(millis), new String(b, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (long outside : new long[] {-1, Long.MIN_VALUE, 253_402_300_800_000L, Long.MAX_VALUE}) {
            assertEquals(-1, FastIso.format(outside, b, 0), "left to the formatter: " + outside);
        }
    }
}
