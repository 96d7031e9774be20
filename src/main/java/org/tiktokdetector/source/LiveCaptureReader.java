package org.tiktokdetector.source;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.Packet;
import org.tiktokdetector.decode.capture.Pcap4jCapture;
import org.tiktokdetector.flink.DetectorMetrics;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the interface in a thread of its own, which owns the libpcap handle: it reads packets (looking again every
 * {@link #IDLE_MILLIS} when none is waiting, so it sees a stop in time), decodes them ({@link CaptureLines}) and queues the
 * lines; the task thread hands them on. When the queue is full the capture thread waits, libpcap's buffer fills and
 * the kernel drops packets, which libpcap counts and the summary reports: a slow job loses packets visibly, never
 * memory. The thread also reads libpcap's counts once a second, for the metrics.
 */
final class LiveCaptureReader implements SourceReader<DecodedLine, LiveCaptureSource.Split> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCaptureReader.class);
    /** Large enough for any frame a NIC with GRO/TSO hands libpcap (up to 64 KiB), as tcpdump's default. */
    static final int SNAPLEN = 262_144;
    /** How long the kernel holds packets back to hand them over in blocks (libpcap's read timeout). */
    static final int BUFFER_TIMEOUT_MILLIS = 100;
    /** How long the capture thread waits when no packet is waiting, or for room in a full queue. */
    static final int IDLE_MILLIS = 20;
    /** libpcap's ring buffer: 8 MiB holds about a second of a busy gigabit link's filtered traffic. */
    static final int BUFFER_BYTES = 8 << 20;
    private static final int QUEUE = 4096;
    private static final int BATCH = 256;

    private final LiveCaptureSource.Options options;
    private final DecodedLine.TimeCheck time;
    private final LiveCaptureSource.Run run;
    private final BlockingQueue<DecodedLine> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private final CaptureLines lines;
    private Thread thread;
    private LiveCaptureSource.Split split;
    /** Set when the task closes the reader (cancelled, or failed elsewhere): the capture thread ends. */
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile IOException failure;
    private long number;

    LiveCaptureReader(SourceReaderContext context, LiveCaptureSource.Options options, InputLimits limits, LiveCaptureSource.Run run) {
        this.options = options;
        this.time = limits.wallClock();
        this.run = run;
        this.lines = new CaptureLines(new CaptureStats(options.iface()), limits.tunnelPorts());
        MetricGroup metrics = DetectorMetrics.group(context.metricGroup());
        metrics.gauge("live_packets_received", () -> run.counts.received());
        metrics.gauge("live_packets_dropped_kernel", () -> run.counts.droppedByKernel());
        metrics.gauge("live_packets_dropped_interface", () -> run.counts.droppedByInterface());
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<LiveCaptureSource.Split> splits) {
        split = splits.get(0);
        Pcap4jCapture capture;
        try {
            capture = Pcap4jCapture.openLive(options.iface(), SNAPLEN, BUFFER_TIMEOUT_MILLIS, BUFFER_BYTES);
            capture.filter(options.bpf());
        } catch (IOException e) {
            failure = e;
            ended = true;
            signal();
            return;
        }
        LOG.info("capturing on {}", options.iface());
        thread = new Thread(() -> capture(capture), "capture " + options.iface());
        thread.setDaemon(true);
        thread.start();
    }

    /** The capture thread: reads until a stop condition holds, then closes the handle. */
    private void capture(Pcap4jCapture capture) {
        long deadline = options.duration() == null ? Long.MAX_VALUE : System.currentTimeMillis() + options.duration().toMillis();
        long limit = options.packetCount() > 0 ? options.packetCount() : Long.MAX_VALUE;
        long read = 0;
        long nextCounts = 0;
        Packet packet = new Packet();
        try (capture) {
            while (!stopping() && read < limit && System.currentTimeMillis() < deadline) {
                if (capture.next(packet)) {
                    read++;
                    lines.accept(packet);
                    DecodedLine d;
                    while ((d = lines.poll()) != null && offer(d)) {
                        signal();
                    }
                } else {
                    Thread.sleep(IDLE_MILLIS); // polling a device: nothing in this process tells when a packet comes
                }
                if (System.currentTimeMillis() >= nextCounts) {
                    run.counts = capture.counts();
                    nextCounts = System.currentTimeMillis() + 1000;
                }
            }
            run.counts = capture.counts();
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Pcap4jCapture.Counts c = run.counts;
            LOG.info("{}; libpcap: {} packets received, {} dropped by the kernel, {} dropped by the interface",
                    lines.stats().summary(), c.received(), c.droppedByKernel(), c.droppedByInterface());
            ended = true;
            signal();
        }
    }

    /** Queues a line, waiting while the queue is full; false when the capture was stopped meanwhile. */
    private boolean offer(DecodedLine d) throws InterruptedException {
        while (!queue.offer(d, IDLE_MILLIS, TimeUnit.MILLISECONDS)) {
            if (stopping()) {
                return false;
            }
        }
        return true;
    }

    private boolean stopping() {
        return closing || run.stopRequested;
    }

    private void signal() {
        synchronized (lock) {
            available.complete(null);
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<DecodedLine> output) throws IOException {
        for (int i = 0; i < BATCH; i++) {
            DecodedLine d = queue.poll();
            if (d == null) {
                break;
            }
            d.judgeTime(time, options.iface(), ++number, -1, -1, () -> CaptureLines.original(d));
            d.locate(options.iface(), 0);
            output.collect(d, d.timestamp);
        }
        if (!queue.isEmpty()) {
            return InputStatus.MORE_AVAILABLE;
        }
        if (ended) {
            if (!queue.isEmpty()) {
                return InputStatus.MORE_AVAILABLE; // queued just before the thread ended
            }
            if (failure != null) {
                throw failure;
            }
            return InputStatus.END_OF_INPUT;
        }
        synchronized (lock) {
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
        }
        // a line queued (or the end reached) between the checks above and the new future completes it here
        if (!queue.isEmpty() || ended) {
            signal();
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public List<LiveCaptureSource.Split> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(split);
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (thread != null) {
            thread.join();
        }
    }
}
