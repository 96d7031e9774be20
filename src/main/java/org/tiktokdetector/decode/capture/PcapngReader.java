package org.tiktokdetector.decode.capture;

import java.io.IOException;
import java.util.Arrays;

/**
 * pcapng: sections of either byte order, several interfaces with their own link types, if_tsresol and
 * if_tsoffset; enhanced, simple and the obsolete packet blocks; other blocks are skipped. Simple packet
 * blocks carry no time, so they get the time of the packet before them. Every block's trailing copy of its
 * length is checked: a block that lied about its size ends the capture.
 */
final class PcapngReader implements FormatReader {
    /** Block type of the section header block, which is also the file's magic number. */
    static final long SECTION_HEADER = 0x0A0D0D0AL;
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int OBSOLETE_PB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    /** Largest non-packet block skipped before the file is deemed corrupt. */
    private static final int MAX_BLOCK = 16 * 1024 * 1024;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final CaptureInput in;
    private final byte[] head = new byte[32];
    private byte[] scratch = new byte[256];
    private boolean littleEndian;
    /** The first block's type was read as the file's magic number. */
    private boolean firstBlockTypeRead = true;
    /** Length of the block being read, to check against its trailing copy. */
    private long blockLength;
    private long lastTimestampMicros;

    // per interface of the current section
    private int interfaces;
    private int[] ifLinkType = new int[4];
    private int[] ifTsResol = new int[4];
    private long[] ifTsOffsetSeconds = new long[4];
    private long[] ifSnaplen = new long[4];

    /** A reader of the stream after its first 4 bytes, {@code magic}: the section header block's type. */
    PcapngReader(CaptureInput in, byte[] magic) {
        this.in = in;
        System.arraycopy(magic, 0, head, 0, 4);
        in.recordsAre("block");
    }

    @Override
    public boolean next(Packet p) throws IOException {
        while (true) {
            int n = firstBlockTypeRead ? 4 + in.read(head, 4, 4) : in.read(head, 0, 8);
            firstBlockTypeRead = false;
            if (n == 0) {
                return false;
            }
            long record = ++in.record;
            if (n < 8) {
                return in.end("block " + record + ": file ends inside the block header (" + n + " of 8 bytes)");
            }
            int type = (int) Bytes.u32(head, 0, littleEndian);
            if (type == SHB) {
                if (!in.readFully(head, 8, 4)) {
                    return false;
                }
                long bom = Bytes.u32(head, 8);
                if (bom != 0x1A2B3C4DL && bom != 0x4D3C2B1AL) {
                    return in.end("block " + record + ": section header byte-order magic 0x" + Bytes.hex(head, 8, 4)
                            + ", expected 1a2b3c4d or 4d3c2b1a");
                }
                littleEndian = bom == 0x4D3C2B1AL;
                interfaces = 0;
            }
            blockLength = Bytes.u32(head, 4, littleEndian);
            int minimum = type == SHB ? 28 : 12;
            if (blockLength < minimum || blockLength % 4 != 0 || blockLength > MAX_BLOCK) {
                return in.end("block " + record + ": block length " + blockLength
                        + ", expected a multiple of 4 from " + minimum + " to " + MAX_BLOCK);
            }
            int body = (int) blockLength - (type == SHB ? 12 : 8) - 4;
            boolean isPacket = switch (type) {
                case EPB -> readPacketBlock(p, body, false);
                case OBSOLETE_PB -> readPacketBlock(p, body, true);
                case SPB -> readSimplePacket(p, body);
                case IDB -> readInterface(body);
                default -> {
                    readBlockRest(body);
                    yield false;
                }
            };
            if (isPacket) {
                lastTimestampMicros = p.timestampMicros;
                return true;
            }
            if (in.ended()) {
                return false;
            }
        }
    }

    /**
     * EPB: interface id (4 bytes), timestamp high and low, captured and original length, data, options.
     * The obsolete packet block has the same layout with a 2-byte interface id and a drop count.
     */
    private boolean readPacketBlock(Packet p, int body, boolean obsolete) throws IOException {
        if (body < 20) {
            return in.end("block " + in.record + ": packet block of " + body + " body bytes, expected at least 20");
        }
        if (!in.readFully(head, 0, 20)) {
            return false;
        }
        long iface = obsolete ? Bytes.u16(head, 0, littleEndian) : Bytes.u32(head, 0, littleEndian);
        long caplen = Bytes.u32(head, 12, littleEndian);
        if (caplen > body - 20 || caplen > CaptureReader.MAX_PACKET) {
            in.problem("block " + in.record + ": captured length " + caplen + " exceeds the block's " + (body - 20)
                    + " data bytes");
            readBlockRest(body - 20);
            return false;
        }
        if (iface >= interfaces) {
            in.problem("block " + in.record + ": interface " + iface + " is not described (" + interfaces + " interfaces)");
            readBlockRest(body - 20);
            return false;
        }
        int i = (int) iface;
        p.length = (int) caplen;
        p.originalLength = (int) Math.min(Bytes.u32(head, 16, littleEndian), Integer.MAX_VALUE);
        p.linkType = ifLinkType[i];
        long units = Bytes.u32(head, 4, littleEndian) << 32 | Bytes.u32(head, 8, littleEndian);
        p.timestampMicros = toMicros(units, ifTsResol[i]) + ifTsOffsetSeconds[i] * 1_000_000L;
        if (!in.readFully(p.ensureCapacity(p.length), 0, p.length)
                || !readBlockRest(body - 20 - p.length)) {
            return false;
        }
        if (ifSnaplen[i] > 0 && caplen > ifSnaplen[i]) {
            in.problem("block " + in.record + ": caplen " + caplen + " exceeds snaplen " + ifSnaplen[i]);
            return false;
        }
        return true;
    }

    /** SPB: original length, then data cut to the interface's snap length; no timestamp. */
    private boolean readSimplePacket(Packet p, int body) throws IOException {
        if (body < 4 || interfaces == 0) {
            in.problem("block " + in.record + ": simple packet block without an interface or of " + body + " bytes");
            readBlockRest(body);
            return false;
        }
        if (!in.readFully(head, 0, 4)) {
            return false;
        }
        long original = Bytes.u32(head, 0, littleEndian);
        long caplen = Math.min(original, body - 4);
        if (ifSnaplen[0] > 0) {
            caplen = Math.min(caplen, ifSnaplen[0]);
        }
        if (caplen > CaptureReader.MAX_PACKET) {
            in.problem("block " + in.record + ": caplen " + caplen + " exceeds the " + CaptureReader.MAX_PACKET
                    + "-byte limit");
            readBlockRest(body - 4);
            return false;
        }
        p.length = (int) caplen;
        p.originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        p.linkType = ifLinkType[0];
        p.timestampMicros = lastTimestampMicros;
        return in.readFully(p.ensureCapacity(p.length), 0, p.length)
                && readBlockRest(body - 4 - p.length);
    }

    /** IDB: link type, snap length, and the options that change how timestamps read. */
    private boolean readInterface(int body) throws IOException {
        if (body < 8) {
            return in.end("block " + in.record + ": interface description of " + body + " body bytes, expected at least 8");
        }
        byte[] b = readBody(body);
        if (b == null) {
            return false;
        }
        if (interfaces == ifLinkType.length) {
            ifLinkType = Arrays.copyOf(ifLinkType, interfaces * 2);
            ifTsResol = Arrays.copyOf(ifTsResol, interfaces * 2);
            ifTsOffsetSeconds = Arrays.copyOf(ifTsOffsetSeconds, interfaces * 2);
            ifSnaplen = Arrays.copyOf(ifSnaplen, interfaces * 2);
        }
        int i = interfaces++;
        ifLinkType[i] = Bytes.u16(b, 0, littleEndian);
        ifSnaplen[i] = Bytes.u32(b, 4, littleEndian);
        ifTsResol[i] = 6;
        ifTsOffsetSeconds[i] = 0;
        for (int o = 8; o + 4 <= body; ) {
            int code = Bytes.u16(b, o, littleEndian);
            int len = Bytes.u16(b, o + 2, littleEndian);
            if (code == 0 || o + 4 + len > body) {
                break;
            }
            if (code == 9 && len >= 1) {
                ifTsResol[i] = Bytes.u8(b, o + 4);
            } else if (code == 14 && len >= 8) {
                ifTsOffsetSeconds[i] = littleEndian
                        ? Bytes.u32le(b, o + 8) << 32 | Bytes.u32le(b, o + 4)
                        : Bytes.u32(b, o + 4) << 32 | Bytes.u32(b, o + 8);
            }
            o += 4 + ((len + 3) & ~3);
        }
        return false;
    }

    /** Units since the epoch at a pcapng if_tsresol (10^-n, or 2^-n when the top bit is set) to micros. */
    static long toMicros(long units, int tsresol) {
        int n = tsresol & 0x7f;
        if ((tsresol & 0x80) != 0) {
            if (n > 40) {
                return 0; // no capture has sub-picosecond binary resolution: a corrupt option
            }
            return (units >>> n) * 1_000_000L + (((units & ((1L << n) - 1)) * 1_000_000L) >>> n);
        }
        if (n >= 6) {
            return n - 6 < POW10.length ? units / POW10[n - 6] : 0;
        }
        return units * POW10[6 - n];
    }

    private byte[] readBody(int body) throws IOException {
        if (scratch.length < body + 4) {
            scratch = new byte[body + 4];
        }
        return readBlockRest(body, scratch) ? scratch : null;
    }

    /** Reads the rest of a block body and its trailing length, and checks that length. */
    private boolean readBlockRest(int body) throws IOException {
        if (body + 4 > scratch.length && body + 4 <= CaptureReader.MAX_PACKET) {
            scratch = new byte[body + 4];
        }
        if (body + 4 > scratch.length) {
            if (!in.skip(body)) {
                return in.end("block " + in.record + ": file ends inside the block");
            }
            return in.readFully(head, 0, 4) && checkTrailer(head, 0);
        }
        return readBlockRest(body, scratch);
    }

    private boolean readBlockRest(int body, byte[] into) throws IOException {
        return in.readFully(into, 0, body + 4) && checkTrailer(into, body);
    }

    private boolean checkTrailer(byte[] b, int at) {
        // The trailing copy of the length guards against a block that lied about its size.
        long trailing = Bytes.u32(b, at, littleEndian);
        return trailing == blockLength || in.end("block " + in.record + ": trailing block length " + trailing
                + " differs from the leading " + blockLength);
    }
}
