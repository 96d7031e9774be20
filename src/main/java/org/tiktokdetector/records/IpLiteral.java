package org.tiktokdetector.records;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP addresses written as text, read without ever asking DNS (InetAddress would look up anything else). */
public final class IpLiteral {
    private IpLiteral() {}

    /** @return the address's bytes (4 or 16), or null when the text is not an IPv4 or IPv6 literal */
    public static byte[] bytes(String s) {
        if (s == null || s.isEmpty()
                || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
