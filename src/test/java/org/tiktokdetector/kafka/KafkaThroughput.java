package org.tiktokdetector.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.tiktokdetector.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Benchmark, not a test: the whole job through a real Kafka broker on this machine. Starts a broker
 * in this JVM, fills a 2-partition flows topic with N generated records (Zeek dns.log and own
 * flow-record JSON, 1% TikTok/ByteDance names from 40 of 20,000 devices, one hour of event time), then runs
 * {@code detect} in Kafka mode at parallelism 2, exactly-once sinks and all, reading to the end of
 * the topic ({@code --until-latest}), and prints records/s sustained. The broker shares the two
 * cores with the job, so the figure is a floor for a dedicated cluster.
 *
 * <pre>mvn -B -q test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-Xmx4g -cp %classpath org.tiktokdetector.kafka.KafkaThroughput --records 1000000"</pre>
 * (a forked JVM: Flink's MiniCluster cannot run inside exec:java's class loader).
 */
public final class KafkaThroughput {
    private static final String[] ORDINARY = {"www.google.com", "outlook.office365.com", "login.microsoftonline.com",
            "teams.microsoft.com", "www.belgium.be", "fonts.gstatic.com", "github.com", "www.lesoir.be", "ec.europa.eu"};
    private static final String[] TIKTOK = {"api16-normal-c-useast1a.tiktokv.com", "www.tiktok.com",
            "p16-sign-va.tiktokcdn.com", "mon.byteoversea.com", "editor-api-sg.capcutapi.com"};
    private static final long START = 1_795_510_800_000L; // 2026-11-24T09:00:00Z

    private KafkaThroughput() {}

    public static void main(String[] argv) throws Exception {
        int records = argv.length == 2 && argv[0].equals("--records") ? Integer.parseInt(argv[1]) : 1_000_000;
        System.exit(run(records, System.out));
    }

    /** @return detect's exit code */
    static int run(int records, PrintStream out) throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopics(2, "flows", "violations", "dead-letter", "late-hits");
            long produceStart = System.nanoTime();
            fill(kafka, records);
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long start = System.nanoTime();
            int exit = Main.run(List.of("detect", "--kafka-bootstrap", kafka.bootstrap(), "--flows-topic", "flows",
                    "--violations-topic", "violations", "--dead-letter-topic", "dead-letter", "--late-topic", "late-hits", "--until-latest",
                    "--parallelism", "2", "--checkpoint-interval", "10s"), out, new PrintStream(err, true, StandardCharsets.UTF_8));
            double seconds = (System.nanoTime() - start) / 1e9;
            String summary = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("tiktok-detector:")).findFirst().orElse("");
            out.printf("produced %,d records into 2 partitions in %.1f s (%,.0f records/s)%n", records, produceSeconds, records / produceSeconds);
            out.printf("detect (Kafka mode, parallelism 2, exactly once): exit %d, %.1f s, %,.0f records/s%n", exit, seconds, records / seconds);
            out.println(summary);
            out.printf("peak heap of this JVM (broker, job and producer): %,d MB%n",
                    ManagementFactory.getMemoryPoolMXBeans().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20);
            return exit;
        }
    }

    /** Deterministic records, half Zeek dns.log and half own flow-record JSON, sent without waiting for each. */
    private static void fill(KafkaBroker kafka, int records) throws Exception {
        Random rnd = new Random(20261125);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < records; i++) {
                long ts = START + (long) i * 3_600_000L / records;
                boolean tiktok = rnd.nextInt(100) == 0;
                // The TikTok names come from 40 devices, so some of them cross the threshold.
                String client = tiktok ? "10.20.99." + rnd.nextInt(40) : "10.20." + rnd.nextInt(80) + "." + rnd.nextInt(250);
                String name = tiktok ? TIKTOK[rnd.nextInt(TIKTOK.length)] : ORDINARY[rnd.nextInt(ORDINARY.length)];
                String line = i % 2 == 0
                        ? "{\"ts\":" + ts / 1000 + "." + String.format("%03d", ts % 1000) + ",\"uid\":\"C" + i
                          + "\",\"id.orig_h\":\"" + client + "\",\"id.orig_p\":" + (1024 + rnd.nextInt(60000))
                          + ",\"id.resp_h\":\"10.20.0.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"" + name
                          + "\",\"qtype_name\":\"A\",\"rcode_name\":\"NOERROR\"}"
                        : "{\"ts\":\"" + java.time.Instant.ofEpochMilli(ts) + "\",\"sensor\":\"nac-gw\",\"kind\":\"tls\","
                          + "\"client_ip\":\"" + client + "\",\"server_ip\":\"23.1.2.3\",\"server_port\":443,\"name\":\"" + name + "\"}";
                producer.send(new ProducerRecord<>("flows", null, line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
