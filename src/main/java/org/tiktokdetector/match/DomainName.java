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
    static final int NON_ASCII = 0;
    static final int INVALID = 1;
    static final int NORMAL = 2;
    static final int UPPER_CASE = 3;

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

    /** Kinds of ASCII characters: a label separator, a hyphen, upper case, not allowed at all. */
    private static final int DOT = 1;
    private static final int HYPHEN = 2;
    private static final int UPPER = 4;
    private static final int BAD = 8;
    /** Where {@link #check} puts the faults it finds, above the kinds. */
    private static final int FAULT_SHIFT = 4;
    /**
     * Per ASCII character, its kind, and above bit 8 the kinds that may not stand next to it: beside a dot a dot
     * or a hyphen, as the label would be empty or start or end with '-'; beside a hyphen, a dot. The relation is
     * symmetric, so a name can be checked in either direction.
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

    /** The kind of both ends of a name: they end a label as a dot does. */
    static final int EDGE = KIND['.'];

    /** @return the kind of an ASCII character (below 0x80) */
    static int kind(char c) {
        return KIND[c];
    }

    /**
     * What a scan ORs together for each character, given its kind and its neighbour's (the one scanned before
     * it, or {@link #EDGE}): the kinds seen and the faults of the pair. No branch depends on where the dots are
     * (that branch mispredicted about once per label), and the only value carried from character to character
     * is an OR.
     */
    static int check(int neighbour, int kind) {
        return kind | (neighbour >>> 8 & kind) << FAULT_SHIFT;
    }

    /** @return whether the checks so far saw upper case */
    static boolean upper(int checks) {
        return (checks & UPPER) != 0;
    }

    /** The character in lower case, given its {@link #kind}. */
    static char lower(char c, int kind) {
        return (char) (c | (kind & UPPER) << 3); // 'A' | 32 == 'a'
    }

    /**
     * Checks {@code raw[0..end)} and finds upper case in the same pass. Any character outside ASCII means the IDN
     * path decides, even after a fault was seen, so only pure-ASCII text is judged here.
     */
    private static int scanAscii(String raw, int end) {
        return scanAscii(raw, end, end, 0, EDGE);
    }

    /**
     * The end of a check from the right: {@code raw[from..end)} has been checked ({@code checks}, the
     * {@link #check}s of its characters; {@code last}, the kind of {@code raw[from]}), this checks {@code raw[0..from)}
     * and judges the whole: letters, digits, '-' not at a label's ends, and '_' seen in real DNS; labels of 1..63,
     * at most 253 in all. A label can only be too long when the whole name is.
     *
     * @return {@link #NON_ASCII}, {@link #INVALID}, {@link #NORMAL} or {@link #UPPER_CASE}
     */
    static int scanAscii(String raw, int from, int end, int checks, int last) {
        for (int i = from - 1; i >= 0; i--) {
            char c = raw.charAt(i);
            if (c >= 0x80) {
                return NON_ASCII;
            }
            int k = KIND[c];
            checks |= check(last, k);
            last = k;
        }
        int faults = (checks | check(last, EDGE)) >>> FAULT_SHIFT & 0xF;
        boolean valid = end > 0 && end <= MAX_LENGTH && (checks & BAD) == 0 && faults == 0
                && (end <= MAX_LABEL || labelsFit(raw, end));
        return !valid ? INVALID : upper(checks) ? UPPER_CASE : NORMAL;
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
