package org.tiktokdetector.cli;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.tiktokdetector.io.TextFile;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;
import org.tiktokdetector.report.HtmlReport;
import org.tiktokdetector.report.Report;
import org.tiktokdetector.report.ViolationRecords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code report}: one self-contained HTML page from violations, read from files or from a topic (read_committed,
 * up to the end offsets at the start). Collective by default; {@code --individual} names devices.
 */
public class ReportCommand implements Command {
    static final String DEFAULT_OUT = "report.html";
    static final int DEFAULT_MIN_GROUP = 5;
    /** How long reading a topic may take in all before the report gives up. */
    private static final Duration TOPIC_DEADLINE = Duration.ofMinutes(2);
    private static final Set<String> SINGLE = Set.of("out", "min-group", "kafka-bootstrap", "kafka-properties", "topic");
    private static final Set<String> VALUED = Set.of("input");

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "an HTML report of violations: collective (default) or --individual";
    }

    @Override
    public String help() {
        return """
                usage: report --input FILE... [--out FILE] [--individual] [--min-group N]
                       report --kafka-bootstrap HOST:PORT --topic T [--kafka-properties FILE] [--out FILE] [...]

                Writes one self-contained HTML page (inline CSS and SVG charts; it fetches nothing) from native
                violation records (detect --out, or the violations topic, read_committed up to its end at the
                start): devices in violation per department and site and day, hits per day, by service and
                category, top names, severities, list versions. Each violation id counts once (final over early).

                  --out FILE        the page (default ./%s)
                  --individual      name the devices (the authorised second phase); without it the report is
                                    collective: counts per department and site only, no device, owner or address
                  --min-group N     collective: groups with fewer devices are merged into "other", and left out
                                    when the merged ones are still fewer (default %d)""".formatted(DEFAULT_OUT, DEFAULT_MIN_GROUP);
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, VALUED, SINGLE, Set.of("individual"));
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0) + "; violation files go after --input");
        }
        boolean kafka = args.has("kafka-bootstrap");
        if (kafka == args.has("input")) {
            throw new UsageException("give either --input FILE... (violation files) or --kafka-bootstrap HOST:PORT --topic T");
        }
        int minGroup = args.getInt("min-group", DEFAULT_MIN_GROUP);
        if (minGroup < 1) {
            throw new UsageException("--min-group must be at least 1, got " + minGroup);
        }
        Path page = Path.of(args.get("out", DEFAULT_OUT));
        ViolationRecords records = new ViolationRecords();
        String source;
        try {
            if (kafka) {
                KafkaConnection connection = KafkaClientOptions.connection(args);
                String topic = KafkaClientOptions.topic(args);
                readTopic(connection, topic, records);
                source = "topic " + topic + " at " + connection.bootstrap();
            } else {
                for (String f : args.all("input")) {
                    readFile(Path.of(f), records);
                }
                source = String.join(", ", args.all("input"));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Report report = new Report(records, args.has("individual"), minGroup, source);
        try {
            Files.writeString(page, HtmlReport.render(report, Instant.now()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("the report " + page + " cannot be written: " + e.getMessage());
        }
        err.printf("tiktok-detector: %s report of %d violations (%d records) written to %s%n",
                report.individual ? "individual" : "collective", report.violations, report.recordsRead, page);
        return 0;
    }

    private static void readFile(Path file, ViolationRecords records) {
        try {
            TextFile.read(file, (BufferedReader in) -> {
                int n = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    records.add(line, file + ":" + ++n);
                }
                return null;
            });
        } catch (TextFile.Unreadable e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Every committed record up to the end offsets the topic had when the report started. */
    private static void readTopic(KafkaConnection connection, String topic, ViolationRecords records) throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientOptions.consumer(connection, topic)) {
            Set<TopicPartition> parts = consumer.assignment();
            consumer.seekToBeginning(parts);
            // read_committed: the end offsets are the last stable offsets, past which nothing committed lies yet.
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + TOPIC_DEADLINE.toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new UsageException("reading topic " + topic + " took over " + TOPIC_DEADLINE.toMinutes() + " minutes; is the broker overloaded?");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition())) && r.value() != null) {
                        records.add(new String(r.value(), StandardCharsets.UTF_8),
                                "topic " + topic + " partition " + r.partition() + " offset " + r.offset());
                    }
                }
            }
        }
    }
}
