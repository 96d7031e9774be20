package org.tiktokdetector.records;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP addresses written as text, read without ever asking DNS (InetAddress would look up anything else). */
public final class IpLiteral {
    private IpLiteral() {}

    /** @return the address's bytes (4 or 16), or null when the text is not an IPv4 or IPv6 literal (a pseudonym is not) */
    public static byte[] bytes(String s) {
        // Only hex digits, ':' and '.' (and an IPv6 zone after '%'), starting as a literal does: anything else would make
        // InetAddress ask DNS, a pseudonym such as "ip:3f2a..." too.
        int zone = s == null ? -1 : s.indexOf('%');
        String address = zone < 0 ? s : s.substring(0, zone);
        if (address == null || address.isEmpty() || Character.digit(address.charAt(0), 16) < 0 && address.charAt(0) != ':'
                || !address.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)
                || address.indexOf(':') < 0 && !address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
