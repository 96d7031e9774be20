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
        return scanAscii(name, name.length()) == NORMAL ? name : null; // IDN's output, by the same rules
    }

    /** Kinds of ASCII characters for {@link #scanAscii}: a label separator, a hyphen, upper case, not allowed at all. */
    private static final int DOT = 1;
    private static final int HYPHEN = 2;
    private static final int UPPER = 4;
    private static final int BAD = 8;
    /**
     * Per ASCII character, its kind, and above bit 8 the kinds that may not follow it: after a dot (and at the
     * start of the name) a dot or a hyphen, as the label would be empty or start with '-'; after a hyphen, a dot.
     */
    private static final int[] KIND = new int[0x80];

    static {
        for (int c = 0; c < 0x80; c++) {
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            int kind = c == '.' ? DOT : c == '-' ? HYPHEN : c >= 'A' && c <= 'Z' ? UPPER : allowed ? 0 : BAD;
            int forbidden = c == '.' ? DOT | HYPHEN : c == '-' ? DOT : 0;
            KIND[c] = kind | forbidden << 8;
        }
    }

    /**
     * Checks {@code raw[0..end)} against the rules (letters, digits, '-' not at a label's ends, and '_' seen in
     * real DNS; labels of 1..63, at most 253 in all) and finds upper case in the same pass, as matching runs it
     * on every record. Any character outside ASCII means the IDN path decides, even after a fault was seen,
     * so only pure-ASCII text is judged here.
     *
     * <p>No branch depends on where the dots are (that branch mispredicted about once per label): each
     * character's entry in {@link #KIND} says what it is and what may not come next. A label can only be too
     * long when the whole name is.
     */
    private static int scanAscii(String raw, int end) {
        int kinds = 0;
        int faults = 0;
        int forbidden = DOT | HYPHEN; // the start of the name is the start of a label
        for (int i = 0; i < end; i++) {
            char c = raw.charAt(i);
            if (c >= 0x80) {
                return NON_ASCII;
            }
            int k = KIND[c];
            kinds |= k;
            faults |= forbidden & k;
            forbidden = k >>> 8;
        }
        faults |= forbidden & DOT; // the end of the name ends a label as a dot does
        boolean valid = end > 0 && end <= MAX_LENGTH && (kinds & BAD) == 0 && faults == 0
                && (end <= MAX_LABEL || labelsFit(raw, end));
        return !valid ? INVALID : (kinds & UPPER) != 0 ? UPPER_CASE : NORMAL;
    }

    /** @return whether every label of {@code raw[0..end)} is at most 63 characters long */
    private static boolean labelsFit(String raw, int end) {
        for (int start = 0; start < end; ) {
            int dot = raw.indexOf('.', start);
            int stop = dot < 0 || dot > end ? end : dot;
            if (stop - start > MAX_LABEL) {
                return false;
            }
            start = stop + 1;
        }
        return true;
    }
}
