package org.tiktokdetector.match;

import java.net.IDN;

/**
 * The one normal form names are compared in: lower-case ASCII (punycode for internationalised
 * names), no trailing dot. Case, a trailing dot and Unicode-vs-punycode never change a verdict.
 */
public final class DomainName {
    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private DomainName() {}

    /** Outcomes of {@link #scanAscii}. */
    private static final int NON_ASCII = 0;
    private static final int INVALID = 1;
    private static final int NORMAL = 2;
    private static final int UPPER_CASE = 3;

    /** @return the normal form, or null when the text is not a host name (empty label, bad character, too long) */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        int end = raw.length();
        if (end > 0 && raw.charAt(end - 1) == '.') {
            end--;
        }
        int scan = scanAscii(raw, end);
        if (scan == INVALID) {
            return null;
        }
        if (scan != NON_ASCII) {
            // The common case, decided in one pass: no copy unless there is a trailing dot or upper case.
            String name = end == raw.length() ? raw : raw.substring(0, end);
            return scan == UPPER_CASE ? name.toLowerCase(java.util.Locale.ROOT) : name;
        }
        String name;
        try {
            name = IDN.toASCII(raw.substring(0, end), IDN.ALLOW_UNASSIGNED).toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return isValid(name) ? name : null;
    }

    /**
     * Checks {@code raw[0..end)} by the rules of {@link #isValid} and lower-case in the same pass, as matching
     * runs it on every record. Any character outside ASCII means the IDN path decides, even after a fault was
     * seen, so only pure-ASCII text is judged here.
     */
    private static int scanAscii(String raw, int end) {
        boolean valid = end > 0 && end <= MAX_LENGTH;
        boolean upper = false;
        int labelStart = 0;
        for (int i = 0; i <= end; i++) {
            char c = i == end ? '.' : raw.charAt(i);
            if (c >= 0x80) {
                return NON_ASCII;
            }
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL || raw.charAt(labelStart) == '-' || raw.charAt(i - 1) == '-') {
                    valid = false;
                }
                labelStart = i + 1;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                valid = false;
            }
        }
        return !valid ? INVALID : upper ? UPPER_CASE : NORMAL;
    }

    /** Letters, digits, '-' (not at a label's ends) and '_' (seen in real DNS), labels of 1..63, at most 253 in all. */
    private static boolean isValid(String name) {
        int n = name.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : name.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > MAX_LABEL || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
