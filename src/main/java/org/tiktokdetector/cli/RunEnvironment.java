package org.tiktokdetector.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.tiktokdetector.io.UsageException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Flink environment of one {@code detect} run. Submitted with {@code flink run} it is the cluster's,
 * untouched: the cluster owns its files. Started with {@code java -jar} it is an embedded MiniCluster whose
 * files (the RPC system's jar, about 21 MB, extracted per run; the {@code minicluster_*} working folder with
 * the blob store and task manager folders; the REST upload folder) all go into one temp folder of this run,
 * deleted when the run ends, normally or by an error ({@link #close}), or by Ctrl-C or SIGTERM (a shutdown
 * hook, which first lets a run with a live input end cleanly: {@link #onInterrupt}). Flink deletes them itself only when its MiniCluster finishes shutting down, which it does
 * asynchronously after {@code execute()} returns: the JVM used to exit first and leave them behind.
 */
final class RunEnvironment implements AutoCloseable {
    /** How long Ctrl-C or SIGTERM waits for a stopped input's run to finish (windows flushed, summary printed). */
    static final long STOP_GRACE_SECONDS = 30;

    private final StreamExecutionEnvironment env;
    /** The run's temp folder, or null on a cluster. */
    private final Path tempFolder;
    /** What ends the run's unbounded input early, asked by Ctrl-C or SIGTERM; null when there is none. */
    private volatile Runnable stopInput;
    private final CountDownLatch closed = new CountDownLatch(1);

    private RunEnvironment(StreamExecutionEnvironment env, Path tempFolder) {
        this.env = env;
        this.tempFolder = tempFolder;
    }

    /** @param metricsPort where the embedded cluster serves its metrics to Prometheus, if anywhere (a local run only) */
    static RunEnvironment create(OptionalInt metricsPort) throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(env instanceof LocalStreamEnvironment)) {
            if (metricsPort.isPresent()) {
                throw new UsageException("--metrics-port is for runs with java -jar; a cluster serves metrics with the reporter "
                        + "in its own configuration (metrics.reporter.prom.*, see the README's \"Metrics\")");
            }
            return new RunEnvironment(env, null);
        }
        Configuration conf = new Configuration();
        if (metricsPort.isPresent()) {
            conf.addAll(prometheus(metricsPort.getAsInt()));
        }
        Path folder = Files.createTempDirectory("tiktok-detector-");
        // io.tmp.dirs is where the RPC jar is extracted, and the base of the MiniCluster's working folder.
        conf.set(CoreOptions.TMP_DIRS, folder.toString());
        conf.set(WebOptions.TMP_DIR, folder.toString());
        RunEnvironment run = new RunEnvironment(StreamExecutionEnvironment.createLocalEnvironment(conf), folder);
        // Kept after close(): the MiniCluster is still shutting down then and could leave something behind.
        Runtime.getRuntime().addShutdownHook(new Thread(run::shutDown, "delete " + folder));
        return run;
    }

    /** True for an embedded cluster in this process ({@code java -jar}), false on a cluster ({@code flink run}). */
    boolean local() {
        return tempFolder != null;
    }

    /**
     * On Ctrl-C or SIGTERM, {@code stop} is run first and the run is given {@link #STOP_GRACE_SECONDS} to finish
     * (a live capture ends as if its duration had passed: final violations written, summary printed).
     */
    void onInterrupt(Runnable stop) {
        this.stopInput = stop;
    }

    /** The shutdown hook (also run at a normal exit, when the run has already closed). */
    private void shutDown() {
        Runnable stop = stopInput;
        if (stop != null && closed.getCount() > 0) {
            stop.run();
            try {
                closed.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        delete(tempFolder);
    }

    /**
     * Flink's Prometheus reporter on {@code port}, as docker-compose.yml configures it on a cluster. Label values are
     * kept as they are ({@code type="zeek/dns"}); Flink would otherwise turn every character other than letters,
     * digits, '_' and ':' into '_'. The port is tried first: Flink only logs a reporter that cannot start.
     */
    private static Configuration prometheus(int port) {
        try {
            new ServerSocket(port).close();
        } catch (IOException e) {
            throw new UsageException("--metrics-port " + port + " cannot be listened on (" + e.getMessage()
                    + "); choose a free port, or stop what listens there");
        }
        return Configuration.fromMap(Map.of(
                "metrics.reporter.prom.factory.class", PrometheusReporterFactory.class.getName(),
                "metrics.reporter.prom.port", Integer.toString(port),
                "metrics.reporter.prom.filterLabelValueCharacters", "false"));
    }

    StreamExecutionEnvironment env() {
        return env;
    }

    @Override
    public void close() {
        if (tempFolder != null) {
            delete(tempFolder);
        }
        closed.countDown();
    }

    private static void delete(Path folder) {
        try {
            FileUtils.deleteDirectory(folder.toFile());
        } catch (IOException e) {
            System.err.println("tiktok-detector: could not delete the run's temp folder " + folder + ": " + e);
        }
    }
}
