package org.tiktokdetector.kafka;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.tiktokdetector.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@code detect} run that goes on until cancelled (no --until-latest), through the CLI, in a thread of its own, on
 * the test's MiniCluster. Closing it cancels the job and waits for the run to return.
 */
final class DetectInBackground implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ClusterClient<?> flink;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private DetectInBackground(List<String> argv, ClusterClient<?> flink) {
        this.flink = flink;
        this.thread = new Thread(() -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                int code = Main.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
                if (code != 0) {
                    failure.set(new AssertionError("detect exited with " + code + ": " + err.toString(StandardCharsets.UTF_8)));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "detect");
    }

    static DetectInBackground start(List<String> argv, ClusterClient<?> flink) {
        DetectInBackground run = new DetectInBackground(argv, flink);
        run.thread.start();
        return run;
    }

    /** Throws once the run has failed, so a wait on its output stops at once (pass it to awaitValues). */
    void alive() {
        if (failure.get() != null) {
            throw new AssertionError("the detect job failed", failure.get());
        }
    }

    /** The job that runs now (one per test). */
    JobID job() throws Exception {
        for (JobStatusMessage j : flink.listJobs().get()) {
            if (!j.getJobState().isGloballyTerminalState()) {
                return j.getJobId();
            }
        }
        throw new AssertionError("no job is running");
    }

    @Override
    public void close() throws Exception {
        for (JobStatusMessage j : flink.listJobs().get()) {
            if (!j.getJobState().isGloballyTerminalState()) {
                flink.cancel(j.getJobId()).get();
            }
        }
        thread.join(WAIT.toMillis());
    }
}
