package org.tiktokdetector.records;

/** Where on the wire a name was seen. Lower-case in JSON. */
public enum Kind {
    DNS, TLS, QUIC, HTTP;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Kind fromJson(String s) {
        for (Kind k : values()) {
            if (k.json().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind \"" + s + "\" is not one of dns, tls, quic, http");
    }
}
