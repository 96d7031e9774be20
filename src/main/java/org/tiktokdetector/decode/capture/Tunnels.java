package org.tiktokdetector.decode.capture;

import org.tiktokdetector.records.TunnelLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The encapsulations {@link PacketHeaders} peeled off one packet, outermost first, held as numbers so that
 * peeling allocates nothing: per layer its type, its id and the outer IP addresses that carried it. Together
 * they are the tunnel identity that {@link FlowKey} adds to a flow's addresses, so that the same inner
 * addresses in two tunnels (two tenants, two sites) are two flows. Reused for every packet.
 */
final class Tunnels {
    /** Layers peeled at most; a packet nested deeper is skipped. */
    static final int MAX_DEPTH = 8;
    static final long NO_ID = -1;
    /** Per layer: type and outer IP version, id, outer source (two words), outer destination (two words). */
    static final int WORDS = 6;

    enum Type {
        GRE(true), ERSPAN(true), VXLAN(true), GENEVE(true), GTP(true), MPLS(false), PBB(false), IPIP(true),
        TEREDO(true), AYIYA(true);

        /** False for the layers below IP (MPLS, PBB): they have no outer addresses of their own. */
        final boolean overIp;
        final String json = name().toLowerCase(Locale.ROOT);

        Type(boolean overIp) {
            this.overIp = overIp;
        }
    }

    private static final Type[] TYPES = Type.values();

    final long[] words = new long[MAX_DEPTH * WORDS];
    int depth;

    void clear() {
        depth = 0;
    }

    /**
     * Adds a layer, with the addresses of {@code h}'s current IP header when the type runs over IP.
     *
     * @return false when {@link #MAX_DEPTH} layers are there already
     */
    boolean push(Type type, long id, PacketHeaders h) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        int w = depth++ * WORDS;
        int version = type.overIp ? h.ipVersion : 0;
        words[w] = (long) type.ordinal() << 8 | version;
        words[w + 1] = id;
        words[w + 2] = version == 0 ? 0 : h.addressHigh(h.srcAddr);
        words[w + 3] = version == 0 ? 0 : h.addressLow(h.srcAddr);
        words[w + 4] = version == 0 ? 0 : h.addressHigh(h.dstAddr);
        words[w + 5] = version == 0 ? 0 : h.addressLow(h.dstAddr);
        return true;
    }

    int wordCount() {
        return depth * WORDS;
    }

    /** A hash of the identity; 0 when there is no tunnel. */
    long hash() {
        return hash(words, wordCount());
    }

    static long hash(long[] words, int n) {
        long h = 0;
        for (int i = 0; i < n; i++) {
            h = (h + words[i]) * 0x9E3779B97F4A7C15L;
        }
        return h ^ (h >>> 29);
    }

    /** The layers as a flow record carries them; null when the packet was in no tunnel. */
    List<TunnelLayer> layers() {
        if (depth == 0) {
            return null;
        }
        List<TunnelLayer> out = new ArrayList<>(depth);
        for (int w = 0; w < wordCount(); w += WORDS) {
            int version = (int) (words[w] & 0xff);
            out.add(new TunnelLayer(TYPES[(int) (words[w] >>> 8)].json, words[w + 1],
                    version == 0 ? null : address(version, words[w + 2], words[w + 3]),
                    version == 0 ? null : address(version, words[w + 4], words[w + 5])));
        }
        return out;
    }

    /** The text of an address packed by {@link PacketHeaders#addressHigh} and {@link PacketHeaders#addressLow}. */
    private static String address(int version, long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return version == 4 ? Bytes.ipv4(b, 4) : Bytes.ipv6(b, 0);
    }
}
