package org.tiktokdetector.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka (KRaft, broker and controller in one, {@code kafka.Kafka} from the Kafka server jars on
 * this class path) in a JVM of its own, so its CPU time can be told apart from the job's. Its storage is formatted
 * with Kafka's own {@code StorageTool}, in a child JVM too; replication factors are 1, as one broker needs for
 * transactions. Its log goes to {@code server.log} in its folder.
 */
final class KafkaServerProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);

    private final Process process;
    private final String bootstrap;
    private final Path dir;
    private final Path logs;

    private KafkaServerProcess(Process process, String bootstrap, Path dir, Path logs) {
        this.process = process;
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.logs = logs;
    }

    /** Formats a fresh log folder under {@code dir}, starts the broker and returns once it answers an admin request. */
    static KafkaServerProcess start(Path dir, String heap) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        int controllerPort = freePort();
        Path logs = Files.createTempDirectory(dir, "kafka-logs-");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "KafkaThroughput's broker");
        }
        Path log = dir.resolve("server.log");
        Process format = java(List.of("-Xmx256m"), "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's storage failed; see " + log);
        }
        Process broker = java(List.of("-Xms" + heap, "-Xmx" + heap), "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        KafkaServerProcess server = new KafkaServerProcess(broker, "127.0.0.1:" + port, dir, logs);
        server.awaitReady(log);
        return server;
    }

    /** A JVM on this JVM's class path (target/benchmarks.jar) running {@code main}. */
    static ProcessBuilder java(List<String> jvmOptions, String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Waits until the broker listens (a plain connect, so the admin client does not log a warning per try), then answers. */
    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        while (!listening(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the broker did not listen within " + READY + "; see " + log);
            }
            process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once should it exit
        }
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(READY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    Path dir() {
        return dir;
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Stops the broker as an operator would (SIGTERM: a controlled shutdown), killing it if that takes over a minute,
     * and deletes its topics' data (hundreds of MB); server.log stays.
     */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
