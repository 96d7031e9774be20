package org.tiktokdetector.aggregate;

import org.tiktokdetector.io.TextFile;
import org.tiktokdetector.records.IpLiteral;
import org.tiktokdetector.records.MacAddress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The operator's device inventory (CSV {@code match,device_id,owner,department}; match is an IP,
 * a CIDR or a MAC). A MAC identifies a device across DHCP leases, so it wins over addresses; among
 * CIDRs the longest prefix wins.
 */
public final class DeviceInventory implements Serializable {
    public record Device(String id, String owner, String department) implements Serializable {}

    /** One line of the inventory: its match (an IP, a CIDR or a MAC, in one spelling) and the device. */
    public record Entry(String match, Device device) implements Serializable {}

    private record Cidr(byte[] network, int prefix, Device device) implements Serializable {}

    /** A MAC as operators write it: six pairs with ':' or '-', or Cisco's three dotted groups of four. */
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}|[0-9a-f]{4}(\\.[0-9a-f]{4}){2}");

    private final Map<String, Device> byMac = new HashMap<>();
    private final Map<String, Device> byIp = new HashMap<>();
    private final List<Cidr> cidrs = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();

    public static DeviceInventory empty() {
        return new DeviceInventory();
    }

    /**
     * Reads the CSV as a spreadsheet saves it (byte order mark, CRLF, RFC 4180 quotes). A header line, blank
     * lines, lines of empty cells and '#' comments are skipped.
     *
     * @throws IllegalArgumentException naming the file, line and what is wrong, including two lines for the
     *                                  same device key, a file that cannot be read or is not UTF-8
     */
    public static DeviceInventory load(Path csv) {
        try {
            return TextFile.read(csv, in -> read(csv, in));
        } catch (TextFile.Unreadable e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static DeviceInventory read(Path csv, BufferedReader in) throws IOException {
        DeviceInventory inv = new DeviceInventory();
        // Each key with the line it is on: a second line for the same device would silently win.
        Map<String, Integer> lineOfKey = new HashMap<>();
        CsvRecords records = new CsvRecords(csv, in);
        boolean first = true;
        for (List<String> f; (f = records.next()) != null; first = false) {
            if (first && f.get(0).equalsIgnoreCase("match")) {
                continue;
            }
            String where = csv + ":" + records.line;
            if (f.size() < 2 || f.get(0).isEmpty() || f.get(1).isEmpty()) {
                throw new IllegalArgumentException(where + ": expected \"match,device_id,owner,department\", got \"" + String.join(",", f) + "\"");
            }
            String key;
            try {
                key = inv.add(f.get(0), new Device(f.get(1), field(f, 2), field(f, 3)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            Integer earlier = lineOfKey.putIfAbsent(key, records.line);
            if (earlier != null) {
                throw new IllegalArgumentException(where + ": " + key + " is already on line " + earlier + "; keep one of the two lines");
            }
        }
        return inv;
    }

    private static String field(List<String> f, int i) {
        return i < f.size() && !f.get(i).isEmpty() ? f.get(i) : null;
    }

    /** @return what the entry is keyed on, one spelling for every way to write it ("MAC 3c:22:fb:7a:10:05") */
    private String add(String match, Device d) {
        if (MAC.matcher(match).matches()) {
            byMac.put(MacAddress.key(match), d);
            return entry("MAC", MacAddress.canonical(match), d);
        }
        int slash = match.indexOf('/');
        byte[] addr = address(slash < 0 ? match : match.substring(0, slash));
        if (slash < 0) {
            byIp.put(canonical(addr), d);
            return entry("IP", text(addr), d);
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
        return entry("CIDR", text(network(addr, prefix)) + "/" + prefix, d);
    }

    private String entry(String kind, String match, Device d) {
        entries.add(new Entry(match, d));
        return kind + " " + match;
    }

    /** Every line of the inventory, in file order: what {@code reveal} recomputes pseudonyms of. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * CSV records as RFC 4180 has them and spreadsheets write them: a field in double quotes may hold
     * commas, line breaks and "" for a quote. Fields are stripped of surrounding spaces; blank lines, lines
     * of empty cells (",,,") and '#' comment lines are skipped.
     */
    private static final class CsvRecords {
        private final Path file;
        private final BufferedReader in;
        private int linesRead;
        /** The line the record last returned starts on. */
        int line;

        CsvRecords(Path file, BufferedReader in) {
            this.file = file;
            this.in = in;
        }

        /** @return the next record's fields (at least one), or null at the end of the file */
        List<String> next() throws IOException {
            for (String text; (text = in.readLine()) != null; ) {
                line = ++linesRead;
                if (text.isBlank() || text.strip().startsWith("#")) {
                    continue;
                }
                List<String> fields = fields(text);
                if (fields.stream().anyMatch(f -> !f.isEmpty())) {
                    return fields;
                }
            }
            return null;
        }

        private List<String> fields(String text) throws IOException {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false; // the field began with a quote
            boolean open = false;   // and that quote is not closed yet
            for (int i = 0; ; ) {
                if (i == text.length()) {
                    if (!open) {
                        fields.add(field.toString().strip());
                        return fields;
                    }
                    text = in.readLine();
                    if (text == null) {
                        throw new IllegalArgumentException(file + ":" + line + ": a quoted field has no closing quote");
                    }
                    linesRead++;
                    field.append('\n');
                    i = 0;
                    continue;
                }
                char c = text.charAt(i++);
                if (open) {
                    if (c != '"') {
                        field.append(c);
                    } else if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        open = false;
                    }
                } else if (c == ',') {
                    fields.add(field.toString().strip());
                    field.setLength(0);
                    quoted = false;
                } else if (quoted) {
                    if (!Character.isWhitespace(c)) {
                        throw new IllegalArgumentException(file + ":" + linesRead + ": text after the closing quote of a field;"
                                + " inside quotes write a quote as \"\"");
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    field.setLength(0);
                    quoted = open = true;
                } else {
                    field.append(c);
                }
            }
        }
    }

    /** @return the device, or null when the inventory does not know it */
    public Device lookup(String ip, String mac) {
        if (mac != null) {
            Device d = byMac.get(MacAddress.key(mac));
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

    /** The address with the bits past the prefix cleared: 10.20.1.7/24 and 10.20.1.0/24 are one network. */
    private static byte[] network(byte[] addr, int prefix) {
        byte[] net = addr.clone();
        for (int bit = prefix; bit < net.length * 8; bit++) {
            net[bit >> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        return net;
    }

    /** The usual text form, for messages (never a DNS lookup: the address is given as bytes). */
    private static String text(byte[] addr) {
        try {
            return InetAddress.getByAddress(addr).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Literal addresses only: never a DNS lookup. */
    private static byte[] address(String s) {
        byte[] a = IpLiteral.bytes(s);
        if (a == null) {
            throw new IllegalArgumentException("\"" + s + "\" is not an IP address, CIDR or MAC");
        }
        return a;
    }

    private static String canonical(byte[] addr) {
        return java.util.HexFormat.of().formatHex(addr);
    }
}
