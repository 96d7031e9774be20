package org.tiktokdetector.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Flink environment of one {@code detect} run. Submitted with {@code flink run} it is the cluster's,
 * untouched: the cluster owns its files. Started with {@code java -jar} it is an embedded MiniCluster whose
 * files (the RPC system's jar, about 21 MB, extracted per run; the {@code minicluster_*} working folder with
 * the blob store and task manager folders; the REST upload folder) all go into one temp folder of this run,
 * deleted when the run ends, normally or by an error ({@link #close}), or by Ctrl-C or SIGTERM (a shutdown
 * hook). Flink deletes them itself only when its MiniCluster finishes shutting down, which it does
 * asynchronously after {@code execute()} returns: the JVM used to exit first and leave them behind.
 */
final class RunEnvironment implements AutoCloseable {
    private final StreamExecutionEnvironment env;
    /** The run's temp folder, or null on a cluster. */
    private final Path tempFolder;

    private RunEnvironment(StreamExecutionEnvironment env, Path tempFolder) {
        this.env = env;
        this.tempFolder = tempFolder;
    }

    static RunEnvironment create() throws IOException {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(env instanceof LocalStreamEnvironment)) {
            return new RunEnvironment(env, null);
        }
        Path folder = Files.createTempDirectory("tiktok-detector-");
        // Kept after close(): the MiniCluster is still shutting down then and could leave something behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder), "delete " + folder));
        Configuration conf = new Configuration();
        // io.tmp.dirs is where the RPC jar is extracted, and the base of the MiniCluster's working folder.
        conf.set(CoreOptions.TMP_DIRS, folder.toString());
        conf.set(WebOptions.TMP_DIR, folder.toString());
        return new RunEnvironment(StreamExecutionEnvironment.createLocalEnvironment(conf), folder);
    }

    StreamExecutionEnvironment env() {
        return env;
    }

    @Override
    public void close() {
        if (tempFolder != null) {
            delete(tempFolder);
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
