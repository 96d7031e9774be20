package org.tiktokdetector.records;

/**
 * Hot-path parser for the timestamp forms sensors actually write ("2026-11-24T10:12:03.518274+0100",
 * "2026-11-24T09:00:12.204617Z", "...+01:00"): about 20x cheaper than a DateTimeFormatter. {@link Timestamps#fromIso}
 * tries it first and hands anything it does not recognise to the formatter, so results (milliseconds, fraction
 * truncated) and error messages are the formatter's. {@link #format} is the same for writing: the bytes of
 * {@link Timestamps#toIso} for the years 1970 to 9999, without the formatter's allocations.
 */
final class FastIso {
    private FastIso() {}

    /**
     * Writes {@code epochMillis} as {@link Timestamps#toIso} would ("2026-11-25T09:14:03.120Z", no fraction
     * when the milliseconds are zero) into {@code b} at {@code at}, which must have room for 24 bytes.
     *
     * @return the position after the text, or -1 (nothing written) for a time before 1970 or after 9999
     */
    static int format(long epochMillis, byte[] b, int at) {
        if (!Timestamps.inRange(epochMillis)) { // ISO_INSTANT writes other years with a sign or more digits
            return -1;
        }
        long days = epochMillis / 86_400_000L;
        int msOfDay = (int) (epochMillis - days * 86_400_000L);
        // H. Hinnant's civil_from_days, for days >= 0
        long z = days + 719_468;
        long era = z / 146_097;
        int doe = (int) (z - era * 146_097);
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
        at = put(b, at, year, 4);
        b[at++] = '-';
        at = put(b, at, month, 2);
        b[at++] = '-';
        at = put(b, at, day, 2);
        b[at++] = 'T';
        at = put(b, at, msOfDay / 3_600_000, 2);
        b[at++] = ':';
        at = put(b, at, msOfDay / 60_000 % 60, 2);
        b[at++] = ':';
        at = put(b, at, msOfDay / 1000 % 60, 2);
        int millis = msOfDay % 1000;
        if (millis != 0) {
            b[at++] = '.';
            at = put(b, at, millis, 3);
        }
        b[at++] = 'Z';
        return at;
    }

    /** {@code v} as exactly {@code count} decimal digits, zero-padded. */
    private static int put(byte[] b, int at, int v, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + count;
    }

    /** Epoch milliseconds, or Long.MIN_VALUE when the text is not in the common form. */
    static long tryParse(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return Long.MIN_VALUE;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        if (i >= n) {
            return Long.MIN_VALUE;
        }
        int offsetSeconds;
        char sign = s.charAt(i);
        if (sign == 'Z') {
            if (i + 1 != n) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = 0;
        } else if (sign == '+' || sign == '-') {
            int oh;
            int om;
            if (n - i == 6 && s.charAt(i + 3) == ':') {
                oh = digits(s, i + 1, 2);
                om = digits(s, i + 4, 2);
            } else if (n - i == 5) {
                oh = digits(s, i + 1, 2);
                om = digits(s, i + 3, 2);
            } else {
                return Long.MIN_VALUE;
            }
            if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        long epochSeconds = daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second
                - offsetSeconds;
        return epochSeconds * 1000L + millis;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
