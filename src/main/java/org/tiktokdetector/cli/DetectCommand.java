package org.tiktokdetector.cli;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.aggregate.PseudonymiseHits;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.decode.capture.TunnelPorts;
import org.tiktokdetector.emit.Format;
import org.tiktokdetector.emit.JsonLinesSink;
import org.tiktokdetector.emit.Outputs;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.privacy.PseudonymKey;
import org.tiktokdetector.source.BlocklistFileWatch;
import org.tiktokdetector.source.EmptySource;
import org.tiktokdetector.source.FileRanges;
import org.tiktokdetector.source.InputFiles;
import org.tiktokdetector.source.LiveCaptureSource;
import org.tiktokdetector.source.ReplaySource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code detect}: runs the detection job. With {@code java -jar} it runs on an embedded Flink
 * MiniCluster; submitted with {@code flink run} the same code runs on the cluster.
 */
public class DetectCommand implements Command {
    private static final Set<String> VALUED = union(Set.of("input", "out", "hits", "dead-letter", "late", "blocklist",
            "blocklist-updates", "devices", "window", "threshold", "app-threshold", "out-of-orderness",
            "allowed-lateness", "idle-timeout", "parallelism", "max-time-ahead", "max-line-length", "tunnel-ports", "metrics-port",
            "pseudonymise-key", "format", "split-size"),
            union(KafkaMode.VALUED, LiveCapture.VALUED));
    /** The embedded cluster's network buffers run out above this (64 did, 32 runs); more tasks than cores only starve each other. */
    static final int MAX_PARALLELISM = 32;
    private static final Set<String> FLAGS = union(Set.of("no-default-blocklist", "final-only"), KafkaMode.FLAGS);

    @Override
    public String name() {
        return "detect";
    }

    @Override
    public String summary() {
        return "run detection on log files, captures or Kafka topics and write violations";
    }

    @Override
    public String help() {
        DetectionJob.Settings d = DetectionJob.Settings.defaults();
        return """
                usage: detect --input PATH... [options]
                       detect --interface IF [--bpf EXPR] [--capture-duration D] [--packet-count N] [options]
                       detect --kafka-bootstrap HOST:PORT --flows-topic T... --violations-topic T --dead-letter-topic T
                              --late-topic T [options]

                Reads flow records, matches every name against the blocklist, and writes one JSON
                violation per line for each device that crosses the threshold in a window.

                input and output:
                  --input PATH...          files or folders (searched recursively), or - for standard input; each
                                           file is recognised by its content, plain or gzip: Zeek logs (TSV or
                                           JSON), Suricata EVE JSON, flow-record JSON lines, or pcap/pcapng
                                           captures; DHCP logs (Zeek dhcp.log, EVE dhcp) and NAC binding
                                           records among them say who held an address when (README
                                           "Address bindings"). Other files in folders are skipped (and listed); each
                                           file is read once however it is named.
                  --out FILE               violations, JSON lines (default: stdout)
                  --hits FILE              also write every individual hit (audit trail)
                  --dead-letter FILE       malformed input lines with the reason
                                           (default: next to --out as NAME.dead-letter.jsonl, else ./dead-letter.jsonl)
                  --late FILE              hits that arrived after their window closed
                                           (default: next to --out as NAME.late.jsonl, else ./late-hits.jsonl)
                  --format native|ocsf|ecs violations, hits and late hits (files or topics) as the project's own
                                           records (default), OCSF events (Detection Finding 2004 for violations)
                                           or ECS documents (event.kind alert); dead letters stay native
                  --final-only             write only the final record of each violation, not the early one
                                           (for consumers that append instead of upserting on violation_id)

                blocklist and devices:
                  --blocklist FILE...      more lists (plain, hosts, Adblock or tiktok-detector format), on top of
                                           the built-in default list
                  --no-default-blocklist   use only the --blocklist files
                  --blocklist-updates FILE a list file that is watched while the job runs: rules added to or
                                           removed from it take effect within seconds, without a restart
                  --devices FILE           device inventory CSV: match,device_id,owner,department
                                           (match = IP, CIDR or MAC)
                  --pseudonymise-key FILE  write keyed pseudonyms (dev:, own:, ip:, mac:) instead of device ids,
                                           owners, IP and MAC addresses in every output; the department stays
                                           (key: at least 32 bytes, e.g. openssl rand -hex 32 > FILE)

                detection:
                  --window DURATION        tumbling window per device (default %s)
                  --threshold N            hits in a window that make a violation (default %d)
                  --app-threshold N        app API hits that grade a violation "high" (default %d)
                  --out-of-orderness D     how far records may arrive out of order (default %s)
                  --allowed-lateness D     how long a closed window still takes late hits (default %s)
                  --idle-timeout D         after this long without records, event time follows the wall
                                           clock so pending windows still close (default %s)
                  --parallelism N          parallel tasks, 1 to %d (default: 2 with --input; in Kafka mode Flink's default)
                  --metrics-port N         serve the job's metrics to Prometheus at http://HOST:N/metrics while it
                                           runs (java -jar only; a cluster configures its own reporter)

                input limits:
                  --max-time-ahead D       a record stamped more than this ahead of the wall clock (or, in a
                                           replayed file, of the file's recent records) is a dead letter and
                                           does not move event time (default %s)
                  --tunnel-ports NAME=PORT[,PORT]...
                                           UDP ports on which captures' tunnels are looked for, replacing the
                                           defaults per name (vxlan=4789,8472 geneve=6081 gtp=2152 gre=4754
                                           teredo=3544 ayiya=5072; NAME=none turns one off)
                  --max-line-length N      a longer line is a dead letter with its length and first bytes;
                                           memory stays bounded (default %s; suffixes k, m)
                  --split-size N           a log file longer than this is cut into line-aligned ranges of this
                                           size that all parallel tasks read; a gzip file of several members
                                           into ranges of whole members (default %s)

                %s

                %s

                Durations: 500ms, 30s, 10m, 2h or ISO-8601 (PT10M).""".formatted(
                d.window().toMinutes() + "m", d.threshold(), d.appThreshold(), d.outOfOrderness().toSeconds() + "s",
                d.allowedLateness().toSeconds() + "s", d.quietAfter().toSeconds() + "s", MAX_PARALLELISM,
                d.maxAhead().toHours() + "h", (d.maxLineLength() >> 20) + "m", (FileRanges.DEFAULT_SIZE >> 20) + "m", LiveCapture.HELP.strip(), KafkaMode.HELP.strip());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, VALUED, FLAGS);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0) + "; inputs go after --input");
        }
        KafkaMode.check(args);
        LiveCapture.check(args);
        if (!KafkaMode.chosen(args) && !LiveCapture.chosen(args) && !args.has("input")) {
            throw new UsageException("give --input PATH... (files or folders of logs or captures), --interface IF (live capture), "
                    + "or --kafka-bootstrap HOST:PORT");
        }
        // What is quick to check is checked before the embedded cluster starts; the lists and the inputs' contents are
        // read while it starts (a mistake found there still ends the run with one line, once the cluster has stopped).
        DetectionJob.Settings settings = settings(args);
        Format format = format(args);
        OptionalInt metricsPort = metricsPort(args);
        boolean kafka = KafkaMode.chosen(args);
        Map<String, String> outputs = kafka ? Map.of() : outputFiles(args);
        OptionalInt parallelism = !kafka ? OptionalInt.of(parallelism(args))
                : args.has("parallelism") ? OptionalInt.of(args.getInt("parallelism", 1)) : OptionalInt.empty();
        DeviceInventory inventory = inventory(args);
        InputFiles.checkReadable(args.all("input"));
        if (settings.pseudonymise() != null) {
            err.println("tiktok-detector: identifiers are pseudonymised with key " + settings.pseudonymise().fingerprint());
        }
        try (RunEnvironment run = RunEnvironment.create(parallelism, metricsPort)) {
            List<BlocklistRule> rules = initialRules(args, err);
            StreamExecutionEnvironment env = run.env();
            if (kafka) {
                KafkaMode.define(env, args, rules, inventory, settings, format);
                RunSummary.print(env.execute("tiktok-detector"), null, Map.of(), err);
                return 0;
            }
            InputFiles.Found found = null;
            if (!LiveCapture.chosen(args)) {
                found = InputFiles.find(args.all("input"), settings.maxAhead(), settings.outOfOrderness(), splitSize(args));
                found.skipped().forEach(f -> err.println("tiktok-detector: skipping " + f.path() + ": " + f.why()));
                if (found.inputs().isEmpty()) {
                    throw new UsageException("no log or capture files found in " + String.join(" ", args.all("input")));
                }
            }
            // Chained operators (source -> match) then hand records on without a deep copy each. Safe here: the
            // only function that keeps or changes a record it was given (the binding join) gets it through a keyBy,
            // deserialised afresh, and is its only consumer.
            env.getConfig().enableObjectReuse();
            DataStream<DecodedLine> input;
            LiveCaptureSource live = null;
            if (found != null) {
                // One source for every file: it sets event time itself, per file (ReplaySource).
                input = ReplaySource.stream(env, found.inputs(), settings.limits());
            } else {
                if (!run.local()) {
                    throw new UsageException("--interface captures in this process: run it with java -jar, not on a cluster");
                }
                live = LiveCapture.source(args, settings.limits());
                err.println("tiktok-detector: live capture on " + live.options().iface() + ", filter: " + live.options().bpf());
                run.onInterrupt(live::stop);
                input = live.stream(env, settings.quietAfter());
            }
            DataStream<BlocklistUpdate> updates = updates(env, args);

            Outputs jobOutputs = outputs(DetectionJob.defineWorkflow(List.of(input), updates, rules, inventory,
                    settings.withBindings(found != null && found.bindings())), args);
            sink(jobOutputs.violations(), outputs.get("out"), format::violation, true, "violations");
            sink(jobOutputs.deadLetters(), outputs.get("dead-letter"), d -> d.toJson().toString(), true, "dead letters");
            sink(jobOutputs.lateHits(), outputs.get("late"), format::hit, true, "late hits");
            if (args.has("hits")) {
                sink(jobOutputs.hits(), outputs.get("hits"), format::hit, false, "hits");
            }

            JobExecutionResult result = env.execute("tiktok-detector");
            RunSummary.print(result, live == null ? RunSummary.describe(found) : LiveCapture.describe(live), outputs, err);
        }
        return 0;
    }

    /** The files a run writes, by option name ({@code out}, {@code dead-letter}, {@code late}, {@code hits}), checked. */
    private static Map<String, String> outputFiles(Args args) throws IOException {
        String violationsPath = args.get("out", JsonLinesSink.STDOUT);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("out", violationsPath);
        outputs.put("dead-letter", args.get("dead-letter", besideOutput(violationsPath, "dead-letter.jsonl", "dead-letter.jsonl")));
        outputs.put("late", args.get("late", besideOutput(violationsPath, "late.jsonl", "late-hits.jsonl")));
        if (args.has("hits")) {
            outputs.put("hits", args.get("hits", null));
        }
        OutputFiles.check(outputs, args.all("input"));
        return outputs;
    }

    /** {@code --format}: the JSON form of violations and hits, in files and topics alike. */
    private static Format format(Args args) {
        try {
            return Format.of(args.get("format", "native"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format " + e.getMessage());
        }
    }

    /** The job's outputs as {@code --final-only} asks: without the early violation records. */
    static Outputs outputs(Outputs all, Args args) {
        return args.has("final-only") ? all.finalOnly() : all;
    }

    private static int parallelism(Args args) {
        int p = args.getInt("parallelism", 2);
        if (p < 1 || p > MAX_PARALLELISM) {
            throw new UsageException("--parallelism must be from 1 to " + MAX_PARALLELISM + ", got " + p);
        }
        return p;
    }

    private static OptionalInt metricsPort(Args args) {
        if (!args.has("metrics-port")) {
            return OptionalInt.empty();
        }
        int port = args.getInt("metrics-port", 0);
        if (port < 1 || port > 65535) {
            throw new UsageException("--metrics-port must be a TCP port from 1 to 65535, got " + port);
        }
        return OptionalInt.of(port);
    }

    static DetectionJob.Settings settings(Args args) {
        DetectionJob.Settings d = DetectionJob.Settings.defaults();
        DetectionJob.Settings s = new DetectionJob.Settings(
                args.getDuration("window", d.window()), args.getInt("threshold", (int) d.threshold()),
                args.getInt("app-threshold", (int) d.appThreshold()), args.getDuration("out-of-orderness", d.outOfOrderness()),
                args.getDuration("allowed-lateness", d.allowedLateness()), args.getDuration("idle-timeout", d.quietAfter()),
                args.getDuration("max-time-ahead", d.maxAhead()), args.getSize("max-line-length", d.maxLineLength()),
                tunnelPorts(args), pseudonymise(args));
        positive("window", s.window());
        notNegative("out-of-orderness", s.outOfOrderness());
        notNegative("allowed-lateness", s.allowedLateness());
        positive("idle-timeout", s.quietAfter());
        positive("max-time-ahead", s.maxAhead());
        if (s.threshold() < 1 || s.appThreshold() < 1) {
            throw new UsageException("--threshold and --app-threshold must be at least 1");
        }
        if (s.maxLineLength() < 1024 || s.maxLineLength() > 256 << 20) {
            throw new UsageException("--max-line-length must be from 1k to 256m, got " + s.maxLineLength() + " bytes");
        }
        return s;
    }

    /** {@code --split-size N}: log files longer than this are read as ranges of this size (of whole members, if gzip) by all parallel tasks. */
    static long splitSize(Args args) {
        long size = args.getSize("split-size", (int) FileRanges.DEFAULT_SIZE);
        if (size < 4096 || size > 1 << 30) {
            throw new UsageException("--split-size must be from 4k to 1024m, got " + size + " bytes");
        }
        return size;
    }

    /** {@code --pseudonymise-key FILE}: checked here, read again by each task (the job graph holds no key). */
    private static PseudonymiseHits pseudonymise(Args args) {
        if (!args.has("pseudonymise-key")) {
            return null;
        }
        Path file = Path.of(args.get("pseudonymise-key", null)).toAbsolutePath();
        return new PseudonymiseHits(file, PseudonymKey.load(file));
    }

    /** {@code --tunnel-ports vxlan=4789,8472 gtp=none ...}: the UDP ports on which captures' tunnels are looked for. */
    static TunnelPorts tunnelPorts(Args args) {
        try {
            return TunnelPorts.parse(args.all("tunnel-ports"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tunnel-ports: " + e.getMessage());
        }
    }

    private static void positive(String option, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new UsageException("--" + option + " must be longer than zero, got " + d.toString().substring(2).toLowerCase());
        }
    }

    private static void notNegative(String option, Duration d) {
        if (d.isNegative()) {
            throw new UsageException("--" + option + " cannot be negative, got -" + d.negated().toString().substring(2).toLowerCase());
        }
    }

    private static List<BlocklistRule> initialRules(Args args, PrintStream err) throws Exception {
        List<String> files = new ArrayList<>(args.all("blocklist"));
        if (args.has("blocklist-updates")) {
            files.add(args.get("blocklist-updates", null));
        }
        return Blocklists.load(!args.has("no-default-blocklist"), files, err);
    }

    static DeviceInventory inventory(Args args) throws Exception {
        if (!args.has("devices")) {
            return DeviceInventory.empty();
        }
        Path p = Path.of(args.get("devices", null));
        if (!Files.exists(p)) {
            throw new UsageException("device inventory " + p + " does not exist; give a CSV file match,device_id,owner,department");
        }
        try {
            return DeviceInventory.load(p);
        } catch (IllegalArgumentException e) {
            throw new UsageException("device inventory " + e.getMessage());
        }
    }

    private static DataStream<BlocklistUpdate> updates(StreamExecutionEnvironment env, Args args) throws Exception {
        if (!args.has("blocklist-updates")) {
            return EmptySource.of(env, TypeInformation.of(BlocklistUpdate.class), "no blocklist updates");
        }
        Path p = Path.of(args.get("blocklist-updates", null));
        return BlocklistFileWatch.stream(env, p, BlocklistParser.parse(p).rules(), 1.0);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static String besideOutput(String out, String suffix, String fallback) {
        if (JsonLinesSink.STDOUT.equals(out)) {
            return fallback;
        }
        int dot = out.lastIndexOf('.');
        int slash = out.lastIndexOf('/');
        String stem = dot > slash + 1 ? out.substring(0, dot) : out;
        return stem + "." + suffix;
    }

    private static <T> void sink(DataStream<T> stream, String path, SerializableFunction<T, String> json,
                                 boolean flushEach, String what) {
        stream.sinkTo(new JsonLinesSink<>(path, json, flushEach)).setParallelism(1).uid("sink-" + what.replace(' ', '-')).name(what);
    }
}
