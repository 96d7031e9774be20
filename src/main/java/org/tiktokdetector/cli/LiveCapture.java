package org.tiktokdetector.cli;

import org.tiktokdetector.decode.capture.CaptureFilter;
import org.tiktokdetector.decode.capture.Pcap4jCapture;
import org.tiktokdetector.source.InputLimits;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.source.LiveCaptureSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code detect} options of live capture (local mode: {@code java -jar}), and the check that the capture can
 * start, made before the job is built: an unknown interface, a missing capability or a filter libpcap cannot compile
 * is one line and exit 2, never a failed job.
 */
final class LiveCapture {
    static final Set<String> VALUED = Set.of("interface", "bpf", "capture-duration", "packet-count");
    /** The options that only mean something with --interface. */
    private static final List<String> CAPTURE_ONLY = List.of("bpf", "capture-duration", "packet-count");

    static final String HELP = """
            live capture (local mode; needs root or CAP_NET_RAW, see README "Live capture"):
              --interface IF           capture on this interface (as `ip link` names it) instead of reading --input
              --bpf EXPR               tcpdump filter replacing the default, which passes only what the detector reads:
                                       DNS, QUIC long headers, clients' TLS/HTTP data on ports %s, TLS
                                       hellos and HTTP requests that start a segment on other ports, tunnels (GRE, IP
                                       in IP, the --tunnel-ports) and IP fragments; once more behind one VLAN tag.
                                       The expression in use is printed when the capture starts
              --capture-duration D     stop after this long (default: run until Ctrl-C or SIGTERM; both end the run
                                       cleanly: final violations are written and the summary printed)
              --packet-count N         stop after N packets have passed the filter (as tcpdump -c N)"""
            .formatted(CaptureFilter.WEB_PORTS.replace(" or ", ", "));

    private LiveCapture() {}

    static boolean chosen(Args args) {
        return args.has("interface");
    }

    /** Refuses capture options without --interface, and --interface with --input. */
    static void check(Args args) {
        if (!chosen(args)) {
            for (String o : CAPTURE_ONLY) {
                if (args.has(o)) {
                    throw new UsageException("--" + o + " is a live-capture option: give --interface IF too");
                }
            }
            return;
        }
        if (args.has("input")) {
            throw new UsageException("give either --interface (live capture) or --input (files), not both");
        }
    }

    /**
     * Opens the interface once, as the job will, with the filter it will use, and closes it again: the checks
     * libpcap makes (the interface exists, this process may capture, the filter compiles) then fail here, in one line.
     */
    static LiveCaptureSource source(Args args, InputLimits limits) {
        String iface = args.get("interface", null);
        Duration duration = args.has("capture-duration") ? args.getDuration("capture-duration", null) : null;
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new UsageException("--capture-duration must be longer than zero");
        }
        long count = args.getInt("packet-count", 0);
        if (args.has("packet-count") && count < 1) {
            throw new UsageException("--packet-count must be at least 1, got " + count);
        }
        try (Pcap4jCapture probe = Pcap4jCapture.openLive(iface, 1500, 100, 1 << 20)) {
            String bpf = args.has("bpf") ? String.join(" ", args.all("bpf")) : CaptureFilter.defaultFor(probe.linkType(), limits.tunnelPorts());
            probe.filter(bpf);
            return new LiveCaptureSource(new LiveCaptureSource.Options(iface, bpf, duration, count), limits);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** What the run summary says of the capture: libpcap's counts. */
    static String describe(LiveCaptureSource source) {
        Pcap4jCapture.Counts c = source.counts();
        return "live capture on " + source.options().iface() + " (" + c.received() + " packets received, "
                + c.droppedByKernel() + " dropped by the kernel, " + c.droppedByInterface() + " dropped by the interface)";
    }
}
