package org.tiktokdetector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code detect} in local mode runs an embedded Flink MiniCluster, which writes files to the temp
 * directory: a 21 MB RPC jar and its working folder on every run. Each run must take them away however it
 * ends: normally, by an error, or by SIGTERM (Ctrl-C's SIGINT takes the same way out: the JVM's shutdown
 * hooks). The CLI runs in child JVMs whose java.io.tmpdir is a fresh folder, which must be empty again
 * after each run.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalRunTempFilesTest {
    /** More than a pipe and the child's buffers hold: writing it returns once the job's source has read most of it. */
    private static final int FILLER_BYTES = 1 << 20;

    @TempDir
    Path dir;
    private Path tmp;

    @BeforeEach
    void freshTempDirectory() throws IOException {
        tmp = Files.createDirectory(dir.resolve("java.io.tmpdir"));
    }

    private List<String> jvm() {
        return List.of("-Djava.io.tmpdir=" + tmp);
    }

    @Test
    void aRunThatEndsNormallyLeavesNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.run(jvm(), null, "detect", "--input", "sample-data", "--devices", "sample-data/devices.csv",
                "--out", dir.resolve("violations.jsonl").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("14 violation records (7 early, 7 final)");
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aRunEndedBySigtermLeavesNothing() throws Exception {
        Process p = ChildJvm.start(jvm(), "detect", "--input", "-", "--out", dir.resolve("violations.jsonl").toString());
        CompletableFuture<String> err = ChildJvm.readAll(p.getErrorStream());
        ChildJvm.readAll(p.getInputStream());
        OutputStream stdin = p.getOutputStream();
        stdin.write(filler());
        stdin.flush();
        assertEverythingInOneRunFolder();

        p.destroy();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended on SIGTERM").isTrue();
        assertThat(p.exitValue()).as(err.join()).isEqualTo(128 + 15);
        assertThat(tmp).isEmptyDirectory();
    }

    /**
     * A mistake found while the embedded cluster starts (a bad list line: the lists are read meanwhile) is one line
     * and exit code 2, with nothing of the cluster on stderr, and the cluster's files (the RPC jar it extracts at
     * start, its working folder) are gone: the run waits for the start to finish and stops the cluster first.
     */
    @Test
    void aMistakeFoundWhileTheClusterStartsIsOneLineAndLeavesNothing() throws Exception {
        Path list = dir.resolve("extra.list");
        Files.writeString(list, "co.uk\n");
        ChildJvm.Result r = ChildJvm.run(jvm(), null, "detect", "--input", "sample-data", "--blocklist", list.toString(),
                "--out", dir.resolve("violations.jsonl").toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("extra.list:1: co.uk is a public suffix: a suffix rule would match every domain under it: co.uk\n"
                + "tiktok-detector detect: 1 blocklist line(s) rejected (listed above); fix or remove them, and check a list with `blocklist check FILE`\n");
        assertThat(tmp).isEmptyDirectory();
    }

    /** The violations' folder is checked at start-up and made by the sink; a file in its place fails the job. */
    @Test
    void aRunThatFailsLeavesNothing() throws Exception {
        Path outFolder = dir.resolve("out");
        Process p = ChildJvm.start(jvm(), "detect", "--input", "-", "--out", outFolder.resolve("violations.jsonl").toString());
        CompletableFuture<String> err = ChildJvm.readAll(p.getErrorStream());
        ChildJvm.readAll(p.getInputStream());
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(filler());
            stdin.flush();
            assertEverythingInOneRunFolder();
            Files.writeString(outFolder, "not a folder");
            for (int s = 1; s <= 5; s++) {
                stdin.write(line(s, "LAPTOP-1", "api16-normal-c-useast1a.tiktokv.com"));
            }
        }

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(err.join()).contains("FileAlreadyExistsException: " + outFolder);
        assertThat(tmp).isEmptyDirectory();
    }

    /** What a running job has written to the temp directory: the RPC jar and the MiniCluster's folder, in one folder of the run. */
    private void assertEverythingInOneRunFolder() throws IOException {
        List<Path> top;
        try (Stream<Path> s = Files.list(tmp)) {
            top = s.toList();
        }
        assertThat(top).singleElement().satisfies(run -> assertThat(run.getFileName().toString()).startsWith("tiktok-detector-"));
        try (Stream<Path> s = Files.list(top.get(0))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("flink-rpc-akka") && n.endsWith(".jar"))
                    .anyMatch(n -> n.startsWith("minicluster_"));
        }
    }

    /** Flow records of hosts on no list, one device each: judged, never a hit. */
    private static byte[] filler() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < FILLER_BYTES; i++) {
            sb.append(new String(line(i % 60, "PC-" + i, "www.example.org"), StandardCharsets.UTF_8));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] line(int second, String device, String name) {
        return String.format("{\"ts\":\"2026-11-30T09:00:%02dZ\",\"sensor\":\"tap-1\",\"kind\":\"tls\",\"client_ip\":\"10.20.0.15\","
                + "\"name\":\"%s\",\"device_id\":\"%s\"}%n", second, name, device).getBytes(StandardCharsets.UTF_8);
    }
}
