package org.tiktokdetector.cli;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code produce}: feeds sample data into a topic, one record per non-blank line (flow records into
 * the flows topic; with --key-separator, "rule&lt;TAB&gt;category" lines into the blocklist topic).
 */
public class ProduceCommand implements Command {
    private static final Set<String> SINGLE = Set.of("kafka-bootstrap", "kafka-properties", "topic", "key-separator");

    @Override
    public String name() {
        return "produce";
    }

    @Override
    public String summary() {
        return "send the lines of files to a Kafka topic, one record per line (sample data)";
    }

    @Override
    public String help() {
        return """
                usage: produce --kafka-bootstrap HOST:PORT --topic TOPIC [--kafka-properties FILE] [--key-separator S] FILE...

                Sends each non-blank line of the files (in order) as one record and waits until the broker
                has acknowledged them all; exits 1 if any send failed. The topic must exist: when no broker
                answers within %ds, or the topic is missing, it says so and exits 2 before sending.

                Without --key-separator the record has no key and the line is the value. With it, a line
                "KEY<S>VALUE" becomes key KEY and value VALUE, and a line with no separator becomes a
                tombstone (key, no value): e.g. --key-separator=TAB for the blocklist topic,
                "tiktokv.com<TAB>tiktok-app" adds a rule and "tiktokv.com" removes it.

                  --kafka-properties FILE   Kafka client settings (security.protocol, SASL, SSL...)
                  --key-separator S         a string, or TAB""".formatted(KafkaClientOptions.BROKER_TIMEOUT.toSeconds());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(), SINGLE, Set.of());
        KafkaConnection connection = KafkaClientOptions.connection(args);
        String topic = KafkaClientOptions.topic(args);
        String separator = args.get("key-separator", null);
        if ("TAB".equals(separator)) {
            separator = "\t";
        }
        if (separator != null && separator.isEmpty()) {
            throw new UsageException("--key-separator must not be empty");
        }
        if (args.positional().isEmpty()) {
            throw new UsageException("name at least one FILE whose lines to send");
        }
        for (String f : args.positional()) {
            if (!Files.isRegularFile(Path.of(f))) {
                throw new UsageException("file " + f + " does not exist");
            }
        }
        long sent = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaClientOptions.producer(connection, topic)) {
            for (String f : args.positional()) {
                try (BufferedReader in = Files.newBufferedReader(Path.of(f), StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.isBlank()) {
                            continue;
                        }
                        producer.send(record(topic, line, separator), (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                        sent++;
                    }
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            err.printf("tiktok-detector produce: sending to %s failed: %s%n", topic, failure.get());
            return 1;
        }
        err.printf("tiktok-detector: sent %d records to %s%n", sent, topic);
        return 0;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String line, String separator) {
        if (separator == null) {
            return new ProducerRecord<>(topic, null, line.getBytes(StandardCharsets.UTF_8));
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            return new ProducerRecord<>(topic, line.strip().getBytes(StandardCharsets.UTF_8), null);
        }
        return new ProducerRecord<>(topic, line.substring(0, at).strip().getBytes(StandardCharsets.UTF_8),
                line.substring(at + separator.length()).getBytes(StandardCharsets.UTF_8));
    }
}
