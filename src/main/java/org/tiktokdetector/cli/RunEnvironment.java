package org.tiktokdetector.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.tiktokdetector.flink.EarlyMiniCluster;
import org.tiktokdetector.io.UsageException;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Flink environment of one {@code detect} run. Submitted with {@code flink run} it is the cluster's,
 * untouched: the cluster owns its files. Started with {@code java -jar} it is an embedded MiniCluster, which starts
 * as soon as the environment is created, while the CLI reads its inputs and builds the job ({@link EarlyMiniCluster}),
 * and is stopped by {@link #close}. Its files (the RPC system's jar, about 21 MB, extracted per run unless it is on
 * the class path; the {@code minicluster_*} working folder with the blob store and task manager folders; the REST
 * upload folder) all go into one temp folder of this run, deleted when the run ends, normally or by an error
 * ({@link #close}), or by Ctrl-C or SIGTERM (a shutdown hook, which first lets a run with a live input end cleanly:
 * {@link #onInterrupt}). The hook also runs at a normal exit: the cluster is still stopping when a job's run closes.
 */
final class RunEnvironment implements AutoCloseable {
    /** How long Ctrl-C or SIGTERM waits for a stopped input's run to finish (windows flushed, summary printed). */
    static final long STOP_GRACE_SECONDS = 30;

    private final StreamExecutionEnvironment env;
    /** The embedded cluster, or null on a cluster. */
    private final EarlyMiniCluster embedded;
    /** The run's temp folder, or null on a cluster. */
    private final Path tempFolder;
    /** What ends the run's unbounded input early, asked by Ctrl-C or SIGTERM; null when there is none. */
    private volatile Runnable stopInput;
    private final CountDownLatch closed = new CountDownLatch(1);

    private RunEnvironment(StreamExecutionEnvironment env, EarlyMiniCluster embedded, Path tempFolder) {
        this.env = env;
        this.embedded = embedded;
        this.tempFolder = tempFolder;
    }

    /**
     * @param parallelism the job's parallelism; if empty, the cluster's default, or for an embedded cluster one task
     *                    per core (as Flink's local environment)
     * @param metricsPort where the embedded cluster serves its metrics to Prometheus, if anywhere (a local run only)
     */
    static RunEnvironment create(OptionalInt parallelism, OptionalInt metricsPort) throws IOException {
        StreamExecutionEnvironment clusters = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(clusters instanceof LocalStreamEnvironment)) {
            if (metricsPort.isPresent()) {
                throw new UsageException("--metrics-port is for runs with java -jar; a cluster serves metrics with the reporter "
                        + "in its own configuration (metrics.reporter.prom.*, see the README's \"Metrics\")");
            }
            parallelism.ifPresent(clusters::setParallelism);
            return new RunEnvironment(clusters, null, null);
        }
        int tasks = parallelism.orElse(Runtime.getRuntime().availableProcessors());
        if (tasks < 1) {
            throw new UsageException("--parallelism must be at least 1, got " + tasks);
        }
        Configuration conf = new Configuration();
        if (metricsPort.isPresent()) {
            conf.addAll(prometheus(metricsPort.getAsInt()));
        }
        Path folder = Files.createTempDirectory("tiktok-detector-");
        // io.tmp.dirs is where the RPC jar is extracted, and the base of the MiniCluster's working folder.
        conf.set(CoreOptions.TMP_DIRS, folder.toString());
        conf.set(WebOptions.TMP_DIR, folder.toString());
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, networkMemory(tasks));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, networkMemory(tasks));
        // What Flink's local environment sets, for the job's configuration; the executor is the early cluster.
        conf.set(DeploymentOptions.TARGET, "local");
        conf.set(DeploymentOptions.ATTACHED, true);
        EarlyMiniCluster embedded = EarlyMiniCluster.start(conf, tasks);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(embedded, conf, null);
        env.setParallelism(tasks);
        RunEnvironment run = new RunEnvironment(env, embedded, folder);
        // For Ctrl-C and SIGTERM, which end the JVM without close(), and after close(): a job's cluster is still stopping then.
        Runtime.getRuntime().addShutdownHook(new Thread(run::shutDown, "delete " + folder));
        return run;
    }

    /**
     * The embedded task manager's network memory, which it allocates in full as it starts (Flink's local default,
     * 64 MB of 32 KB buffers, took 0.1-0.7 s of a run's start). The buffers a job needs grow with the square of its
     * parallelism, its channels; measured on the sample data: parallelism 2 runs with 2 MB, 8 needs 9-16 MB, 16 more
     * than 32 MB, 32 runs with 64 MB. 2 MB per task squared leaves several times that up to Flink's default.
     */
    private static MemorySize networkMemory(int tasks) {
        return MemorySize.ofMebiBytes(Math.min(64, 2L * tasks * tasks));
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
    public void close() throws InterruptedException, TimeoutException {
        try {
            if (embedded != null) {
                embedded.close();
            }
        } finally {
            if (tempFolder != null) {
                delete(tempFolder);
            }
            closed.countDown();
        }
    }

    private static void delete(Path folder) {
        try {
            FileUtils.deleteDirectory(folder.toFile());
        } catch (IOException e) {
            System.err.println("tiktok-detector: could not delete the run's temp folder " + folder + ": " + e);
        }
    }
}
