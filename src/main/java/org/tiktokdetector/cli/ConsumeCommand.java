package org.tiktokdetector.cli;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.kafka.KafkaConnection;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code consume}: prints what the job wrote (violations, hits, dead letters), one value per line,
 * as a downstream consumer sees it: read_committed, so only records of committed transactions.
 */
public class ConsumeCommand implements Command {
    private static final Set<String> SINGLE = Set.of("kafka-bootstrap", "kafka-properties", "topic", "max", "timeout");
    private static final Set<String> FLAGS = Set.of("from-beginning", "print-key");

    @Override
    public String name() {
        return "consume";
    }

    @Override
    public String summary() {
        return "print the records of a Kafka topic (read_committed), one value per line";
    }

    @Override
    public String help() {
        return """
                usage: consume --kafka-bootstrap HOST:PORT --topic TOPIC [options]

                Prints the value of each committed record of every partition of the topic, one per line,
                without joining a consumer group (nothing is committed). Exits 0 after --max records, or
                when --timeout passes without a new record; runs until interrupted otherwise. When no broker
                answers within %ds, or the topic does not exist, it says so and exits 2.

                  --kafka-properties FILE   Kafka client settings (security.protocol, SASL, SSL...)
                  --from-beginning          start at the oldest record (default: only new records)
                  --max N                   stop after N records
                  --timeout D               stop when no record arrives for D (e.g. 30s)
                  --print-key               print "KEY<TAB>VALUE" """.formatted(KafkaClientOptions.BROKER_TIMEOUT.toSeconds());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of(), SINGLE, FLAGS);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0));
        }
        KafkaConnection connection = KafkaClientOptions.connection(args);
        String topic = KafkaClientOptions.topic(args);
        int max = args.getInt("max", Integer.MAX_VALUE);
        Duration timeout = args.getDuration("timeout", null);
        boolean printKey = args.has("print-key");
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientOptions.consumer(connection, topic)) {
            if (args.has("from-beginning")) {
                consumer.seekToBeginning(consumer.assignment());
            } else {
                consumer.seekToEnd(consumer.assignment());
            }
            long lastRecord = System.nanoTime();
            while (count < max) {
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    any = true;
                    String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    if (printKey) {
                        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                        out.println(key + "\t" + value);
                    } else {
                        out.println(value);
                    }
                    if (++count >= max) {
                        break;
                    }
                }
                out.flush();
                if (any) {
                    lastRecord = System.nanoTime();
                } else if (timeout != null && System.nanoTime() - lastRecord > timeout.toNanos()) {
                    break;
                }
            }
        }
        err.printf("tiktok-detector: %d records from %s%n", count, topic);
        return 0;
    }
}
