package org.tiktokdetector.cli;

import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.DetectRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class RunEnvironmentTest {
    @TempDir
    Path dir;

    /**
     * The embedded task manager's network memory is sized by parallelism (2 MB per task squared, up to Flink's 64 MB):
     * the sample run deploys and finds its violations at the widest parallelisms that get less than 64 MB (1 and 2
     * run in the other tests), where too few buffers would fail the deployment ("Insufficient number of network buffers").
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 5})
    void theSampleRunDeploysWithTheNetworkMemoryOfItsParallelism(int parallelism) throws Exception {
        DetectRun run = DetectRun.of("detect", "--input", "sample-data", "--devices", "sample-data/devices.csv",
                "--parallelism", Integer.toString(parallelism), "--out", dir.resolve("violations.jsonl").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.finalViolations()).isEqualTo(7);
        assertThat(run.earlyViolations()).isEqualTo(7);
    }

    @Test
    void locallyTheMiniClustersFilesGoToAFolderOfTheRunThatCloseDeletes() throws Exception {
        Path folder;
        try (RunEnvironment run = RunEnvironment.create(OptionalInt.of(1), OptionalInt.empty())) {
            assertThat(run.local()).isTrue();
            folder = Path.of(run.env().getConfiguration().get(CoreOptions.TMP_DIRS));
            assertThat(folder).isDirectory().hasParent(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(run.env().getConfiguration().get(WebOptions.TMP_DIR)).isEqualTo(folder.toString());
            Files.createDirectories(folder.resolve("minicluster_1/blobStorage"));
        }
        assertThat(folder).doesNotExist();
    }

    /** {@code flink run} sets a context environment, as the test MiniCluster does: it is used as it is. */
    @Test
    void onAClusterTheEnvironmentIsTheClusters() throws Exception {
        TestStreamEnvironment.setAsContext(new MiniCluster(new MiniClusterConfiguration.Builder().build()), 1);
        try (RunEnvironment run = RunEnvironment.create(OptionalInt.of(3), OptionalInt.empty())) {
            assertThat(run.env()).isInstanceOf(TestStreamEnvironment.class);
            assertThat(run.env().getParallelism()).isEqualTo(3);
            assertThat(run.env().getConfiguration().getOptional(CoreOptions.TMP_DIRS)).isEmpty();
        } finally {
            TestStreamEnvironment.unsetAsContext();
        }
    }
}
