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

    /** @return the normal form, or null when the text is not a host name (empty label, bad character, too long) */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        int end = raw.length();
        if (end > 0 && raw.charAt(end - 1) == '.') {
            end--;
        }
        boolean ascii = true;
        boolean lower = true;
        for (int i = 0; i < end; i++) {
            char c = raw.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            if (c >= 'A' && c <= 'Z') {
                lower = false;
            }
        }
        String name;
        if (ascii) {
            name = end == raw.length() ? raw : raw.substring(0, end);
            if (!lower) {
                name = name.toLowerCase(java.util.Locale.ROOT);
            }
        } else {
            try {
                name = IDN.toASCII(raw.substring(0, end), IDN.ALLOW_UNASSIGNED).toLowerCase(java.util.Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return isValid(name) ? name : null;
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
