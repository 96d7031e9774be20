package org.tiktokdetector.records;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The Community ID flow hash, version 1 (https://github.com/corelight/community-id-spec), with seed 0: the same
 * value Zeek, Suricata, Wireshark and Elastic compute for a TCP or UDP connection, so an analyst can find the
 * connection in any of their logs. {@code 1:} and the base64 of the SHA-1 of seed, the two endpoints in order
 * (lower address first, or lower port on equal addresses), protocol, a zero byte and the ports.
 */
public final class CommunityId {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private CommunityId() {}

    /** @return the flow's Community ID, or null when the record lacks part of its 5-tuple */
    public static String of(FlowRecord r) {
        String transport = r.transport != null ? r.transport
                : r.kind == Kind.QUIC ? "udp" : r.kind == Kind.TLS || r.kind == Kind.HTTP ? "tcp" : null;
        int proto = "tcp".equals(transport) ? TCP : "udp".equals(transport) ? UDP : -1;
        return proto < 0 ? null : of(r.clientIp, r.clientPort, r.serverIp, r.serverPort, proto);
    }

    /** @return the Community ID of a TCP (6) or UDP (17) flow, or null when an address is no literal or a port is unknown */
    public static String of(String srcIp, int srcPort, String dstIp, int dstPort, int proto) {
        byte[] src = IpLiteral.bytes(srcIp);
        byte[] dst = IpLiteral.bytes(dstIp);
        if (src == null || dst == null || src.length != dst.length || srcPort <= 0 || dstPort <= 0) {
            return null;
        }
        int order = Arrays.compareUnsigned(src, dst);
        if (order > 0 || (order == 0 && srcPort > dstPort)) {
            byte[] a = src;
            src = dst;
            dst = a;
            int p = srcPort;
            srcPort = dstPort;
            dstPort = p;
        }
        ByteBuffer b = ByteBuffer.allocate(2 + 2 * src.length + 2 + 4);
        b.putShort((short) 0).put(src).put(dst).put((byte) proto).put((byte) 0)
                .putShort((short) srcPort).putShort((short) dstPort);
        try {
            return "1:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-1", e);
        }
    }
}
