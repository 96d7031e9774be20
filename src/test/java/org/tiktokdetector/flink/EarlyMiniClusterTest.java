package org.tiktokdetector.flink;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EarlyMiniClusterTest {
    @TempDir
    Path dir;

    /** As RunEnvironment configures a local run: the cluster's files in the test's folder, an attached local job. */
    private Configuration conf() {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, dir.toString());
        conf.set(DeploymentOptions.TARGET, "local");
        conf.set(DeploymentOptions.ATTACHED, true);
        return conf;
    }

    /** The job defined after the cluster started runs on it, in parallel, and its accumulators (the run summary's figures) come back. */
    @Test
    void aJobDefinedWhileTheClusterStartsRunsOnItAndReturnsItsAccumulators() throws Exception {
        try (EarlyMiniCluster cluster = EarlyMiniCluster.start(conf(), 2)) {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(cluster, conf(), null);
            env.setParallelism(2);
            env.fromSequence(1, 1000).map(new Count()).sinkTo(new DiscardingSink<>());

            JobExecutionResult result = env.execute("early");

            assertThat(result.<Long>getAccumulatorResult(Count.RECORDS)).isEqualTo(1000L);
            assertThat(result.<Long>getAccumulatorResult(Count.TASKS)).isEqualTo(2L);
            // The job's client is stopping the cluster, and close() leaves it to that: waited for here, before the
            // test's folder is deleted.
            cluster.cluster().closeAsync().get(30, TimeUnit.SECONDS);
        }
    }

    /** The slots are counted before the graph exists: a job that needs more fails at once instead of waiting for them. */
    @Test
    void aJobThatNeedsMoreSlotsThanTheClusterHasFailsAtSubmission() throws Exception {
        try (EarlyMiniCluster cluster = EarlyMiniCluster.start(conf(), 1)) {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(cluster, conf(), null);
            env.fromSequence(1, 10).map(new Count()).setParallelism(3).sinkTo(new DiscardingSink<>());

            assertThatThrownBy(() -> env.execute("too wide"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the job needs 3 task slots; the embedded cluster has 1");
        }
    }

    /** A user's mistake can be found while the cluster starts: closing then waits for the start and stops what it started. */
    @Test
    void closingWhileTheClusterStartsStopsIt() throws Exception {
        EarlyMiniCluster cluster = EarlyMiniCluster.start(conf(), 1);

        cluster.close();

        assertThat(cluster.cluster().isRunning()).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    /** Counts records and the tasks that saw them, in accumulators. */
    private static final class Count extends RichMapFunction<Long, Long> {
        static final String RECORDS = "records";
        static final String TASKS = "tasks";
        private final LongCounter records = new LongCounter();

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator(RECORDS, records);
            LongCounter tasks = new LongCounter();
            getRuntimeContext().addAccumulator(TASKS, tasks);
            tasks.add(1);
        }

        @Override
        public Long map(Long value) {
            records.add(1);
            return value;
        }
    }
}
