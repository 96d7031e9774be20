package org.tiktokdetector.decode.capture;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Opens the client Initial packets of QUIC v1 (RFC 9000, 9001) and v2 (RFC 9369): derives the Initial
 * keys from the client's Destination Connection ID (HKDF-SHA256 with the version's salt and labels,
 * RFC 9001 section 5.2), removes header protection (AES-128-ECB mask, section 5.4) and decrypts the
 * payload (AES-128-GCM). Everything else about an Initial is public, so anyone on the path can do this;
 * later packets use keys from the TLS handshake and stay opaque. javax.crypto only.
 *
 * <p>Not thread-safe: one instance holds reusable cipher and MAC objects.
 */
public final class QuicInitial {
    public static final int VERSION_1 = 0x00000001;
    public static final int VERSION_2 = 0x6b3343cf;

    private static final byte[] SALT_V1 = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
    private static final byte[] SALT_V2 = hex("0dede3def700a6db819381be6e269dcbf9bd2ed9");

    /** AEAD key, IV and header-protection key of one direction. */
    public record Keys(byte[] key, byte[] iv, byte[] hp) {}

    private final Cipher ecb;
    private final Cipher gcm;
    private final Mac hmac;
    private final byte[] mask = new byte[16];
    private final byte[] nonce = new byte[12];
    private byte[] aad = new byte[64];
    private int packetNumber;
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

    /** True for the two versions whose Initial keys we know. */
    public static boolean knownVersion(long version) {
        return version == VERSION_1 || version == VERSION_2;
    }

    /** The long-header packet type bits that mean Initial: 0 in v1, 1 in v2 (RFC 9369 section 3.2). */
    public static int initialType(int version) {
        return version == VERSION_2 ? 1 : 0;
    }

    /**
     * Client Initial keys for the connection whose client chose {@code dcid} (RFC 9001 section 5.2): four
     * HMACs with this instance's reused {@code Mac} (looking one up per connection cost more than the hashing).
     */
    public Keys clientKeys(int version, byte[] dcid, int off, int len) {
        boolean v2 = version == VERSION_2;
        try {
            hmac.init(new SecretKeySpec(v2 ? SALT_V2 : SALT_V1, "HmacSHA256"));
            hmac.update(dcid, off, len);
            byte[] client = expandLabel(hmac.doFinal(), "client in", 32);
            return new Keys(expandLabel(client, v2 ? "quicv2 key" : "quic key", 16),
                    expandLabel(client, v2 ? "quicv2 iv" : "quic iv", 12),
                    expandLabel(client, v2 ? "quicv2 hp" : "quic hp", 16));
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
     * packet number starts at {@code pnOffset}. Leaves {@code b} unchanged.
     *
     * @return the plaintext length in {@code out} (which must hold {@code end - pnOffset} bytes), or -1
     *         when the packet does not open with these keys (a server packet, another connection, corrupt)
     */
    public int open(Keys keys, byte[] b, int start, int pnOffset, int end, byte[] out) {
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
            packetNumber = 0;
            for (int i = 0; i < pnLength; i++) {
                int pnByte = (b[pnOffset + i] ^ mask[1 + i]) & 0xff;
                aad[pnOffset - start + i] = (byte) pnByte;
                packetNumber = packetNumber << 8 | pnByte;
            }
            System.arraycopy(keys.iv(), 0, nonce, 0, 12);
            for (int i = 0; i < 4; i++) {
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

    /** Packet number of the last packet {@link #open} decrypted (the truncated wire value). */
    public int packetNumber() {
        return packetNumber;
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
