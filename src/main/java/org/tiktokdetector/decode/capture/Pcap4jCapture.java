package org.tiktokdetector.decode.capture;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
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

    /** What libpcap counted on a live handle since it opened. */
    public record Counts(long received, long droppedByKernel, long droppedByInterface) {}

    /** Why a live capture could not start: each message is one line that says how to fix it. */
    public static final class CannotCapture extends IOException {
        CannotCapture(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Captures live on {@code iface}, promiscuous, without a filter yet ({@link #filter}); needs root or CAP_NET_RAW.
     * The handle does not block: {@link #next} returns false at once when no packet is waiting. (In blocking mode
     * Linux's libpcap waits for the first packet however short the read timeout, so a quiet interface would never let
     * the reader see that it should stop.)
     *
     * @param bufferTimeoutMillis how long the kernel holds packets back to hand them over in blocks
     * @param bufferBytes         libpcap's ring buffer: packets that arrive while it is full are dropped by the kernel
     * @throws CannotCapture for an unknown interface or missing permission
     */
    public static Pcap4jCapture openLive(String iface, int snaplen, int bufferTimeoutMillis, int bufferBytes) throws IOException {
        try {
            if (Pcaps.getDevByName(iface) == null) {
                throw new CannotCapture("no network interface named " + iface + "; list them with `ip link`", null);
            }
            PcapHandle handle = new PcapHandle.Builder(iface).snaplen(snaplen)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS).timeoutMillis(bufferTimeoutMillis)
                    .bufferSize(bufferBytes).build();
            try {
                handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            } catch (NotOpenException | PcapNativeException e) {
                handle.close();
                throw e;
            }
            return new Pcap4jCapture(handle);
        } catch (NotOpenException e) {
            throw new CannotCapture("libpcap cannot capture on " + iface + ": " + e.getMessage(), e);
        } catch (PcapNativeException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("ermission") || why.contains("not permitted") || why.contains("PERM")) {
                throw new CannotCapture("no permission to capture on " + iface + ": run as root, or allow java once with "
                        + "`sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))`", e);
            }
            throw new CannotCapture("libpcap cannot capture on " + iface + ": " + why.strip(), e);
        }
    }

    /**
     * Passes only packets that match this tcpdump expression.
     *
     * @throws CannotCapture when libpcap cannot compile it, with libpcap's reason
     */
    public void filter(String bpf) throws IOException {
        try {
            handle.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
            throw new CannotCapture("BPF filter \"" + bpf + "\" does not compile: " + String.valueOf(e.getMessage()).strip(), e);
        }
    }

    /** The handle's link type (a DLT number, as {@link Packet#linkType}). */
    public int linkType() {
        return linkType;
    }

    /** libpcap's counts of a live handle (pcap_stats): call it from the thread that reads. */
    public Counts counts() throws IOException {
        try {
            PcapStat s = handle.getStats();
            return new Counts(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("libpcap stats failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the next packet into {@code p}.
     *
     * @return false at the end of a file, or when no packet is waiting on a live capture
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
