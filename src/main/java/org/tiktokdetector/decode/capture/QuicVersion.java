package org.tiktokdetector.decode.capture;

/**
 * The QUIC versions whose client Initials we open, and what differs between them: how the client's first
 * packet is framed ({@link Header}), the salt and labels its Initial keys come from (none: it is sent in
 * clear text), the long-header type code of Initial and Retry, Google's frame encoding or the IETF one, and
 * whether the handshake is a TLS ClientHello or Google's CHLO. Salts as Wireshark's packet-quic.c lists
 * them; several versions share one salt, so a constant here stands for a range of version numbers
 * ({@link #of}).
 */
enum QuicVersion {
    /** draft-22, and Facebook mvfst 0xfaceb001 (draft-22 based). */
    DRAFT_22(Header.LONG, "7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a", "quic ", false, false),
    /** drafts 23 to 28, and mvfst 0xfaceb002 and its experimental 0xfaceb00e (draft-27 based). */
    DRAFT_23_TO_28(Header.LONG, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic ", false, false),
    /** drafts 29 to 32: draft-29 was Chrome's default for years, and old Cronet builds still send it. */
    DRAFT_29_TO_32(Header.LONG, "afbfec289993d24c9e9786f19c6111e04390a899", "quic ", false, false),
    /** v1 (RFC 9000, 9001), and drafts 33 and 34, which introduced its salt. */
    V1(Header.LONG, "38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic ", false, false),
    /** v2 (RFC 9369): its own salt and labels, and other long-header type codes. */
    V2(Header.LONG, "0dede3def700a6db819381be6e269dcbf9bd2ed9", "quicv2 ", false, false),
    /** Google QUIC Q050: the IETF long header and Initial protection with a salt of its own; Google frames, a CHLO in CRYPTO frames. */
    Q050(Header.LONG, "504574efd066fe2f9d945cfcdbd3a7f0d3b56b45", "quic ", true, true),
    /** Google QUIC T050: as Q050, but a TLS ClientHello in the CRYPTO frames. */
    T050(Header.LONG, "7ff579e5acd072915580304c43a2367c60488310", "quic ", true, false),
    /** Google QUIC T051: as T050 with another salt. */
    T051(Header.LONG, "7a4edef4e7ccee5fa4506c19124fc8ccda6e033d", "quic ", true, false),
    /** Google QUIC Q046: a long header of its own, in clear text; the CHLO in STREAM frames of stream 1. */
    Q046(Header.Q046, null, null, true, true),
    /** Google QUIC Q043: the gQUIC public header (no long-header bit), in clear text; the CHLO on stream 1. */
    Q043(Header.PUBLIC, null, null, true, true);

    /** How the client's first packet starts. */
    enum Header {
        /** The IETF long header (RFC 8999, RFC 9000 section 17.2): one-byte connection id lengths, token, length. */
        LONG,
        /** Q046: long-header form and version, then one byte with both connection id lengths, no token or length. */
        Q046,
        /** Q043: public flags, 8-byte connection id, version, packet number. */
        PUBLIC
    }

    final Header header;
    /** HKDF-Extract salt of the Initial secret; null for the clear-text versions. */
    final byte[] salt;
    /** What "key", "iv" and "hp" follow in the HKDF labels of the packet keys. */
    final String labelPrefix;
    /** Google's frame encoding (type byte with length bits; CRYPTO is 0x08), not the IETF one. */
    final boolean googleFrames;
    /** The handshake message is Google's CHLO (QUIC Crypto), not a TLS ClientHello. */
    final boolean chlo;

    QuicVersion(Header header, String salt, String labelPrefix, boolean googleFrames, boolean chlo) {
        this.header = header;
        this.salt = salt == null ? null : QuicInitial.hex(salt);
        this.labelPrefix = labelPrefix;
        this.googleFrames = googleFrames;
        this.chlo = chlo;
    }

    /** The version whose Initials carry this version number, or null when we cannot open them. */
    static QuicVersion of(long version) {
        if ((version & 0xffffff00L) == 0xff000000L) { // IETF drafts are 0xff0000NN
            int draft = (int) (version & 0xff);
            return draft < 22 || draft > 34 ? null
                    : draft == 22 ? DRAFT_22 : draft <= 28 ? DRAFT_23_TO_28 : draft <= 32 ? DRAFT_29_TO_32 : V1;
        }
        return switch ((int) version) {
            case 0x00000001 -> V1;
            case 0x6b3343cf -> V2;
            case 0xfaceb001 -> DRAFT_22;
            case 0xfaceb002, 0xfaceb00e -> DRAFT_23_TO_28;
            case 0x51303530 -> Q050; // "Q050"
            case 0x54303530 -> T050; // "T050"
            case 0x54303531 -> T051; // "T051"
            case 0x51303436 -> Q046; // "Q046"
            case 0x51303433 -> Q043; // "Q043"
            default -> null;
        };
    }

    /** The long-header type bits (0x30 of the first byte) of an Initial: 0, and 1 in v2 (RFC 9369 section 3.2). */
    int initialType() {
        return this == V2 ? 1 : 0;
    }

    /** The long-header type bits of a Retry: 3, and 0 in v2. */
    int retryType() {
        return this == V2 ? 0 : 3;
    }
}
