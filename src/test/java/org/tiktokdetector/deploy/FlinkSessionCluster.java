package org.tiktokdetector.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Flink session cluster made of plain JVMs, as flink-dist's scripts would start them: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}), TaskManagers ({@code TaskManagerRunner}) and the
 * {@code flink} CLI ({@code CliFrontend}), on the classpath of a distribution's lib/ (Maven writes it to
 * target/flink-cluster.classpath by the build). The cluster settings are
 * jobs/flink/config.yaml plus this cluster's addresses, free ports and directories. Everything lives in
 * one folder (config, logs, checkpoints, savepoints, a bin/flink script) so a failure can be read there.
 */
final class FlinkSessionCluster implements AutoCloseable {
    static final Path PROVEN_CONFIG = Path.of("jobs/flink/config.yaml");
    private static final Path CLASSPATH = Path.of("target/flink-cluster.classpath");
    /** flink-dist's default env.java.opts.all for Java 17. */
    private static final List<String> JAVA_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    /** The JVM sizes flink-dist's scripts derive from the memory settings in jobs/flink/config.yaml. */
    private static final List<String> TASK_MANAGER_JVM = List.of("-Xmx512m", "-Xms512m", "-XX:MaxDirectMemorySize=256m",
            "-XX:MaxMetaspaceSize=256m");
    /** The CLI lives for seconds: the quick compiler alone starts it faster. */
    private static final List<String> CLI_JVM = List.of("-XX:TieredStopAtLevel=1");
    private static final List<String> JOB_MANAGER_JVM = List.of("-Xmx512m", "-Xms512m", "-XX:MaxMetaspaceSize=256m");

    private final Path dir;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private int taskManagers;

    private FlinkSessionCluster(Path dir, String classpath, int restPort) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
    }

    /** Writes the configuration and starts the JobManager; add TaskManagers with {@link #startTaskManager()}. */
    static FlinkSessionCluster start(Path dir) throws IOException {
        String classpath = Files.readString(CLASSPATH).trim();
        if (classpath.contains("tiktok-detector") || classpath.contains("kafka-clients")) {
            throw new IllegalStateException(CLASSPATH + " holds the job's own classes; the cluster must load them from the user jar");
        }
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        int restPort = freePort();
        String config = Files.readString(PROVEN_CONFIG) + String.join("\n",
                "",
                "# This cluster's addresses, ports and directories (SessionClusterIT)",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + freePort(),
                "jobmanager.bind-host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.host: localhost",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "blob.server.port: " + freePort(),
                "execution.checkpointing.dir: " + dir.resolve("checkpoints").toAbsolutePath().toUri(),
                "execution.checkpointing.savepoint-dir: " + dir.resolve("savepoints").toAbsolutePath().toUri(),
                "io.tmp.dirs: " + dir.resolve("tmp").toAbsolutePath(),
                // A TaskManager killed with SIGKILL is noticed after two failed heartbeats: 2 s here, 20 s by default.
                "heartbeat.interval: 1000",
                "");
        Files.writeString(dir.resolve("conf/config.yaml"), config);
        Files.writeString(dir.resolve("conf/log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.name = file",
                "appender.file.type = File",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                ""));
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir, classpath, restPort);
        Path flink = cluster.flinkCommand();
        Files.createDirectories(flink.getParent());
        Files.writeString(flink, "#!/bin/sh\n# The flink CLI of this cluster (what flink-dist's bin/flink runs).\nexport FLINK_CONF_DIR='"
                + dir.resolve("conf").toAbsolutePath() + "'\nexec " + String.join(" ", cluster.javaCommand("cli", CLI_JVM))
                + " org.apache.flink.client.cli.CliFrontend \"$@\"\n");
        Files.setPosixFilePermissions(flink, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster.launch("jobmanager", JOB_MANAGER_JVM, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        return cluster;
    }

    /** Starts one more TaskManager process; it registers with the JobManager on its own. */
    Process startTaskManager() throws IOException {
        return launch("taskmanager-" + ++taskManagers, TASK_MANAGER_JVM, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    }

    private Process launch(String name, List<String> jvm, String mainClass) throws IOException {
        List<String> command = new ArrayList<>(javaCommand(name, jvm));
        command.addAll(List.of(mainClass, "--configDir", dir.resolve("conf").toAbsolutePath().toString()));
        Process p = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile())
                .redirectErrorStream(true)
                .start();
        processes.add(p);
        return p;
    }

    /** java with flink-dist's options, its log file under log/, and the cluster's classpath (no user jar). */
    private List<String> javaCommand(String logName, List<String> jvm) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(JAVA_OPTS);
        command.add("-Dlog.file=" + dir.resolve("log/" + logName + ".log").toAbsolutePath());
        command.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties").toAbsolutePath().toUri());
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    /** The bin/flink script: `flink run`, `flink stop`, ... against this cluster. */
    Path flinkCommand() {
        return dir.resolve("bin/flink").toAbsolutePath();
    }

    Path savepoints() {
        return dir.resolve("savepoints");
    }

    /** GET on the REST API, e.g. "/jobs/overview"; null while the JobManager does not answer. */
    JsonNode rest(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? FlowRecordJson.MAPPER.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls a REST resource until {@code done} holds for its answer; fails after {@code timeout}, and at
     * once if a process of the cluster (other than one killed on purpose) has ended.
     */
    JsonNode await(String path, Duration timeout, Predicate<JsonNode> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive() && p.exitValue() != 137) {
                    throw new AssertionError("a cluster process ended with " + p.exitValue() + " while waiting for " + what + "; see " + dir.resolve("log"));
                }
            }
            JsonNode answer = rest(path);
            if (answer != null && done.test(answer)) {
                return answer;
            }
            last = answer;
            Thread.sleep(200); // poll interval, not a synchronisation: the condition is checked above
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last answer of " + path + ": " + last
                + "; logs in " + dir.resolve("log"));
    }

    /** The job's state ("RUNNING", "FINISHED", ...) and whether every task of it runs. */
    static boolean allTasksRunning(JsonNode job) {
        return job.path("state").asText().equals("RUNNING")
                && job.path("vertices").size() > 0
                && java.util.stream.StreamSupport.stream(job.path("vertices").spliterator(), false)
                        .allMatch(v -> v.path("status").asText().equals("RUNNING"));
    }

    /** Runs bin/flink with more environment (e.g. FLINK_RUN_OPTS) and returns its standard output; fails on a non-zero exit. */
    static String run(List<String> command, Map<String, String> env, Path log, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " did not end within " + timeout + "; see " + log);
            }
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Kills every process of the cluster (SIGKILL) and waits until they are gone. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted while stopping the cluster", e));
            }
        }
    }
}
