package org.tiktokdetector.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tests run as {@code java -jar} and a cluster do, without Flink's RPC jar on the class path (it holds a Scala of
 * its own, which the test class path's Kafka broker would clash with): the loader declines there and Flink's serves.
 * With the jar on the class path (jobs/tiktok-detector), LauncherIT checks that no class comes from Flink's copy.
 */
class ClassPathRpcSystemLoaderTest {
    @Test
    void isFoundByFlinkAndAskedBeforeFlinksOwnLoader() {
        assertThat(ServiceLoader.load(RpcSystemLoader.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(RpcSystemLoader::getLoadPriority)).map(l -> l.getClass().getSimpleName()))
                // (the tests' class path also has Flink's test fallback, asked last)
                .startsWith("ClassPathRpcSystemLoader", "PekkoRpcSystemLoader");
    }

    @Test
    void withoutFlinksRpcJarOnTheClassPathItDeclinesAndFlinksLoaderServes(@TempDir Path tmp) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, tmp.toString());

        assertThatThrownBy(() -> new ClassPathRpcSystemLoader().loadRpcSystem(conf))
                .isInstanceOf(RpcLoaderException.class).hasMessageContaining("not on the class path");
        try (RpcSystem rpc = RpcSystem.load(conf); Stream<Path> files = Files.list(tmp)) {
            assertThat(rpc.localServiceBuilder(conf)).isNotNull();
            // Flink's loader: its RPC jar copied into the temp folder, loaded from there.
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("flink-rpc-akka"));
        }
    }
}
