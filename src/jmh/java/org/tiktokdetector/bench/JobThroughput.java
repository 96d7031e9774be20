package org.tiktokdetector.bench;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.aggregate.DeviceWindow;
import org.tiktokdetector.cli.Main;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.match.Blocklist;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.source.InputFiles;
import org.tiktokdetector.source.SplitReader;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole job on files, against the bare decode+match loop on the same files.
 *
 * <ol>
 *   <li>Writes N flow records (deterministic; reused when the folder already holds the same set) into four files:
 *       Zeek dns.log and ssl.log, Suricata EVE (DNS v2 and v3 and TLS events interleaved) and the own flow-record
 *       format. 99% of the names are ordinary domains, 1% TikTok/ByteDance names, from 2% of the devices;
 *       timestamps advance over one hour.</li>
 *   <li>Runs {@code detect} on them (the CLI's own path: DetectCommand, DetectionJob) at parallelism 2 and prints
 *       records/s, hits, violations, wall time, peak heap (MemoryPoolMXBean peaks) and peak RSS (VmHWM). Also: the
 *       fixed cost of a run (a one-record input run just before each measured run) and the rate without it, and the process CPU time,
 *       because on a shared machine the cores a run gets vary: records per CPU-second compare fairly.</li>
 *   <li>Runs the bare loop: the same file reader, decoder, normaliser and list, one thread, no Flink; prints its
 *       records/s and the job/bare ratio.</li>
 *   <li>Estimates the window state per active device (a typical DeviceWindow through Flink's serializer, and on the heap).</li>
 * </ol>
 * <pre>java -Xmx3g -cp target/benchmarks.jar org.tiktokdetector.bench.JobThroughput [--records 5000000] [--devices 20000] [--runs 3] [--dir /tmp/tiktok-detector-bench]</pre>
 */
public final class JobThroughput {
    private static final long START = 1_795_510_800_000L; // 2026-11-24T09:00:00Z
    private static final long SPAN = 3_600_000L;
    static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) flow records, (\\d+) ignored, (\\d+) malformed[^;]*; (\\d+) hits, \\d+ late[^;]*; (\\d+) violation records");

    private JobThroughput() {}

    public static void main(String[] argv) throws Exception {
        int records = ListLoad.intArg(argv, "--records", 5_000_000);
        int devices = ListLoad.intArg(argv, "--devices", 20_000);
        int runs = ListLoad.intArg(argv, "--runs", 3);
        Path dir = Path.of(stringArg(argv, "--dir", System.getProperty("java.io.tmpdir") + "/tiktok-detector-bench"));
        List<Path> files = generate(dir.resolve(records + "-" + devices), records, devices);
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("input: %d records, %d devices, %d files, %.0f MB in %s%n", records, devices, files.size(), bytes / 1e6, dir);
        System.out.printf("machine: %d cores, max heap %d MB, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));

        // The fixed cost of a run (start the embedded cluster, submit, tear down), from a one-record input run just
        // before each measured run (so as warm as it), so the per-record rate can also be shown without it.
        Path one = dir.resolve("one-record.log");
        Files.writeString(one, Files.readAllLines(files.get(0)).get(0) + "\n");

        double[] job = new double[runs];
        double[] jobNet = new double[runs];
        double[] bare = new double[runs];
        double[] jobPerCpu = new double[runs];
        double[] barePerCpu = new double[runs];
        for (int run = 0; run < runs; run++) {
            long f0 = System.nanoTime();
            runJob(List.of(one), dir);
            double fixed = (System.nanoTime() - f0) / 1e9;
            resetPeaks();
            long t0 = System.nanoTime();
            long c0 = processCpuNanos();
            long[] counts = runJob(files, dir);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - c0) / 1e9;
            job[run] = counts[0] / seconds;
            // NaN when the input is too small to outlast the start-up: no rate can be told apart from it.
            jobNet[run] = seconds > fixed ? counts[0] / (seconds - fixed) : Double.NaN;
            jobPerCpu[run] = counts[0] / cpu;
            System.out.printf("run %d job:  %,d records in %.2f s = %,.0f records/s (%,.0f without the fixed cost of %.2f s); %.2f cores used, "
                            + "%,.0f records per CPU-second; %d ignored, %d malformed; %d hits; %d violation records; "
                            + "peak heap used %d MB; peak RSS %d MB%n", run + 1, counts[0], seconds, job[run], jobNet[run], fixed, cpu / seconds,
                    jobPerCpu[run], counts[1], counts[2], counts[3], counts[4], peakHeapUsed() >> 20, peakRssKb() >> 10);

            long t1 = System.nanoTime();
            long c1 = processCpuNanos();
            long[] b = bareLoop(files);
            double bareSeconds = (System.nanoTime() - t1) / 1e9;
            double bareCpu = (processCpuNanos() - c1) / 1e9;
            bare[run] = b[0] / bareSeconds;
            barePerCpu[run] = b[0] / bareCpu;
            System.out.printf("run %d bare: %,d records in %.2f s = %,.0f records/s; %.2f cores used, %,.0f records per CPU-second; "
                            + "%d hits (one thread, no Flink); job/bare %.2f%n",
                    run + 1, b[0], bareSeconds, bare[run], bareCpu / bareSeconds, barePerCpu[run], b[1], job[run] / bare[run]);
        }
        double[] ratio = new double[runs];
        double[] ratioCpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            ratio[i] = job[i] / bare[i];
            ratioCpu[i] = jobPerCpu[i] / barePerCpu[i];
        }
        System.out.printf("median of %d: job %,.0f records/s (%,.0f without the fixed cost), bare loop %,.0f records/s, job/bare %.2f; "
                        + "per CPU-second: job %,.0f, bare %,.0f, job/bare %.2f%n",
                runs, ListLoad.median(job), ListLoad.median(jobNet), ListLoad.median(bare), ListLoad.median(ratio),
                ListLoad.median(jobPerCpu), ListLoad.median(barePerCpu), ListLoad.median(ratioCpu));
        windowState();
    }

    /** CPU time of the whole process (all threads: tasks, GC, JIT); shows how much of the shared machine a phase got. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // ------------------------------------------------------------------------------------------ the job

    /** @return records, ignored, malformed, hits, violation records: from the job's own summary line */
    private static long[] runJob(List<Path> files, Path dir) throws Exception {
        Path out = dir.resolve("violations.jsonl");
        List<String> argv = new ArrayList<>(List.of("detect", "--parallelism", "2", "--out", out.toString(),
                "--dead-letter", dir.resolve("dead-letter.jsonl").toString(), "--late", dir.resolve("late.jsonl").toString(), "--input"));
        files.forEach(f -> argv.add(f.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String summary = err.toString(StandardCharsets.UTF_8);
        Matcher m = SUMMARY.matcher(summary);
        if (code != 0 || !m.find()) {
            throw new IllegalStateException("detect failed (exit " + code + "): " + summary);
        }
        long[] counts = new long[5];
        for (int i = 0; i < 5; i++) {
            counts[i] = Long.parseLong(m.group(i + 1));
        }
        return counts;
    }

    /** The job's work without Flink: read, decode, normalise, match; one thread. @return records, hits */
    private static long[] bareLoop(List<Path> files) throws IOException {
        List<BlocklistRule> rules = BlocklistParser.parseDefault().rules();
        Blocklist list = Blocklist.of(rules);
        long records = 0;
        long hits = 0;
        DetectionJob.Settings settings = DetectionJob.Settings.defaults();
        for (InputFiles.Input in : InputFiles.find(files.stream().map(Path::toString).toList(), settings.maxAhead(),
                settings.outOfOrderness()).inputs()) {
            SplitReader reader = SplitReader.open(in, settings.limits());
            for (DecodedLine line; (line = reader.next()) != null; ) {
                for (FlowRecord r : line.records) {
                    records++;
                    if (list.match(r.name) != null) { // normalises as it matches, as the job's matcher does
                        hits++;
                    }
                }
            }
            reader.close();
        }
        return new long[] {records, hits};
    }

    // ------------------------------------------------------------------------------------------ input

    private static List<Path> generate(Path dir, int records, int devices) throws IOException {
        List<Path> files = List.of(dir.resolve("zeek-dns.log"), dir.resolve("zeek-ssl.log"), dir.resolve("suricata-eve.json"),
                dir.resolve("flows.jsonl"));
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return files;
        }
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        // Shares of the records per file: Zeek DNS 35%, Zeek SSL 25%, Suricata 30%, own 10%.
        double[] share = {0.35, 0.25, 0.30, 0.10};
        BenchData data = new BenchData(2026);
        String[] ordinary = new String[200_000];
        for (int i = 0; i < ordinary.length; i++) {
            ordinary[i] = data.ordinaryName();
        }
        int tiktokUsers = Math.max(1, devices / 50);
        for (int f = 0; f < files.size(); f++) {
            int n = (int) Math.round(records * share[f]);
            if (f == files.size() - 1) {
                n = records - (int) Math.round(records * share[0]) - (int) Math.round(records * share[1])
                        - (int) Math.round(records * share[2]);
            }
            try (BufferedWriter w = Files.newBufferedWriter(files.get(f), StandardCharsets.UTF_8)) {
                for (int i = 0; i < n; i++) {
                    long millis = START + SPAN * i / n + data.random().nextInt(200);
                    boolean hit = data.random().nextInt(100) == 0;
                    int device = hit ? data.random().nextInt(tiktokUsers) : data.random().nextInt(devices);
                    String name = hit ? data.tiktokName() : ordinary[data.random().nextInt(ordinary.length)];
                    w.write(switch (f) {
                        case 0 -> data.zeekDns(millis, device, name);
                        case 1 -> data.zeekSsl(millis, device, name);
                        case 2 -> switch (i % 3) {
                            case 0 -> data.suricataDnsV2(millis, device, name);
                            case 1 -> data.suricataDnsV3(millis, device, name);
                            default -> data.suricataTls(millis, device, name);
                        };
                        default -> data.own(millis, device, name);
                    });
                    w.write('\n');
                }
            }
        }
        Files.createFile(done);
        System.out.printf("generated %d records in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
        return files;
    }

    // ------------------------------------------------------------------------------------------ memory

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
    private static long peakHeapUsed() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM: the process's peak resident set, in kB (0 where /proc is missing). */
    private static long peakRssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /**
     * A typical active device's window: 12 hits on 5 names, 2 kinds, one address and sensor, 4 resolved addresses.
     * Serialized size with Flink's POJO serializer (what a checkpoint or RocksDB holds), and heap size (the heap
     * state backend) from 20,000 such windows.
     */
    private static void windowState() throws Exception {
        TypeSerializer<DeviceWindow> serializer = TypeInformation.of(DeviceWindow.class).createSerializer(new SerializerConfigImpl());
        BlocklistRule rule = BenchData.defaultRules().get(0);
        DataOutputSerializer out = new DataOutputSerializer(4096);
        serializer.serialize(typicalWindow(0, rule), out);
        int count = 20_000;
        long before = ListLoad.usedHeapAfterGc();
        DeviceWindow[] windows = new DeviceWindow[count];
        for (int i = 0; i < count; i++) {
            windows[i] = typicalWindow(i, rule);
        }
        long after = ListLoad.usedHeapAfterGc();
        System.out.printf("window state per active device (12 hits, 5 names): %d bytes serialized, ~%d bytes on the heap%n",
                out.length(), (after - before) / windows.length);
    }

    private static DeviceWindow typicalWindow(int device, BlocklistRule rule) {
        DeviceWindow w = new DeviceWindow();
        for (int i = 0; i < 12; i++) {
            FlowRecord r = new FlowRecord(START + i * 1000L, i % 3 == 0 ? Kind.TLS : Kind.DNS, "10.20." + (device >> 8 & 0xff) + "." + (device & 0xff),
                    50000 + i, "10.20.0.53", 53, "udp", BenchData.TIKTOK_NAMES[i % 5]);
            r.sensor = "tap-hq-1";
            if (r.kind == Kind.DNS) {
                r.answers = List.of(new DnsAnswer("A", "23.62.226." + (150 + i % 4), 60));
            }
            Hit h = rule.hit(r, 0);
            h.deviceId = r.clientIp;
            w.add(h);
        }
        return w;
    }

    static String stringArg(String[] argv, String name, String fallback) {
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals(name)) {
                return argv[i + 1];
            }
        }
        return fallback;
    }
}
