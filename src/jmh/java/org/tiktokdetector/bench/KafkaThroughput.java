package org.tiktokdetector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.tiktokdetector.cli.Main;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole job in Kafka mode through a real broker, with the CPU the broker takes apart from the job's.
 *
 * <ol>
 *   <li>Writes N flow records into one file in event-time order (reused when the folder already has it): JobThroughput's
 *       mix (Zeek dns.log 35%, ssl.log 25%, Suricata EVE 30%, own flow records 10%; 1% TikTok/ByteDance names from 2% of
 *       20,000 devices; one hour of event time).</li>
 *   <li>Starts a Kafka broker in a JVM of its own ({@link KafkaServerProcess}) and loads the file into a flows topic of
 *       several partitions with the project's own {@code produce} command, before anything is timed.</li>
 *   <li>Each run, in child JVMs started as a user starts {@code java ... Main detect}: the same records replayed from
 *       the file (local mode); {@code detect} in Kafka mode on a one-record topic (the fixed cost: JVM, embedded cluster,
 *       the wait for the checkpoint that commits the output, shutdown); then {@code detect} in Kafka mode on the flows
 *       topic, exactly once with checkpoints as documented, {@code --until-latest}. A Kafka run is timed from starting
 *       its JVM until it has exited, which it does only once its last checkpoint has committed the output transactions.</li>
 *   <li>Checks each Kafka run against the file replay and fails loudly if any differs: all N records read, the same flow
 *       records, hits and violation records in the job's summary, and the final violations readable (read_committed)
 *       equal to the file replay's, but for where each hit was read.</li>
 *   <li>Prints records/s, the CPU seconds of the job's JVM (from this process's reaped-children times in
 *       /proc/self/stat) and of the broker's JVM during the run (/proc/PID/stat), the broker's share of the two, records
 *       per CPU-second, the file replay's figures and the load average; then the medians.</li>
 * </ol>
 * With {@code --jfr DIR} each Kafka run's job JVM records a flight recording ({@code settings=profile}) and the broker
 * one for the same span (started and stopped with jcmd): {@code bench/jfr-hot.py} summarises them.
 * <pre>java -cp target/benchmarks.jar org.tiktokdetector.bench.KafkaThroughput [--records 1000000] [--runs 3] [--partitions 4]
 *     [--checkpoint-interval 10s] [--jfr DIR] [--dir /tmp/tiktok-detector-kafka-bench]</pre>
 */
public final class KafkaThroughput {
    private static final long START = 1_795_510_800_000L; // 2026-11-24T09:00:00Z
    private static final long SPAN = 3_600_000L;
    private static final int DEVICES = 20_000;
    private static final Pattern NET_RUNTIME = Pattern.compile("records read in ([0-9.]+) s");
    private static final List<String> JOB_JVM = List.of("-Xmx2g");
    private static final String BROKER_HEAP = "1g";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaThroughput() {}

    /** What one {@code detect} child run gave. */
    private record Run(double seconds, double cpu, long[] counts, double netRuntime, Path log) {}

    public static void main(String[] argv) throws Exception {
        int records = ListLoad.intArg(argv, "--records", 1_000_000);
        int runs = ListLoad.intArg(argv, "--runs", 3);
        int partitions = ListLoad.intArg(argv, "--partitions", 4);
        String interval = JobThroughput.stringArg(argv, "--checkpoint-interval", "10s");
        String jfr = JobThroughput.stringArg(argv, "--jfr", null);
        Path dir = Path.of(JobThroughput.stringArg(argv, "--dir", System.getProperty("java.io.tmpdir") + "/tiktok-detector-kafka-bench"));
        Path flows = generate(dir.resolve(String.valueOf(records)), records);
        Path oneRecord = dir.resolve("one-record.jsonl");
        try (var in = Files.newBufferedReader(flows)) {
            Files.writeString(oneRecord, in.readLine() + "\n");
        }
        Path jfrDir = jfr == null ? null : Files.createDirectories(Path.of(jfr).toAbsolutePath());
        System.out.printf("input: %,d records, %.0f MB in %s; %d cores; load average %s%n", records, Files.size(flows) / 1e6, flows,
                Runtime.getRuntime().availableProcessors(), loadAverage());

        Path work = Files.createDirectories(dir.resolve("runs"));
        try (KafkaServerProcess broker = KafkaServerProcess.start(Files.createTempDirectory(dir, "broker-"), BROKER_HEAP)) {
            broker.createTopics(partitions, "flows");
            broker.createTopics(1, "one");
            long t0 = System.nanoTime();
            double brokerCpu0 = cpuSeconds(broker.pid());
            produce(broker, "flows", flows);
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            produce(broker, "one", oneRecord);
            System.out.printf("broker pid %d at %s (log %s); produced %,d records into %d partitions in %.1f s (%,.0f records/s; "
                            + "broker CPU %.1f s)%n", broker.pid(), broker.bootstrap(), broker.dir().resolve("server.log"), records,
                    partitions, produceSeconds, records / produceSeconds, cpuSeconds(broker.pid()) - brokerCpu0);

            double[] rate = new double[runs];
            double[] rateNet = new double[runs];
            double[] share = new double[runs];
            double[] perCpu = new double[runs];
            double[] fileRate = new double[runs];
            double[] ratio = new double[runs];
            double[] cpuRatio = new double[runs];
            for (int run = 1; run <= runs; run++) {
                String load0 = loadAverage();
                Path out = Files.createDirectories(work.resolve("file-" + run));
                Run file = detect(out.resolve("detect.log"), List.of(), "--input", flows.toString(), "--parallelism", "2",
                        "--out", out.resolve("violations.jsonl").toString(), "--dead-letter", out.resolve("dead-letter.jsonl").toString(),
                        "--late", out.resolve("late.jsonl").toString());
                Run fixed = kafkaRun(broker, work, "one", "fixed-" + run, partitions, interval, List.of());

                String name = "run-" + run;
                List<String> jvm = new ArrayList<>(JOB_JVM);
                if (jfrDir != null) {
                    jvm.add("-XX:StartFlightRecording=filename=" + jfrDir.resolve("job-" + name + ".jfr") + ",settings=profile,dumponexit=true");
                    jcmd(broker.pid(), "JFR.start", "name=kafka-bench", "settings=profile",
                            "filename=" + jfrDir.resolve("broker-" + name + ".jfr"));
                }
                double b0 = cpuSeconds(broker.pid());
                Run kafka = kafkaRun(broker, work, "flows", name, partitions, interval, jvm);
                double brokerCpu = cpuSeconds(broker.pid()) - b0;
                if (jfrDir != null) {
                    jcmd(broker.pid(), "JFR.stop", "name=kafka-bench");
                }

                rate[run - 1] = records / kafka.seconds;
                rateNet[run - 1] = kafka.seconds > fixed.seconds ? records / (kafka.seconds - fixed.seconds) : Double.NaN;
                share[run - 1] = brokerCpu / (brokerCpu + kafka.cpu);
                perCpu[run - 1] = records / (brokerCpu + kafka.cpu);
                fileRate[run - 1] = records / file.seconds;
                ratio[run - 1] = rate[run - 1] / fileRate[run - 1];
                cpuRatio[run - 1] = (brokerCpu + kafka.cpu) / file.cpu;
                System.out.printf("run %d kafka: %,d records in %.2f s = %,.0f records/s (%,.0f without the fixed cost of %.2f s; "
                                + "the job's own net runtime %.1f s); CPU: job %.1f s, broker %.1f s, broker share %.0f%%, %,.0f records "
                                + "per CPU-second (job+broker); %d hits, %d violation records%n",
                        run, records, kafka.seconds, rate[run - 1], rateNet[run - 1], fixed.seconds, kafka.netRuntime, kafka.cpu, brokerCpu,
                        100 * share[run - 1], perCpu[run - 1], kafka.counts[3], kafka.counts[4]);
                System.out.printf("run %d file:  %.2f s = %,.0f records/s, CPU %.1f s; kafka/file: records/s %.2f, CPU %.2f; "
                        + "load average %s -> %s%n", run, file.seconds, fileRate[run - 1], file.cpu, ratio[run - 1], cpuRatio[run - 1],
                        load0, loadAverage());
                check(broker, name, records, file, kafka, out.resolve("violations.jsonl"));
                System.out.printf("run %d checked: all %,d records read, the file replay's counts and final violations%n", run, records);
            }
            System.out.printf("median of %d: kafka %,.0f records/s (%,.0f without the fixed cost), broker share of CPU %.0f%%, "
                            + "%,.0f records per CPU-second; file replay %,.0f records/s; kafka/file %.2f (records/s), %.2f (CPU)%n",
                    runs, ListLoad.median(rate), ListLoad.median(rateNet), 100 * ListLoad.median(share), ListLoad.median(perCpu),
                    ListLoad.median(fileRate), ListLoad.median(ratio), ListLoad.median(cpuRatio));
        }
    }

    // ------------------------------------------------------------------------------------------ runs

    /** {@code detect} in Kafka mode on {@code topic}, writing to topics of its own named after {@code name}. */
    private static Run kafkaRun(KafkaServerProcess broker, Path work, String topic, String name, int partitions, String interval,
                                List<String> jvm) throws Exception {
        broker.createTopics(partitions, name + "-violations", name + "-dead-letter", name + "-late");
        return detect(work.resolve(name + ".log"), jvm, "--kafka-bootstrap", broker.bootstrap(), "--flows-topic", topic,
                "--violations-topic", name + "-violations", "--dead-letter-topic", name + "-dead-letter", "--late-topic", name + "-late",
                "--group-id", name, "--transactional-id-prefix", name, "--checkpoint-interval", interval, "--until-latest",
                "--parallelism", "2");
    }

    /** Runs {@code detect} in a JVM of its own and waits for it to exit. Its CPU time is read once it has been reaped. */
    private static Run detect(Path log, List<String> jvm, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("detect"));
        args.addAll(List.of(options));
        double cpu0 = reapedChildrenCpuSeconds();
        long t0 = System.nanoTime();
        Process p = KafkaServerProcess.java(jvm, Main.class.getName(), args.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("detect ran for 30 minutes; see " + log);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = reapedChildrenCpuSeconds() - cpu0;
        String printed = Files.readString(log);
        Matcher m = JobThroughput.SUMMARY.matcher(printed);
        Matcher net = NET_RUNTIME.matcher(printed);
        if (p.exitValue() != 0 || !m.find() || !net.find()) {
            throw new IllegalStateException("detect failed (exit " + p.exitValue() + "); see " + log);
        }
        long[] counts = new long[5];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Long.parseLong(m.group(i + 1));
        }
        return new Run(seconds, cpu, counts, Double.parseDouble(net.group(1)), log);
    }

    private static void produce(KafkaServerProcess broker, String topic, Path file) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("produce", "--kafka-bootstrap", broker.bootstrap(), "--topic", topic, file.toString()),
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("produce failed (exit " + code + "): " + err.toString(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------------------------------ the check

    /**
     * Fails unless the Kafka run read every record and gave what the file replay gave: the same counts in the job's
     * summary (flow records, ignored, malformed, hits, violation records), and the same final violations but for where
     * their hits were read. (The consumer group's committed offsets are no end condition: with --until-latest they can
     * stop short of the end, as the sources finish before the last checkpoint.)
     */
    private static void check(KafkaServerProcess broker, String name, int records, Run file, Run kafka, Path fileViolations)
            throws Exception {
        if (kafka.counts[0] != records) {
            throw new IllegalStateException(name + ": " + kafka.counts[0] + " flow records through Kafka, " + records + " produced; see " + kafka.log);
        }
        String[] what = {"flow records", "ignored", "malformed", "hits", "violation records"};
        for (int i = 0; i < what.length; i++) {
            if (kafka.counts[i] != file.counts[i]) {
                throw new IllegalStateException(name + ": " + kafka.counts[i] + " " + what[i] + " through Kafka, " + file.counts[i]
                        + " from the file; see " + kafka.log + " and " + file.log);
            }
        }
        List<String> expected = finals(Files.readAllLines(fileViolations));
        List<String> got = finals(committedValues(broker, name + "-violations"));
        if (!got.equals(expected)) {
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(got);
            List<String> extra = new ArrayList<>(got);
            extra.removeAll(expected);
            throw new IllegalStateException(name + ": the final violations differ from the file replay's (" + got.size() + " vs "
                    + expected.size() + "); first missing: " + missing.stream().findFirst().orElse("none") + "; first extra: "
                    + extra.stream().findFirst().orElse("none"));
        }
    }

    private static final List<String> READ_FROM = List.of("source", "line", "list_version", "rule_origin");
    private static final List<String> SETS = List.of("client_ips", "macs", "tunnels", "sensors", "resolved_addresses", "services",
            "handles");

    /**
     * The final violations, sorted, without what says where their hits were read (a topic here, a file's lines there), and
     * with their lists of distinct values (sensors, resolved addresses, ...) sorted: those are in the order the hits
     * arrived, which differs when several partitions feed a window. Handles are sorted too: they are ordered by time,
     * then where read, so two hits of one millisecond may swap.
     */
    private static List<String> finals(List<String> violations) throws IOException {
        List<String> out = new ArrayList<>();
        for (String v : violations) {
            ObjectNode j = (ObjectNode) JSON.readTree(v);
            if (!"final".equals(j.path("status").asText())) {
                continue;
            }
            j.remove(READ_FROM);
            j.path("handles").forEach(h -> ((ObjectNode) h).remove(READ_FROM));
            for (String set : SETS) {
                if (j.get(set) instanceof ArrayNode values) {
                    List<JsonNode> sorted = new ArrayList<>();
                    values.forEach(sorted::add);
                    sorted.sort(java.util.Comparator.comparing(JsonNode::toString));
                    values.removeAll().addAll(sorted);
                }
            }
            out.add(j.toString());
        }
        out.sort(null);
        return out;
    }

    /** Every value committed in the topic now: read read_committed from the beginning up to the last stable offsets. */
    private static List<String> committedValues(KafkaServerProcess broker, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ CPU and load

    /** User + system CPU of a live process, from /proc/PID/stat. */
    private static double cpuSeconds(long pid) throws IOException {
        String[] f = statFields(Path.of("/proc", String.valueOf(pid), "stat"));
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /** User + system CPU of this process's children that have exited and been waited for (cutime + cstime). */
    private static double reapedChildrenCpuSeconds() throws IOException {
        String[] f = statFields(Path.of("/proc/self/stat"));
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    }

    /** The fields of a stat file after the command name (field 3, the state, first); times in clock ticks of 1/100 s (USER_HZ). */
    private static String[] statFields(Path stat) throws IOException {
        String s = Files.readString(stat);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", c) + " failed: " + printed);
        }
    }

    // ------------------------------------------------------------------------------------------ input

    /**
     * N lines in event-time order, the dialects interleaved in JobThroughput's shares (of every 20: 7 Zeek DNS, 5 Zeek SSL,
     * 6 Suricata EVE, 2 own), so each partition the producer fills is in order too.
     */
    private static Path generate(Path dir, int records) throws IOException {
        Path file = dir.resolve("flows.jsonl");
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return file;
        }
        Files.createDirectories(dir);
        BenchData data = new BenchData(2026);
        String[] ordinary = new String[200_000];
        for (int i = 0; i < ordinary.length; i++) {
            ordinary[i] = data.ordinaryName();
        }
        int tiktokUsers = DEVICES / 50;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < records; i++) {
                long millis = START + SPAN * i / records + data.random().nextInt(200);
                boolean hit = data.random().nextInt(100) == 0;
                int device = hit ? data.random().nextInt(tiktokUsers) : data.random().nextInt(DEVICES);
                String name = hit ? data.tiktokName() : ordinary[data.random().nextInt(ordinary.length)];
                int slot = i % 20;
                w.write(slot < 7 ? data.zeekDns(millis, device, name)
                        : slot < 12 ? data.zeekSsl(millis, device, name)
                        : slot < 14 ? data.suricataDnsV2(millis, device, name)
                        : slot < 16 ? data.suricataDnsV3(millis, device, name)
                        : slot < 18 ? data.suricataTls(millis, device, name)
                        : data.own(millis, device, name));
                w.write('\n');
            }
        }
        Files.createFile(done);
        return file;
    }
}
