package org.tiktokdetector.decode.capture;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Opens the protected client Initial packets of the {@link QuicVersion}s that have a salt (IETF drafts 22
 * to 34, mvfst, v1 of RFC 9000 and 9001, v2 of RFC 9369, Google's Q050, T050 and T051): derives the Initial
 * keys from the client's Destination Connection ID (HKDF-SHA256 with the version's salt and labels,
 * RFC 9001 section 5.2), removes header protection (AES-128-ECB mask, section 5.4) and decrypts the
 * payload (AES-128-GCM). Everything else about an Initial is public, so anyone on the path can do this;
 * later packets use keys from the TLS handshake and stay opaque. javax.crypto only.
 *
 * <p>Not thread-safe: one instance holds reusable cipher and MAC objects.
 */
public final class QuicInitial {
    /** AEAD key, IV and header-protection key of one direction. */
    public record Keys(byte[] key, byte[] iv, byte[] hp) {}

    private final Cipher ecb;
    private final Cipher gcm;
    private final Mac hmac;
    private final byte[] mask = new byte[16];
    private final byte[] nonce = new byte[12];
    private byte[] aad = new byte[64];
    private long packetNumber;
    private int headerLength;

    public QuicInitial() {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
            hmac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks AES-ECB, AES-GCM or HmacSHA256, which every Java 17 has", e);
        }
    }

    /**
     * Client Initial keys for the connection whose client chose {@code dcid} (RFC 9001 section 5.2): four
     * HMACs with this instance's reused {@code Mac} (looking one up per connection cost more than the hashing).
     */
    Keys clientKeys(QuicVersion version, byte[] dcid, int off, int len) {
        try {
            hmac.init(new SecretKeySpec(version.salt, "HmacSHA256"));
            hmac.update(dcid, off, len);
            byte[] client = expandLabel(hmac.doFinal(), "client in", 32);
            return new Keys(expandLabel(client, version.labelPrefix + "key", 16),
                    expandLabel(client, version.labelPrefix + "iv", 12),
                    expandLabel(client, version.labelPrefix + "hp", 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused a key", e);
        }
    }

    /** HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context; every output here is one block. */
    private byte[] expandLabel(byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[4 + full.length + 1];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) full.length;
        System.arraycopy(full, 0, info, 3, full.length);
        info[info.length - 2] = 0; // empty context
        info[info.length - 1] = 1; // HKDF-Expand counter of the first (and only) block
        hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Arrays.copyOf(hmac.doFinal(info), length);
    }

    /**
     * Removes header protection from, and decrypts, the Initial packet {@code b[start, end)} whose
     * packet number starts at {@code pnOffset}. Leaves {@code b} unchanged. The packet number on the wire
     * is its last 1 to 4 bytes; the full one, which the nonce needs, is the closest to the one after
     * {@code largest} (RFC 9000 appendix A.3), so a client may start at any number and shorten it later.
     *
     * @param largest the largest packet number opened so far in this connection, -1 before the first
     * @return the plaintext length in {@code out} (which must hold {@code end - pnOffset} bytes), or -1
     *         when the packet does not open with these keys (a server packet, another connection, corrupt)
     */
    public int open(Keys keys, byte[] b, int start, int pnOffset, int end, byte[] out, long largest) {
        if (pnOffset + 4 + 16 > end) {
            return -1; // too short to hold the header-protection sample
        }
        try {
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.hp(), "AES"));
            ecb.doFinal(b, pnOffset + 4, 16, mask, 0);
            int first = (b[start] ^ (mask[0] & 0x0f)) & 0xff;
            int pnLength = (first & 3) + 1;
            headerLength = pnOffset + pnLength - start;
            if (aad.length < headerLength) {
                aad = new byte[headerLength];
            }
            System.arraycopy(b, start, aad, 0, headerLength);
            aad[0] = (byte) first;
            long truncated = 0;
            for (int i = 0; i < pnLength; i++) {
                int pnByte = (b[pnOffset + i] ^ mask[1 + i]) & 0xff;
                aad[pnOffset - start + i] = (byte) pnByte;
                truncated = truncated << 8 | pnByte;
            }
            packetNumber = packetNumber(largest, truncated, 8 * pnLength);
            System.arraycopy(keys.iv(), 0, nonce, 0, 12);
            for (int i = 0; i < 8; i++) {
                nonce[11 - i] ^= (byte) (packetNumber >>> (8 * i));
            }
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.key(), "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(aad, 0, headerLength);
            int cipherStart = pnOffset + pnLength;
            return gcm.doFinal(b, cipherStart, end - cipherStart, out, 0);
        } catch (GeneralSecurityException e) {
            return -1; // authentication failed: not a client Initial of this connection
        }
    }

    /** Full packet number of the last packet {@link #open} decrypted. */
    public long packetNumber() {
        return packetNumber;
    }

    /** The packet number whose last {@code bits} bits are {@code truncated} and that is closest to {@code largest + 1}. */
    static long packetNumber(long largest, long truncated, int bits) {
        long expected = largest + 1;
        long window = 1L << bits;
        long candidate = (expected & ~(window - 1)) | truncated;
        if (candidate <= expected - window / 2 && candidate < (1L << 62) - window) {
            return candidate + window;
        }
        if (candidate > expected + window / 2 && candidate >= window) {
            return candidate - window;
        }
        return candidate;
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
