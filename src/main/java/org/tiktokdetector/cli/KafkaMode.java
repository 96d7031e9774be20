package org.tiktokdetector.cli;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.LoggerFactory;
import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.aggregate.DeviceInventory;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.emit.Format;
import org.tiktokdetector.emit.KafkaOutputs;
import org.tiktokdetector.emit.Outputs;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.BlocklistUpdate;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.source.EmptySource;
import org.tiktokdetector.source.KafkaInputs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code detect} options of the production path (Kafka in and out, exactly once) and the job they
 * describe. {@link DetectCommand} chooses this mode when --kafka-bootstrap is given.
 */
final class KafkaMode {
    static final Set<String> VALUED = Set.of("kafka-bootstrap", "kafka-properties", "flows-topic", "violations-topic",
            "hits-topic", "dead-letter-topic", "late-topic", "blocklist-topic", "bindings-topic", "group-id", "transactional-id-prefix",
            "checkpoint-interval", "kafka-timestamps");
    static final Set<String> FLAGS = Set.of("until-latest");
    /** Local-mode options that have a Kafka counterpart (or none) and are refused in Kafka mode. */
    private static final List<String> LOCAL_ONLY = List.of("input", "out", "hits", "dead-letter", "late", "blocklist-updates",
            "interface", "bpf", "capture-duration", "packet-count");
    static final String DEFAULT_GROUP_ID = "tiktok-detector";
    static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "tiktok-detector";
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    static final String HELP = """
            Kafka mode (production; chosen by --kafka-bootstrap, --input is then not used):
              --kafka-bootstrap HOST:PORT    Kafka bootstrap servers
              --kafka-properties FILE        Kafka client settings (security.protocol, SASL, SSL...) for every
                                             consumer and producer; never printed
              --flows-topic TOPIC...         flow-record topics (any JSON dialect the job reads)
              --violations-topic TOPIC       violations, key = device id, value = violation JSON (exactly once)
              --dead-letter-topic TOPIC      malformed input and refused blocklist records, value = dead letter JSON
              --hits-topic TOPIC             also every individual hit (audit), key = device id
              --late-topic TOPIC             hits that arrived after their window closed, each with its reason
              --bindings-topic TOPIC...      address bindings: Zeek dhcp.log, Suricata EVE dhcp events, NAC
                                             accounting in the binding-record JSON (README "Binding record");
                                             hits are attributed to the device that held their address
              --blocklist-topic TOPIC        list changes: key = rule ("tiktokv.com", "=host", "*.name", "@@name"),
                                             value = category label (empty = unclassified), tombstone = remove;
                                             a compacted topic holds the current list
              --group-id ID                  consumer group (default %s); a new group starts at the earliest offset
              --transactional-id-prefix P    prefix of the sinks' Kafka transactional ids (default %s);
                                             unique per job on a Kafka cluster
              --checkpoint-interval D        checkpoints, which commit the output transactions (default %s):
                                             read_committed consumers see violations this much later
              --until-latest                 stop once the records present at start-up are processed
                                             (tests, one-off backfills); default: run until cancelled
              --kafka-timestamps detection|event
                                             Kafka timestamp of every output record (default detection: when
                                             it is written; event time stays in the JSON). WARNING: with
                                             event, outputs whose event time is older than the topic's
                                             retention.ms (a backfill, an old capture) are deleted by the
                                             broker within minutes"""
            .formatted(DEFAULT_GROUP_ID, DEFAULT_TRANSACTIONAL_ID_PREFIX, DEFAULT_CHECKPOINT_INTERVAL.toSeconds() + "s");

    private KafkaMode() {}

    static boolean chosen(Args args) {
        return args.has("kafka-bootstrap");
    }

    /** Refuses a mix of the two modes' options, and names what is missing. */
    static void check(Args args) {
        if (!chosen(args)) {
            for (String o : VALUED) {
                if (args.has(o)) {
                    throw new UsageException("--" + o + " is a Kafka-mode option: give --kafka-bootstrap HOST:PORT too");
                }
            }
            if (args.has("until-latest")) {
                throw new UsageException("--until-latest is a Kafka-mode option: give --kafka-bootstrap HOST:PORT too");
            }
            return;
        }
        for (String o : LOCAL_ONLY) {
            if (args.has(o)) {
                throw new UsageException("--" + o + " is a local-mode option; in Kafka mode use the --*-topic options (see --help)");
            }
        }
        for (String o : List.of("flows-topic", "violations-topic", "dead-letter-topic", "late-topic")) {
            if (!args.has(o)) {
                throw new UsageException("Kafka mode needs --" + o + " TOPIC");
            }
        }
    }

    /** Builds the whole job on {@code env}: Kafka sources, the detection topology, Kafka sinks writing {@code format}. */
    static void define(StreamExecutionEnvironment env, Args args, List<BlocklistRule> rules, DeviceInventory inventory,
                       DetectionJob.Settings settings, Format format) throws Exception {
        String propertiesFile = args.get("kafka-properties", null);
        if (propertiesFile != null && !Files.isRegularFile(Path.of(propertiesFile))) {
            throw new UsageException("Kafka properties file " + propertiesFile + " does not exist");
        }
        KafkaConnection connection = KafkaConnection.load(args.get("kafka-bootstrap", null),
                propertiesFile == null ? null : Path.of(propertiesFile));
        // Looked up here, not in a static field: every command reads KafkaMode's option names, and a static
        // logger would start the logging framework (0.5 s of CPU) for `extract` and `help` too.
        LoggerFactory.getLogger(KafkaMode.class).info("Kafka mode: {}", connection.describe());
        Duration interval = args.getDuration("checkpoint-interval", DEFAULT_CHECKPOINT_INTERVAL);
        if (interval.toMillis() < 10) {
            throw new UsageException("--checkpoint-interval must be at least 10ms");
        }
        KafkaOutputs.Timestamps timestamps = timestamps(args);
        KafkaOutputs.configureExactlyOnce(env, interval, KafkaOutputs.RESTART_ATTEMPTS, KafkaOutputs.RESTART_DELAY);

        KafkaInputs.Options in = new KafkaInputs.Options(connection, args.get("group-id", DEFAULT_GROUP_ID), args.has("until-latest"));
        List<DataStream<DecodedLine>> inputs = new ArrayList<>();
        inputs.add(KafkaInputs.flows(env, in, args.all("flows-topic"),
                DetectionJob.liveEventTime(settings, (d, prev) -> d.timestamp), settings.limits()));
        if (args.has("bindings-topic")) {
            inputs.add(KafkaInputs.bindings(env, in, args.all("bindings-topic"),
                    DetectionJob.liveEventTime(settings, (d, prev) -> d.timestamp), settings.limits()));
        }
        DataStream<BlocklistUpdate> updates;
        DataStream<DeadLetter> refused = null;
        if (args.has("blocklist-topic")) {
            KafkaInputs.Blocklist control = KafkaInputs.blocklist(env, in, args.get("blocklist-topic", null));
            updates = control.updates();
            refused = control.rejected();
        } else if (in.untilLatest()) {
            updates = EmptySource.of(env, TypeInformation.of(BlocklistUpdate.class), "no blocklist topic");
        } else {
            updates = EmptySource.forever(env, TypeInformation.of(BlocklistUpdate.class), "no blocklist topic");
        }

        Outputs outputs = DetectionJob.defineWorkflow(inputs, updates, rules, inventory, settings.withBindings(args.has("bindings-topic")));
        if (refused != null) {
            outputs = new Outputs(outputs.violations(), outputs.hits(), outputs.lateHits(),
                    outputs.deadLetters().union(refused));
        }
        KafkaOutputs.attach(DetectCommand.outputs(outputs, args), connection, new KafkaOutputs.Topics(args.get("violations-topic", null),
                        args.get("hits-topic", null), args.get("dead-letter-topic", null), args.get("late-topic", null)),
                args.get("transactional-id-prefix", DEFAULT_TRANSACTIONAL_ID_PREFIX), timestamps, format);
    }

    static KafkaOutputs.Timestamps timestamps(Args args) {
        String t = args.get("kafka-timestamps", "detection");
        return switch (t) {
            case "detection" -> KafkaOutputs.Timestamps.DETECTION;
            case "event" -> KafkaOutputs.Timestamps.EVENT;
            default -> throw new UsageException("--kafka-timestamps must be detection or event, got \"" + t + "\"");
        };
    }
}
