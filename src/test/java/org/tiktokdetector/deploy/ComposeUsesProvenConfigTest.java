package org.tiktokdetector.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml runs its Flink services with the settings SessionClusterIT proves on a real session
 * cluster (jobs/flink/config.yaml), and with checkpoints and savepoints on a volume both services share.
 */
class ComposeUsesProvenConfigTest {
    @ParameterizedTest
    @ValueSource(strings = {"jobmanager", "taskmanager"})
    @SuppressWarnings("unchecked")
    void flinkServiceCarriesEveryProvenSetting(String service) throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(service);
        List<String> properties = ((String) ((Map<String, Object>) s.get("environment")).get("FLINK_PROPERTIES")).lines().toList();
        List<String> proven = Files.readAllLines(FlinkSessionCluster.PROVEN_CONFIG).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();

        assertThat(proven).isNotEmpty();
        assertThat(properties).containsAll(proven);
        assertThat(properties).contains("execution.checkpointing.dir: file:///opt/flink/state/checkpoints",
                "execution.checkpointing.savepoint-dir: file:///opt/flink/state/savepoints");
        assertThat((List<String>) s.get("volumes")).contains("flink-state:/opt/flink/state");
    }
}
