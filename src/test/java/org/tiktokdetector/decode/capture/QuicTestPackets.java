package org.tiktokdetector.decode.capture;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Client packets of every QUIC version, built for tests by code of their own: HKDF (RFC 5869) and
 * HKDF-Expand-Label (RFC 8446 section 7.1) written out step by step over javax.crypto's HMAC, then AES-GCM
 * and the AES-ECB header-protection mask (RFC 9001 section 5), with the salts typed in from Wireshark's
 * packet-quic.c. Nothing here calls {@link QuicInitial}: the known-answer tests check these keys against
 * published vectors, and tshark opens the packets built here ({@link QuicVersionCaptures}).
 */
final class QuicTestPackets {
    static final byte[] DCID = TestCaptures.hex("8394c8f03e515708");

    static final int V1 = 0x00000001;
    static final int V2 = 0x6b3343cf;
    static final int Q043 = 0x51303433;
    static final int Q046 = 0x51303436;
    static final int Q050 = 0x51303530;
    static final int T050 = 0x54303530;
    static final int T051 = 0x54303531;

    static final String SALT_DRAFT_22 = "7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a";
    static final String SALT_DRAFT_23 = "c3eef712c72ebb5a11a7d2432bb46365bef9f502";
    static final String SALT_DRAFT_29 = "afbfec289993d24c9e9786f19c6111e04390a899";
    static final String SALT_V1 = "38762cf7f55934b34d179ae6a4c80cadccbb7f0a";
    static final String SALT_V2 = "0dede3def700a6db819381be6e269dcbf9bd2ed9";
    static final String SALT_Q050 = "504574efd066fe2f9d945cfcdbd3a7f0d3b56b45";
    static final String SALT_T050 = "7ff579e5acd072915580304c43a2367c60488310";
    static final String SALT_T051 = "7a4edef4e7ccee5fa4506c19124fc8ccda6e033d";

    /** Every version number with protected Initials that we open, as Wireshark 4.0 reads them. */
    static final List<Integer> PROTECTED_VERSIONS = List.of(0xff000016, 0xff000017, 0xff000018, 0xff000019,
            0xff00001a, 0xff00001b, 0xff00001c, 0xff00001d, 0xff00001e, 0xff00001f, 0xff000020, 0xff000021,
            0xff000022, 0xfaceb001, 0xfaceb002, 0xfaceb00e, V1, V2, Q050, T050, T051);

    private QuicTestPackets() {}

    record Keys(byte[] key, byte[] iv, byte[] hp) {}

    /** The Initial salt of a version number: drafts by range, mvfst by the draft each is based on. */
    static String salt(int version) {
        if (version >>> 8 == 0xff0000) {
            int draft = version & 0xff;
            return draft == 22 ? SALT_DRAFT_22 : draft <= 28 ? SALT_DRAFT_23 : draft <= 32 ? SALT_DRAFT_29 : SALT_V1;
        }
        return switch (version) {
            case 0xfaceb001 -> SALT_DRAFT_22;
            case 0xfaceb002, 0xfaceb00e -> SALT_DRAFT_23;
            case V1 -> SALT_V1;
            case V2 -> SALT_V2;
            case Q050 -> SALT_Q050;
            case T050 -> SALT_T050;
            case T051 -> SALT_T051;
            default -> throw new IllegalArgumentException(Integer.toHexString(version));
        };
    }

    static Keys clientKeys(int version, byte[] dcid) {
        return clientKeys(salt(version), version == V2 ? "quicv2 " : "quic ", dcid);
    }

    static Keys clientKeys(String salt, String labelPrefix, byte[] dcid) {
        byte[] initialSecret = hmac(TestCaptures.hex(salt), dcid); // HKDF-Extract(salt, DCID)
        byte[] client = expandLabel(initialSecret, "client in", 32);
        return new Keys(expandLabel(client, labelPrefix + "key", 16), expandLabel(client, labelPrefix + "iv", 12),
                expandLabel(client, labelPrefix + "hp", 16));
    }

    /** HKDF-Expand(secret, HkdfLabel, length) with HkdfLabel = uint16 length, "tls13 " + label (8-bit length), empty context. */
    static byte[] expandLabel(byte[] secret, String label, int length) {
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(length >> 8);
        info.write(length);
        info.write(full.length);
        info.writeBytes(full);
        info.write(0);
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int i = 1; okm.size() < length; i++) { // T(i) = HMAC(secret, T(i-1) | info | i)
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(t);
            block.writeBytes(info.toByteArray());
            block.write(i);
            t = hmac(secret, block.toByteArray());
            okm.writeBytes(t);
        }
        return Arrays.copyOf(okm.toByteArray(), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A protected long-header client Initial: DCID, SCID, no token, the 2-byte Length, packet number {@code pn}
     * in its last {@code pnLength} bytes, then {@code payload} sealed (RFC 9001 sections 5.3 and 5.4).
     */
    static byte[] initial(int version, byte[] dcid, byte[] scid, long pn, int pnLength, byte[] payload) {
        Keys k = clientKeys(version, dcid);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(0xc0 | (version == V2 ? 1 : 0) << 4 | (pnLength - 1));
        writeInt(h, version);
        h.write(dcid.length);
        h.writeBytes(dcid);
        h.write(scid.length);
        h.writeBytes(scid);
        h.write(0); // token length
        int length = pnLength + payload.length + 16;
        h.write(0x40 | length >> 8);
        h.write(length);
        for (int i = pnLength - 1; i >= 0; i--) {
            h.write((int) (pn >>> (8 * i)));
        }
        byte[] header = h.toByteArray();
        try {
            byte[] nonce = k.iv().clone();
            for (int i = 0; i < 8; i++) {
                nonce[11 - i] ^= (byte) (pn >>> (8 * i));
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.key(), "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            byte[] sealed = gcm.doFinal(payload);
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.hp(), "AES"));
            byte[] mask = ecb.doFinal(sealed, 4 - pnLength, 16); // the sample starts 4 bytes after the packet number's start
            int pnOffset = header.length - pnLength;
            header[0] ^= (byte) (mask[0] & 0x0f);
            for (int i = 0; i < pnLength; i++) {
                header[pnOffset + i] ^= mask[1 + i];
            }
            return concat(header, sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Where Google QUIC's clear-text packets carry a 12-byte FNV-1a hash of the packet, which no decoder here
     * checks: bytes that are not PADDING, so that a decoder that reads them as frames fails.
     */
    private static final byte[] MESSAGE_HASH = TestCaptures.hex("5d3e1f0a9c8b7a6f4e2d1c0b");

    /**
     * Chrome's chaos protection: {@code hello} (1.8 KB, the size of a post-quantum one) cut into seven CRYPTO
     * frames, shuffled over three Initials with PING, PADDING and ACK frames between them, the first packet
     * numbered 0x3a2b1c0 in 4 bytes and the next ones shortened to 1 and 2 bytes.
     */
    static List<byte[]> chaosInitials(int version, byte[] hello, Random random) {
        int[] cuts = {0, 170, 400, 401, 900, 1300, 1650, hello.length};
        List<byte[]> f = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.length; i++) {
            f.add(crypto(hello, cuts[i], cuts[i + 1]));
        }
        Collections.shuffle(f, random);
        byte[] ping = {0x01};
        byte[] scid = TestCaptures.hex("c1c2c3c4");
        long base = 0x3a2b1c0L;
        return List.of(
                initial(version, DCID, scid, base, 4, padTo(1160, f.get(0), ping, padding(9), f.get(1), ack(0), f.get(2))),
                initial(version, DCID, scid, base + 1, 1, padTo(1160, ping, f.get(3), padding(30), f.get(4))),
                initial(version, DCID, scid, base + 2, 2, padTo(1160, f.get(5), ping, ping, f.get(6), ack(1))));
    }

    /** A clear-text Q046 client Initial: long header 0xc3 (4-byte packet number), 8-byte DCID, no SCID. */
    static byte[] q046(byte[] cid, int pn, byte[] frames) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xc3);
        writeInt(p, Q046);
        p.write(0x50); // DCID 5 + 3 bytes, no SCID
        p.writeBytes(cid);
        writeInt(p, pn);
        p.writeBytes(MESSAGE_HASH);
        p.writeBytes(frames);
        return p.toByteArray();
    }

    /** A clear-text Q043 client packet: public flags 0x09 (version, 8-byte connection id, 1-byte packet number). */
    static byte[] q043(byte[] cid, int pn, byte[] frames) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x09);
        p.writeBytes(cid);
        writeInt(p, Q043);
        p.write(pn);
        p.writeBytes(MESSAGE_HASH);
        p.writeBytes(frames);
        return p.toByteArray();
    }

    /** An IETF CRYPTO frame of {@code data[from, to)} at offset {@code from}, with 2-byte offset and length. */
    static byte[] crypto(byte[] data, int from, int to) {
        return concat(new byte[] {0x06}, varint2(from), varint2(to - from), Arrays.copyOfRange(data, from, to));
    }

    /** Google's CRYPTO frame (type 0x08, Q050 on): the same fields. */
    static byte[] googleCrypto(byte[] data, int from, int to) {
        return concat(new byte[] {0x08}, varint2(from), varint2(to - from), Arrays.copyOfRange(data, from, to));
    }

    /** Google's STREAM frame 0xa4 on stream 1: 1-byte stream id, 2-byte offset, 2-byte data length. */
    static byte[] googleStream(byte[] data, int from, int to) {
        return concat(new byte[] {(byte) 0xa4, 1, (byte) (from >> 8), (byte) from, (byte) ((to - from) >> 8), (byte) (to - from)},
                Arrays.copyOfRange(data, from, to));
    }

    /** An IETF ACK frame: largest acknowledged, delay 0, no further ranges, first range 0. */
    static byte[] ack(int largest) {
        return concat(new byte[] {0x02}, varint2(largest), new byte[] {0, 0, 0});
    }

    static byte[] padding(int n) {
        return new byte[n];
    }

    /** A TLS 1.3 ClientHello handshake message with SNI, ALPN and a padding extension that makes it {@code size} bytes. */
    static byte[] clientHello(String sni, List<String> alpn, int random, int size) {
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream protocols = new ByteArrayOutputStream();
        for (String a : alpn) {
            protocols.write(a.length());
            protocols.writeBytes(a.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] extensions = concat(
                extension(0, concat(u16(name.length + 3), new byte[] {0}, u16(name.length), name)),
                extension(16, concat(u16(protocols.size()), protocols.toByteArray())),
                extension(43, TestCaptures.hex("020304")),
                extension(51, concat(TestCaptures.hex("0024001d0020"), new byte[32])));
        byte[] randomBytes = new byte[32];
        new java.util.Random(random).nextBytes(randomBytes);
        byte[] start = concat(TestCaptures.hex("0303"), randomBytes, TestCaptures.hex("00 0002 1301 0100"));
        int padding = size - 4 - start.length - 2 - extensions.length - 4;
        extensions = concat(extensions, extension(21, new byte[padding]));
        byte[] body = concat(start, u16(extensions.length), extensions);
        return concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
    }

    /** A CHLO with the tags PAD, SNI, UAID and VER, in the order of their little-endian values as QUIC Crypto wants. */
    static byte[] chlo(String sni, String userAgent, String version) {
        String[] tags = {"PAD\0", "SNI\0", "VER\0", "UAID"};
        byte[][] values = {new byte[200], sni.getBytes(StandardCharsets.US_ASCII),
                version.getBytes(StandardCharsets.US_ASCII), userAgent.getBytes(StandardCharsets.US_ASCII)};
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes("CHLO".getBytes(StandardCharsets.US_ASCII));
        m.write(tags.length);
        m.write(0);
        m.writeBytes(new byte[2]);
        int end = 0;
        for (int i = 0; i < tags.length; i++) {
            end += values[i].length;
            m.writeBytes(tags[i].getBytes(StandardCharsets.US_ASCII));
            m.writeBytes(new byte[] {(byte) end, (byte) (end >> 8), (byte) (end >> 16), (byte) (end >> 24)});
        }
        for (byte[] v : values) {
            m.writeBytes(v);
        }
        return m.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The frames, padded with PADDING to {@code size} bytes. */
    static byte[] padTo(int size, byte[]... frames) {
        byte[] f = concat(frames);
        return concat(f, new byte[Math.max(0, size - f.length)]);
    }

    private static byte[] extension(int type, byte[] data) {
        return concat(u16(type), u16(data.length), data);
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] varint2(int v) {
        return new byte[] {(byte) (0x40 | v >> 8), (byte) v};
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
