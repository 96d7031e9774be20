package org.tiktokdetector.records;

/** MAC addresses written as text: 3C-22-FB-7A-10-05, 3c:22:fb:7a:10:05 and Cisco's 3c22.fb7a.1005 are one address. */
public final class MacAddress {
    private MacAddress() {}

    /** The text without ':', '-' and '.', in lower case: one key for every spelling of an address. */
    public static String key(String text) {
        StringBuilder sb = new StringBuilder(12);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ':' && c != '-' && c != '.') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /** The spelling the outputs use, 3c:22:fb:7a:10:05; the text unchanged when its key is not 12 hex digits. */
    public static String canonical(String text) {
        String hex = key(text);
        return hex.matches("[0-9a-f]{12}") ? hex.replaceAll("(..)(?!$)", "$1:") : text;
    }
}
