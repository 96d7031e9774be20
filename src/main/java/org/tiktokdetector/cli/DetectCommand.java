package org.tiktokdetector.cli;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.aggregate.DeviceAttribution;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.aggregate.ViolationWindowFunction;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.emit.JsonLinesSink;
import org.tiktokdetector.match.BlocklistMatcher;
import org.tiktokdetector.match.BlocklistParser;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.source.BlocklistFileWatch;
import org.tiktokdetector.source.CaptureSource;
import org.tiktokdetector.source.EmptySource;
import org.tiktokdetector.source.InputFiles;
import org.tiktokdetector.source.LogLineFormat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code detect}: runs the detection job. With {@code java -jar} it runs on an embedded Flink
 * MiniCluster; submitted with {@code flink run} the same code runs on the cluster.
 */
public class DetectCommand implements Command {
    private static final Set<String> VALUED = union(Set.of("input", "out", "hits", "dead-letter", "late", "blocklist",
            "blocklist-updates", "devices", "window", "threshold", "app-threshold", "out-of-orderness",
            "allowed-lateness", "idle-timeout", "parallelism"), KafkaMode.VALUED);
    private static final Set<String> FLAGS = union(Set.of("no-default-blocklist"), KafkaMode.FLAGS);

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
                       detect --kafka-bootstrap HOST:PORT --flows-topic T... --violations-topic T --dead-letter-topic T [options]

                Reads flow records, matches every name against the blocklist, and writes one JSON
                violation per line for each device that crosses the threshold in a window.

                input and output:
                  --input PATH...          files or folders (searched recursively); each file is recognised by
                                           its content: Zeek or Suricata EVE JSON logs, flow-record JSON lines,
                                           or pcap/pcapng captures. Other files in folders are skipped.
                  --out FILE               violations, JSON lines (default: stdout)
                  --hits FILE              also write every individual hit (audit trail)
                  --dead-letter FILE       malformed input lines with the reason
                                           (default: next to --out as NAME.dead-letter.jsonl, else ./dead-letter.jsonl)
                  --late FILE              hits that arrived after their window closed
                                           (default: next to --out as NAME.late.jsonl, else ./late-hits.jsonl)

                blocklist and devices:
                  --blocklist FILE...      more lists (plain, hosts, Adblock or tiktok-detector format), on top of
                                           the built-in default list
                  --no-default-blocklist   use only the --blocklist files
                  --blocklist-updates FILE a list file that is watched while the job runs: rules added to or
                                           removed from it take effect within seconds, without a restart
                  --devices FILE           device inventory CSV: match,device_id,owner,department
                                           (match = IP, CIDR or MAC)

                detection:
                  --window DURATION        tumbling window per device (default %s)
                  --threshold N            hits in a window that make a violation (default %d)
                  --app-threshold N        app API hits that grade a violation "high" (default %d)
                  --out-of-orderness D     how far records may arrive out of order (default %s)
                  --allowed-lateness D     how long a closed window still takes late hits (default %s)
                  --idle-timeout D         after this long without records, event time follows the wall
                                           clock so pending windows still close (default %s)
                  --parallelism N          parallel tasks (default: 2 with --input; in Kafka mode Flink's default)

                %s

                Durations: 500ms, 30s, 10m, 2h or ISO-8601 (PT10M).""".formatted(
                d.window().toMinutes() + "m", d.threshold(), d.appThreshold(), d.outOfOrderness().toSeconds() + "s",
                d.allowedLateness().toSeconds() + "s", d.quietAfter().toSeconds() + "s", KafkaMode.HELP.strip());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, VALUED, FLAGS);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0) + "; inputs go after --input");
        }
        KafkaMode.check(args);
        if (!KafkaMode.chosen(args) && !args.has("input")) {
            throw new UsageException("give --input PATH... (files or folders of logs or captures), or --kafka-bootstrap HOST:PORT");
        }
        DetectionJob.Settings settings = settings(args);
        List<BlocklistRule> rules = initialRules(args, err);
        DeviceInventory inventory = inventory(args);
        if (KafkaMode.chosen(args)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            KafkaMode.define(env, args, rules, inventory, settings);
            summary(env.execute("tiktok-detector"), "", null, err);
            return 0;
        }
        InputFiles.Classified inputs = InputFiles.classify(args.all("input"));
        inputs.skipped().forEach(p -> err.println("tiktok-detector: skipping " + p + ": neither JSON lines nor a pcap/pcapng capture"));
        if (inputs.logs().isEmpty() && inputs.captures().isEmpty()) {
            throw new UsageException("no log or capture files found in " + String.join(" ", args.all("input")));
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(args.getInt("parallelism", 2));
        // Chained operators (source -> match -> attribute) then hand records on without a deep copy each. Safe
        // here: no function keeps a record it was given, and the one that changes its input (DeviceAttribution)
        // is the only consumer of it.
        env.getConfig().enableObjectReuse();
        List<DataStream<DecodedLine>> sources = new ArrayList<>(onePerFile(env, inputs.logs(), "log", DetectCommand::logSource, settings));
        sources.addAll(onePerFile(env, inputs.captures(), "capture", f -> CaptureSource.fileSource(List.of(f)), settings));
        DataStream<BlocklistUpdate> updates = updates(env, args);

        DetectionJob.Outputs outputs = DetectionJob.defineWorkflow(sources, updates, rules, inventory, settings);
        String violationsPath = args.get("out", JsonLinesSink.STDOUT);
        String deadLetterPath = args.get("dead-letter", besideOutput(violationsPath, "dead-letter.jsonl", "dead-letter.jsonl"));
        String latePath = args.get("late", besideOutput(violationsPath, "late.jsonl", "late-hits.jsonl"));
        sink(outputs.violations(), violationsPath, v -> v.toJson().toString(), true, "violations");
        sink(outputs.deadLetters(), deadLetterPath, d -> d.toJson().toString(), true, "dead letters");
        sink(outputs.lateHits(), latePath, h -> h.toJson().toString(), true, "late hits");
        if (args.has("hits")) {
            sink(outputs.hits(), args.get("hits", null), h -> h.toJson().toString(), false, "hits");
        }

        summary(env.execute("tiktok-detector"), inputs.logs().size() + " log files, " + inputs.captures().size() + " captures: ",
                deadLetterPath, err);
        return 0;
    }

    /** One line on stderr when the job ran attached (a detached `flink run` has no result to report). */
    private static void summary(JobExecutionResult result, String inputs, String deadLetterPath, PrintStream err) {
        if (!result.isJobExecutionResult()) {
            return;
        }
        long malformed = counter(result, BlocklistMatcher.MALFORMED);
        long early = counter(result, ViolationWindowFunction.EARLY);
        long closed = counter(result, ViolationWindowFunction.FINAL);
        err.printf("tiktok-detector: %s%d flow records, %d ignored, %d malformed%s; %d hits; %d violation records (%d early, %d final)%n",
                inputs, counter(result, BlocklistMatcher.RECORDS), counter(result, BlocklistMatcher.IGNORED), malformed,
                malformed > 0 && deadLetterPath != null ? " (-> " + deadLetterPath + ")" : "",
                counter(result, DeviceAttribution.HITS), early + closed, early, closed);
    }

    private static long counter(JobExecutionResult result, String name) {
        Long v = result.getAccumulatorResult(name);
        return v == null ? 0 : v;
    }

    static DetectionJob.Settings settings(Args args) {
        DetectionJob.Settings d = DetectionJob.Settings.defaults();
        DetectionJob.Settings s = new DetectionJob.Settings(
                args.getDuration("window", d.window()), args.getInt("threshold", (int) d.threshold()),
                args.getInt("app-threshold", (int) d.appThreshold()), args.getDuration("out-of-orderness", d.outOfOrderness()),
                args.getDuration("allowed-lateness", d.allowedLateness()), args.getDuration("idle-timeout", d.quietAfter()));
        if (s.window().isZero() || s.window().isNegative()) {
            throw new UsageException("--window must be longer than zero");
        }
        if (s.threshold() < 1 || s.appThreshold() < 1) {
            throw new UsageException("--threshold and --app-threshold must be at least 1");
        }
        return s;
    }

    private static List<BlocklistRule> initialRules(Args args, PrintStream err) throws Exception {
        List<String> files = new ArrayList<>(args.all("blocklist"));
        if (args.has("blocklist-updates")) {
            files.add(args.get("blocklist-updates", null));
        }
        return Blocklists.load(!args.has("no-default-blocklist"), files, err);
    }

    private static DeviceInventory inventory(Args args) throws Exception {
        if (!args.has("devices")) {
            return DeviceInventory.empty();
        }
        Path p = Path.of(args.get("devices", null));
        if (!p.toFile().isFile()) {
            throw new UsageException("device inventory " + p + " does not exist; give a CSV file match,device_id,owner,department");
        }
        try {
            return DeviceInventory.load(p);
        } catch (IllegalArgumentException e) {
            throw new UsageException("device inventory " + e.getMessage());
        }
    }

    /** One source per file, each with its own event time (record time for logs, packet time for captures). */
    private static List<DataStream<DecodedLine>> onePerFile(StreamExecutionEnvironment env, List<Path> files, String kind,
                                                            Function<Path, Source<DecodedLine, ?, ?>> source,
                                                            DetectionJob.Settings settings) {
        List<DataStream<DecodedLine>> all = new ArrayList<>();
        for (Path f : files) {
            all.add(env.fromSource(source.apply(f), DetectionJob.replayEventTime(settings, (d, prev) -> d.timestamp),
                    kind + " " + f.getFileName()).setParallelism(1));
        }
        return all;
    }

    private static Source<DecodedLine, ?, ?> logSource(Path file) {
        return FileSource.forRecordStreamFormat(new LogLineFormat(file.toString()), new org.apache.flink.core.fs.Path(file.toUri())).build();
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
