package org.tiktokdetector.decode.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Frames the packets of a pcap or pcapng capture read from a stream. Our own framing because
 * pcap4j's offline loop is about 100 times slower than walking the records (docs/STACK.md), and a
 * Flink file source hands us a stream, not a path.
 *
 * <p>pcap: both byte orders, microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) timestamps.
 * pcapng: sections of either byte order, several interfaces with their own link types, if_tsresol and
 * if_tsoffset; enhanced, simple and the obsolete packet blocks; other blocks are skipped. Simple packet
 * blocks carry no time, so they get the time of the packet before them.
 *
 * <p>Never throws on bad data: a record that lies about its lengths, or a file that ends inside a record,
 * is reported to {@link CaptureStats#problem} with the capture name and record number, and reading either
 * skips that record (when the framing is still known) or ends. Only the stream's own I/O errors propagate.
 */
public final class CaptureReader implements Closeable {
    /** Largest packet accepted; anything bigger is a lying length, not a packet. */
    public static final int MAX_PACKET = 256 * 1024;
    /** Largest non-packet pcapng block skipped before the file is deemed corrupt. */
    private static final int MAX_BLOCK = 16 * 1024 * 1024;

    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_IDB = 1;
    private static final int PCAPNG_OBSOLETE_PB = 2;
    private static final int PCAPNG_SPB = 3;
    private static final int PCAPNG_EPB = 6;
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private enum Format { UNKNOWN, PCAP, PCAPNG, END }

    private final InputStream in;
    private final CaptureStats stats;
    private final byte[] head = new byte[32];
    private byte[] scratch = new byte[256];
    private Format format = Format.UNKNOWN;
    private boolean littleEndian;
    private long record;
    private long lastTimestampMicros;

    // pcap
    private boolean nanoseconds;
    private long snaplen;
    private int pcapLinkType;

    // pcapng, per interface of the current section
    /** Length of the pcapng block being read, to check against its trailing copy. */
    private long blockLength;
    private boolean firstBlockTypeRead;
    private int interfaces;
    private int[] ifLinkType = new int[4];
    private int[] ifTsResol = new int[4];
    private long[] ifTsOffsetSeconds = new long[4];
    private long[] ifSnaplen = new long[4];

    public CaptureReader(InputStream in, CaptureStats stats) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.stats = stats;
    }

    /**
     * Reads the next packet into {@code p}.
     *
     * @return false at the end of the capture, or when its framing is lost
     */
    public boolean next(Packet p) throws IOException {
        if (format == Format.UNKNOWN) {
            readFileHeader();
        }
        boolean got = switch (format) {
            case PCAP -> nextPcap(p);
            case PCAPNG -> nextPcapng(p);
            default -> false;
        };
        if (got) {
            lastTimestampMicros = p.timestampMicros;
        } else {
            format = Format.END;
        }
        return got;
    }

    private void readFileHeader() throws IOException {
        int n = in.readNBytes(head, 0, 4);
        if (n < 4) {
            end(n == 0 ? "is empty" : "ends inside the file header");
            return;
        }
        long magic = Bytes.u32(head, 0);
        if (magic == PCAPNG_SHB) {
            format = Format.PCAPNG;
            firstBlockTypeRead = true; // the section header block is read as a block, from its length on
            return;
        }
        if (magic == 0xa1b2c3d4L || magic == 0xa1b23c4dL) {
            littleEndian = false;
        } else if (magic == 0xd4c3b2a1L || magic == 0x4d3cb2a1L) {
            littleEndian = true;
        } else {
            end("is not a pcap or pcapng file: it starts with 0x" + Bytes.hex(head, 0, 4)
                    + ", expected a1b2c3d4, d4c3b2a1, a1b23c4d, 4d3cb2a1 or 0a0d0d0a");
            return;
        }
        nanoseconds = magic == 0xa1b23c4dL || magic == 0x4d3cb2a1L;
        if (!readFully(head, 4, 20)) {
            return;
        }
        snaplen = Bytes.u32(head, 16, littleEndian);
        pcapLinkType = (int) (Bytes.u32(head, 20, littleEndian) & 0xffff); // upper bits: FCS length
        format = Format.PCAP;
    }

    private boolean nextPcap(Packet p) throws IOException {
        while (true) {
            int n = in.readNBytes(head, 0, 16);
            if (n == 0) {
                return false;
            }
            record++;
            if (n < 16) {
                return end("record " + record + ": file ends inside the record header (" + n + " of 16 bytes)");
            }
            long caplen = Bytes.u32(head, 8, littleEndian);
            if (caplen > MAX_PACKET) {
                return end("record " + record + ": caplen " + caplen + " exceeds the " + MAX_PACKET + "-byte limit");
            }
            long frac = Bytes.u32(head, 4, littleEndian);
            p.linkType = pcapLinkType;
            p.timestampMicros = Bytes.u32(head, 0, littleEndian) * 1_000_000L + (nanoseconds ? frac / 1000 : frac);
            p.originalLength = (int) Math.min(Bytes.u32(head, 12, littleEndian), Integer.MAX_VALUE);
            p.length = (int) caplen;
            boolean lying = snaplen > 0 && caplen > snaplen;
            if (lying) {
                problem("record " + record + ": caplen " + caplen + " exceeds snaplen " + snaplen);
            }
            if (!readFully(p.ensureCapacity(p.length), 0, p.length)) {
                return false;
            }
            if (!lying) {
                return true;
            } // else skip the suspect record: the next header tells whether the framing survived
        }
    }

    private boolean nextPcapng(Packet p) throws IOException {
        while (true) {
            int n = firstBlockTypeRead ? 4 + in.readNBytes(head, 4, 4) : in.readNBytes(head, 0, 8);
            firstBlockTypeRead = false;
            if (n == 0) {
                return false;
            }
            record++;
            if (n < 8) {
                return end("block " + record + ": file ends inside the block header (" + n + " of 8 bytes)");
            }
            int type = (int) Bytes.u32(head, 0, littleEndian);
            if (type == PCAPNG_SHB) {
                if (!readFully(head, 8, 4)) {
                    return false;
                }
                long bom = Bytes.u32(head, 8);
                if (bom != 0x1A2B3C4DL && bom != 0x4D3C2B1AL) {
                    return end("block " + record + ": section header byte-order magic 0x" + Bytes.hex(head, 8, 4)
                            + ", expected 1a2b3c4d or 4d3c2b1a");
                }
                littleEndian = bom == 0x4D3C2B1AL;
                interfaces = 0;
            }
            blockLength = Bytes.u32(head, 4, littleEndian);
            int minimum = type == PCAPNG_SHB ? 28 : 12;
            if (blockLength < minimum || blockLength % 4 != 0 || blockLength > MAX_BLOCK) {
                return end("block " + record + ": block length " + blockLength
                        + ", expected a multiple of 4 from " + minimum + " to " + MAX_BLOCK);
            }
            int body = (int) blockLength - (type == PCAPNG_SHB ? 12 : 8) - 4;
            boolean isPacket = switch (type) {
                case PCAPNG_EPB -> readPacketBlock(p, body, false);
                case PCAPNG_OBSOLETE_PB -> readPacketBlock(p, body, true);
                case PCAPNG_SPB -> readSimplePacket(p, body);
                case PCAPNG_IDB -> readInterface(body);
                default -> {
                    readBlockRest(body);
                    yield false;
                }
            };
            if (isPacket) {
                return true;
            }
            if (format == Format.END) {
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
            return end("block " + record + ": packet block of " + body + " body bytes, expected at least 20");
        }
        if (!readFully(head, 0, 20)) {
            return false;
        }
        long iface = obsolete ? Bytes.u16(head, 0, littleEndian) : Bytes.u32(head, 0, littleEndian);
        long caplen = Bytes.u32(head, 12, littleEndian);
        if (caplen > body - 20 || caplen > MAX_PACKET) {
            problem("block " + record + ": captured length " + caplen + " exceeds the block's " + (body - 20)
                    + " data bytes");
            readBlockRest(body - 20);
            return false;
        }
        if (iface >= interfaces) {
            problem("block " + record + ": interface " + iface + " is not described (" + interfaces + " interfaces)");
            readBlockRest(body - 20);
            return false;
        }
        int i = (int) iface;
        p.length = (int) caplen;
        p.originalLength = (int) Math.min(Bytes.u32(head, 16, littleEndian), Integer.MAX_VALUE);
        p.linkType = ifLinkType[i];
        long units = Bytes.u32(head, 4, littleEndian) << 32 | Bytes.u32(head, 8, littleEndian);
        p.timestampMicros = toMicros(units, ifTsResol[i]) + ifTsOffsetSeconds[i] * 1_000_000L;
        if (!readFully(p.ensureCapacity(p.length), 0, p.length)
                || !readBlockRest(body - 20 - p.length)) {
            return false;
        }
        if (ifSnaplen[i] > 0 && caplen > ifSnaplen[i]) {
            problem("block " + record + ": caplen " + caplen + " exceeds snaplen " + ifSnaplen[i]);
            return false;
        }
        return true;
    }

    /** SPB: original length, then data cut to the interface's snap length; no timestamp. */
    private boolean readSimplePacket(Packet p, int body) throws IOException {
        if (body < 4 || interfaces == 0) {
            problem("block " + record + ": simple packet block without an interface or of " + body + " bytes");
            readBlockRest(body);
            return false;
        }
        if (!readFully(head, 0, 4)) {
            return false;
        }
        long original = Bytes.u32(head, 0, littleEndian);
        long caplen = Math.min(original, body - 4);
        if (ifSnaplen[0] > 0) {
            caplen = Math.min(caplen, ifSnaplen[0]);
        }
        if (caplen > MAX_PACKET) {
            problem("block " + record + ": caplen " + caplen + " exceeds the " + MAX_PACKET + "-byte limit");
            readBlockRest(body - 4);
            return false;
        }
        p.length = (int) caplen;
        p.originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        p.linkType = ifLinkType[0];
        p.timestampMicros = lastTimestampMicros;
        return readFully(p.ensureCapacity(p.length), 0, p.length)
                && readBlockRest(body - 4 - p.length);
    }

    /** IDB: link type, snap length, and the options that change how timestamps read. */
    private boolean readInterface(int body) throws IOException {
        if (body < 8) {
            return end("block " + record + ": interface description of " + body + " body bytes, expected at least 8");
        }
        byte[] b = readBody(body);
        if (b == null) {
            return false;
        }
        if (interfaces == ifLinkType.length) {
            ifLinkType = java.util.Arrays.copyOf(ifLinkType, interfaces * 2);
            ifTsResol = java.util.Arrays.copyOf(ifTsResol, interfaces * 2);
            ifTsOffsetSeconds = java.util.Arrays.copyOf(ifTsOffsetSeconds, interfaces * 2);
            ifSnaplen = java.util.Arrays.copyOf(ifSnaplen, interfaces * 2);
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
        if (body + 4 > scratch.length && body + 4 <= MAX_PACKET) {
            scratch = new byte[body + 4];
        }
        if (body + 4 > scratch.length) {
            long skipped = in.skip(body);
            while (skipped < body) {
                if (in.read() < 0) {
                    return end("block " + record + ": file ends inside the block");
                }
                skipped++;
            }
            return readFully(head, 0, 4) && checkTrailer(head, 0);
        }
        return readBlockRest(body, scratch);
    }

    private boolean readBlockRest(int body, byte[] into) throws IOException {
        return readFully(into, 0, body + 4) && checkTrailer(into, body);
    }

    private boolean checkTrailer(byte[] b, int at) {
        // The trailing copy of the length guards against a block that lied about its size.
        long trailing = Bytes.u32(b, at, littleEndian);
        return trailing == blockLength || end("block " + record + ": trailing block length " + trailing
                + " differs from the leading " + blockLength);
    }

    private boolean readFully(byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        return n == len || end(where() + ": file ends inside it (" + n + " of " + len + " bytes present)");
    }

    /** What is being read, for a message; built only when there is a problem (not per packet). */
    private String where() {
        return switch (format) {
            case UNKNOWN -> "file header";
            case PCAP -> "record " + record;
            default -> "block " + record;
        };
    }

    private void problem(String message) {
        stats.problem("capture " + stats.capture() + " " + message);
    }

    /** Reports a problem after which the framing is lost, and ends the capture. */
    private boolean end(String message) {
        problem(message);
        format = Format.END;
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
