package org.tiktokdetector.emit;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaOutputsTest {
    @Test
    void exactlyOnceNeedsCheckpointsAndARestartStrategyInTheJobConfiguration() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaOutputs.configureExactlyOnce(env, Duration.ofSeconds(7), 4, Duration.ofSeconds(3));
        assertThat(env.getCheckpointInterval()).isEqualTo(7000);
        assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(4);
        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY)).isEqualTo(Duration.ofSeconds(3));

        env.fromSequence(1, 2).sinkTo(new DiscardingSink<>());
        var job = env.getStreamGraph().getJobConfiguration();
        assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY)).as("restart strategy in the submitted job").isEqualTo("fixed-delay");
        assertThat(job.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(4);
    }
}
