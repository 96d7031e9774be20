package org.tiktokdetector.privacy;

import com.google.common.net.InetAddresses;
import org.tiktokdetector.records.MacAddress;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Keyed pseudonyms: {@code dev:}, {@code own:}, {@code ip:} or {@code mac:} and the first 64 bits of
 * HMAC-SHA256(key, kind + value) in hex. The same key gives the same pseudonym for the same identifier, so windows
 * and upserts work on pseudonyms as they did on the identifiers; without the key nobody can recompute them from an
 * inventory. Addresses are first brought to one spelling (IPv6 compressed, MACs lower-case with colons), so the
 * inventory's and a sensor's spelling of one address give one pseudonym. Not thread safe: one per task.
 */
public final class Pseudonyms {
    /** What an identifier names; the prefix of its pseudonyms. */
    public enum Kind {
        DEVICE("dev"), OWNER("own"), IP("ip"), MAC("mac"),
        /** A connection's Community ID: a hash of both addresses and ports, which guesses of the client's recompute. */
        FLOW("flow");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Mac mac;

    public Pseudonyms(PseudonymKey key) {
        this.mac = key.mac();
    }

    public String of(Kind kind, String value) {
        String input = kind.prefix + ":" + normal(kind, value);
        byte[] h = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        return kind.prefix + ":" + HexFormat.of().formatHex(h, 0, 8);
    }

    static String normal(Kind kind, String value) {
        return switch (kind) {
            case IP -> InetAddresses.isInetAddress(value) ? InetAddresses.toAddrString(InetAddresses.forString(value)) : value;
            case MAC -> MacAddress.canonical(value);
            default -> value;
        };
    }
}
