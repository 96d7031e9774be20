package org.tiktokdetector.decode.capture;

import org.tiktokdetector.records.DnsAnswer;

import java.util.ArrayList;
import java.util.List;

/**
 * A DNS message (RFC 1035): header, questions, and the A, AAAA and CNAME answers with their TTLs.
 * Other answer types, and the authority and additional sections, are not kept.
 *
 * <p>Names: labels joined by dots without the trailing dot; bytes outside printable ASCII, and dots
 * or backslashes inside a label, are written as {@code \DDD} (RFC 4343). Compression pointers must
 * point strictly before the previous pointer's target, so every chain ends; a name over 255 bytes is
 * refused.
 */
public final class DnsMessage {
    private static final int HEADER = 12;
    private static final int MAX_NAME = 255;

    public record Question(String name, String type) {}

    public final int id;
    private static final int OPCODE_QUERY = 0;

    public final boolean response;
    public final int rcode;
    public final List<Question> questions;
    /** A, AAAA and CNAME records of the answer section, in order. */
    public final List<DnsAnswer> answers;

    private DnsMessage(int id, boolean response, int rcode, List<Question> questions, List<DnsAnswer> answers) {
        this.id = id;
        this.response = response;
        this.rcode = rcode;
        this.questions = questions;
        this.answers = answers;
    }

    /**
     * Parses the message at {@code b[off, off + len)}. Offsets in errors are from the message start.
     * An answer section that breaks off keeps the answers before the break.
     */
    public static DnsMessage parse(byte[] b, int off, int len) throws MalformedException {
        if (len < HEADER) {
            throw MalformedException.at(len, "a 12-byte DNS header, message has " + len + " bytes");
        }
        int end = off + len;
        int flags = Bytes.u16(b, off + 2);
        int qdcount = Bytes.u16(b, off + 4);
        int ancount = Bytes.u16(b, off + 6);
        List<Question> questions = new ArrayList<>(Math.min(qdcount, 4));
        int pos = off + HEADER;
        for (int i = 0; i < qdcount; i++) {
            String name = name(b, off, end, pos);
            pos = skipName(b, off, end, pos);
            if (pos + 4 > end) {
                throw MalformedException.at(pos - off, "question type and class");
            }
            questions.add(new Question(name, typeName(Bytes.u16(b, pos))));
            pos += 4;
        }
        boolean response = (flags & 0x8000) != 0;
        // Only a query's response answers: in an UPDATE (opcode 5) that section holds prerequisites (RFC 2136).
        boolean answered = response && (flags >> 11 & 0xf) == OPCODE_QUERY;
        List<DnsAnswer> answers = response ? new ArrayList<>(answered ? Math.min(ancount, 8) : 0) : null;
        try {
            for (int i = 0; answered && i < ancount; i++) {
                pos = skipName(b, off, end, pos);
                if (pos + 10 > end) {
                    throw MalformedException.at(pos - off, "resource record type, class, TTL and length");
                }
                int type = Bytes.u16(b, pos);
                long ttl = Bytes.u32(b, pos + 4);
                int rdlength = Bytes.u16(b, pos + 8);
                int rdata = pos + 10;
                if (rdata + rdlength > end) {
                    throw MalformedException.at(rdata - off, rdlength + " bytes of record data");
                }
                if (type == 1 && rdlength == 4) {
                    answers.add(new DnsAnswer("A", Bytes.ipv4(b, rdata), ttl));
                } else if (type == 28 && rdlength == 16) {
                    answers.add(new DnsAnswer("AAAA", Bytes.ipv6(b, rdata), ttl));
                } else if (type == 5) {
                    answers.add(new DnsAnswer("CNAME", name(b, off, end, rdata), ttl));
                }
                pos = rdata + rdlength;
            }
        } catch (MalformedException e) {
            // Keep the answers before the break: the questions and those are still what was on the wire.
        }
        return new DnsMessage(Bytes.u16(b, off), response, flags & 0xf, questions, answers);
    }

    /** Position after the name at {@code pos} (the name itself, up to its first pointer). */
    private static int skipName(byte[] b, int msg, int end, int pos) throws MalformedException {
        while (true) {
            int len = labelByte(b, msg, end, pos);
            if (len >= POINTER) {
                return pos + 2;
            }
            pos += 1 + len;
            if (len == 0) {
                return pos;
            }
        }
    }

    /** A label-length byte at or above this is a compression pointer (top two bits set). */
    private static final int POINTER = 0xc0;

    /**
     * The byte that opens a label at {@code pos}: its length (below 64), or, at {@link #POINTER} and above, the
     * first of a compression pointer's two bytes, both of which are there.
     */
    private static int labelByte(byte[] b, int msg, int end, int pos) throws MalformedException {
        if (pos >= end) {
            throw MalformedException.at(pos - msg, "a name label");
        }
        int len = Bytes.u8(b, pos);
        if (len >= POINTER) {
            if (pos + 2 > end) {
                throw MalformedException.at(pos - msg, "a 2-byte compression pointer");
            }
        } else if (len >= 64) {
            throw MalformedException.at(pos - msg, "a label length below 64 or a pointer, got 0x" + Integer.toHexString(len));
        }
        return len;
    }

    /** The text of the name at {@code pos}, following compression pointers. */
    static String name(byte[] b, int msg, int end, int pos) throws MalformedException {
        StringBuilder sb = new StringBuilder(64);
        int limit = pos; // every pointer must go strictly before this, so chains cannot loop
        int wire = 0;
        while (true) {
            int len = labelByte(b, msg, end, pos);
            if (len >= POINTER) {
                int target = msg + (((len & 0x3f) << 8) | Bytes.u8(b, pos + 1));
                if (target >= limit) {
                    throw MalformedException.at(pos - msg, "a compression pointer before offset " + (limit - msg)
                            + ", got " + (target - msg));
                }
                limit = target;
                pos = target;
                continue;
            }
            if (len == 0) {
                return sb.toString();
            }
            wire += len + 1;
            if (wire > MAX_NAME || pos + 1 + len > end) {
                throw MalformedException.at(pos - msg, wire > MAX_NAME ? "a name of at most 255 bytes" : "a label of " + len + " bytes");
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            for (int i = pos + 1; i <= pos + len; i++) {
                Bytes.appendEscaped(sb, Bytes.u8(b, i), true);
            }
            pos += 1 + len;
        }
    }

    /** Mnemonic of a record type (RFC 3597 "TYPEn" for the rest). */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 35 -> "NAPTR";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 48 -> "DNSKEY";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 257 -> "CAA";
            default -> "TYPE" + type;
        };
    }
}
