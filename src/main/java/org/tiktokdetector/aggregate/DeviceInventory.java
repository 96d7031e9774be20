package org.tiktokdetector.aggregate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's device inventory (CSV {@code match,device_id,owner,department}; match is an IP,
 * a CIDR or a MAC). A MAC identifies a device across DHCP leases, so it wins over addresses; among
 * CIDRs the longest prefix wins.
 */
public final class DeviceInventory implements Serializable {
    public record Device(String id, String owner, String department) implements Serializable {}

    private record Cidr(byte[] network, int prefix, Device device) implements Serializable {}

    private final Map<String, Device> byMac = new HashMap<>();
    private final Map<String, Device> byIp = new HashMap<>();
    private final List<Cidr> cidrs = new ArrayList<>();

    public static DeviceInventory empty() {
        return new DeviceInventory();
    }

    /** @throws IllegalArgumentException naming the file, line and what is wrong */
    public static DeviceInventory load(Path csv) throws IOException {
        DeviceInventory inv = new DeviceInventory();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || (lineNo == 1 && t.toLowerCase(Locale.ROOT).startsWith("match,"))) {
                    continue;
                }
                String[] f = t.split(",", -1);
                if (f.length < 2 || f[0].isBlank() || f[1].isBlank()) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": expected \"match,device_id,owner,department\", got \"" + t + "\"");
                }
                Device d = new Device(f[1].strip(), field(f, 2), field(f, 3));
                try {
                    inv.add(f[0].strip(), d);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(csv + ":" + lineNo + ": " + e.getMessage());
                }
            }
        }
        return inv;
    }

    private static String field(String[] f, int i) {
        return i < f.length && !f[i].isBlank() ? f[i].strip() : null;
    }

    void add(String match, Device d) {
        if (isMac(match)) {
            byMac.put(match.toLowerCase(Locale.ROOT).replace('-', ':'), d);
            return;
        }
        int slash = match.indexOf('/');
        byte[] addr = address(slash < 0 ? match : match.substring(0, slash));
        if (slash < 0) {
            byIp.put(canonical(addr), d);
            return;
        }
        int prefix;
        try {
            prefix = Integer.parseInt(match.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > addr.length * 8) {
            throw new IllegalArgumentException("\"" + match + "\" has a bad prefix length");
        }
        cidrs.add(new Cidr(addr, prefix, d));
        cidrs.sort((a, b) -> Integer.compare(b.prefix, a.prefix));
    }

    /** @return the device, or null when the inventory does not know it */
    public Device lookup(String ip, String mac) {
        if (mac != null) {
            Device d = byMac.get(mac.toLowerCase(Locale.ROOT).replace('-', ':'));
            if (d != null) {
                return d;
            }
        }
        if (ip == null || (byIp.isEmpty() && cidrs.isEmpty())) {
            return null;
        }
        byte[] addr;
        try {
            addr = address(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Device d = byIp.get(canonical(addr));
        if (d != null) {
            return d;
        }
        for (Cidr c : cidrs) {
            if (c.network.length == addr.length && inPrefix(addr, c.network, c.prefix)) {
                return c.device;
            }
        }
        return null;
    }

    private static boolean inPrefix(byte[] addr, byte[] net, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit & 7);
            if ((addr[bit >> 3] & mask) != (net[bit >> 3] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMac(String s) {
        return s.length() == 17 && s.matches("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    }

    /** Literal addresses only: never a DNS lookup. */
    private static byte[] address(String s) {
        boolean literal = s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!literal || s.isEmpty()) {
            throw new IllegalArgumentException("\"" + s + "\" is not an IP address, CIDR or MAC");
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not an IP address, CIDR or MAC");
        }
    }

    private static String canonical(byte[] addr) {
        return java.util.HexFormat.of().formatHex(addr);
    }
}
