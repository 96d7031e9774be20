package org.tiktokdetector.flink;

import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.function.FunctionUtils;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An embedded Flink cluster that starts on a thread of its own as soon as it is created, and the executor that runs
 * a job on it (README "Start-up"). Flink's {@code LocalExecutor} starts its MiniCluster inside {@code execute()},
 * after the CLI has read its list, inventory and inputs and built the graph on one core; started here first, the
 * cluster's second or so of start-up (RPC actor systems, blob server, REST endpoint, task manager) runs on the other
 * core meanwhile. The cluster is configured as Flink's {@code PerJobMiniClusterFactory} configures it (one task
 * manager, a slot per parallel task, a REST port of the system's choosing, one shared RPC service) and, as there,
 * shuts down when the job's result is in.
 */
public final class EarlyMiniCluster implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor, AutoCloseable {
    /** How long {@link #close} waits for the cluster to finish starting and then to stop. */
    private static final long CLOSE_SECONDS = 30;

    private final int slots;
    private final CompletableFuture<MiniCluster> started = new CompletableFuture<>();
    /** Set once a job's client has the cluster: it stops the cluster when the job's result is in. */
    private volatile boolean handedToJob;

    private EarlyMiniCluster(int slots) {
        this.slots = slots;
    }

    /** Starts a cluster of {@code configuration} with {@code slots} task slots; returns at once. */
    public static EarlyMiniCluster start(Configuration configuration, int slots) {
        Configuration conf = new Configuration(configuration);
        if (!conf.contains(RestOptions.BIND_PORT)) {
            conf.set(RestOptions.BIND_PORT, "0");
        }
        MiniClusterConfiguration clusterConf = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).setRpcServiceSharing(RpcServiceSharing.SHARED).build();
        EarlyMiniCluster early = new EarlyMiniCluster(slots);
        Thread starter = new Thread(() -> {
            try {
                MiniCluster cluster = new MiniCluster(clusterConf);
                cluster.start(); // closes what it started if it fails
                early.started.complete(cluster);
            } catch (Throwable e) {
                early.started.completeExceptionally(e);
            }
        }, "start embedded Flink cluster");
        starter.setDaemon(true);
        starter.start();
        return early;
    }

    @Override
    public CompletableFuture<JobClient> execute(Pipeline pipeline, Configuration configuration, ClassLoader classLoader) throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
        graph.serializeUserDefinedInstances();
        if (graph.getMaximumParallelism() > slots) {
            // The job would wait for slots that never come; the cluster is sized before the graph exists.
            throw new IllegalStateException("the job needs " + graph.getMaximumParallelism() + " task slots; the embedded cluster has " + slots);
        }
        MiniCluster cluster = started.get();
        return cluster.submitJob(graph)
                .thenApplyAsync(FunctionUtils.uncheckedFunction(submitted -> {
                    // As Flink's LocalExecutor: a job that fails to initialise fails here, with its cause.
                    ClientUtils.waitUntilJobInitializationFinished(() -> cluster.getJobStatus(submitted.getJobID()).get(),
                            () -> cluster.requestJobResult(submitted.getJobID()).get(), classLoader);
                    return submitted;
                }))
                .thenApply(submitted -> {
                    handedToJob = true;
                    return new MiniClusterJobClient(submitted.getJobID(), cluster, classLoader,
                            MiniClusterJobClient.JobFinalizationBehavior.SHUTDOWN_CLUSTER);
                });
    }

    /**
     * Without a job (a user's mistake, found while the cluster may still be starting): waits for the start, then stops
     * the cluster and waits for that too, so nothing of it writes to the run's temp folder once the run deletes it.
     * After a job, its client is already stopping the cluster; as with Flink's LocalExecutor that is not waited for
     * (0.1-0.3 s), and the run's shutdown hook deletes the temp folder again as the JVM exits.
     */
    @Override
    public void close() throws InterruptedException, TimeoutException {
        if (handedToJob) {
            return;
        }
        MiniCluster cluster;
        try {
            cluster = started.get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return; // it did not start, and closed what it had; execute() reports why
        }
        try {
            cluster.closeAsync().get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Its services' own failures to stop: the job's result is already in, and the process ends next.
        }
    }

    /** The cluster once started (for tests). */
    MiniCluster cluster() {
        return started.join();
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
        return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
        return Stream.of(getName());
    }

    @Override
    public String getName() {
        return "embedded";
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
        return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
        return this;
    }
}
