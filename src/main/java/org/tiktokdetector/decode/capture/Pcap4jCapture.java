package org.tiktokdetector.decode.capture;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.TimeoutException;

/**
 * The one class that touches pcap4j (and through it the native libpcap; Debian package libpcap0.8):
 * live capture on an interface with a BPF filter, and offline reading as an independent check of
 * {@link CaptureReader}. Slow per packet (docs/STACK.md), so replay uses {@link CaptureReader}.
 * libpcap reads pcapng only when all its interfaces share one link type.
 */
public final class Pcap4jCapture implements Closeable {
    private final PcapHandle handle;
    private final int linkType;

    private Pcap4jCapture(PcapHandle handle) {
        this.handle = handle;
        this.linkType = handle.getDlt().value();
    }

    /** Opens a capture file with nanosecond timestamps (libpcap scales microsecond files up). */
    public static Pcap4jCapture openOffline(Path file) throws IOException {
        try {
            return new Pcap4jCapture(Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO));
        } catch (PcapNativeException e) {
            throw new IOException("libpcap cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Captures live on {@code iface} (needs root or CAP_NET_RAW).
     *
     * @param bpfFilter a tcpdump filter, e.g. "udp port 53 or tcp port 443 or udp port 443"; empty for all
     * @param readTimeoutMillis how long {@link #next} waits for a packet before returning false
     */
    public static Pcap4jCapture openLive(String iface, String bpfFilter, int snaplen, int readTimeoutMillis)
            throws IOException {
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(iface);
            if (nif == null) {
                throw new IOException("no network interface named " + iface + "; list them with `ip link`");
            }
            PcapHandle handle = nif.openLive(snaplen, PcapNetworkInterface.PromiscuousMode.PROMISCUOUS, readTimeoutMillis);
            if (!bpfFilter.isEmpty()) {
                handle.setFilter(bpfFilter, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            return new Pcap4jCapture(handle);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("libpcap cannot capture on " + iface + " with filter \"" + bpfFilter + "\": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads the next packet into {@code p}.
     *
     * @return false at the end of a file, or when a live capture's read timeout passed without a packet
     */
    public boolean next(Packet p) throws IOException {
        try {
            byte[] bytes = handle.getNextRawPacketEx();
            Timestamp ts = handle.getTimestamp();
            p.set(linkType, Math.floorDiv(ts.getTime(), 1000) * 1_000_000L + ts.getNanos() / 1000, bytes, bytes.length);
            p.originalLength = handle.getOriginalLength();
            return true;
        } catch (EOFException | TimeoutException e) {
            return false;
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("libpcap read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
