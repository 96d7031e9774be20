package org.tiktokdetector.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jobs/tiktok-detector against the packaged jar and the class-data archive `mvn package` made for it (runs in
 * `mvn verify`, after package): the sample run loads its classes from the archive and writes what `java -jar`
 * writes; a stale archive is left alone; a missing jar is one line.
 */
class LauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LAUNCHER = Path.of("jobs/tiktok-detector").toAbsolutePath();
    private static final Path JAR = Path.of("target/tiktok-detector.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target/tiktok-detector.jsa").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void sampleRunUsesTheArchiveAndWritesWhatJavaJarWrites() throws Exception {
        assertThat(ARCHIVE).as("made by mvn package (exec-maven-plugin, class-data-archive)").exists();
        Path classes = dir.resolve("classes.txt");
        Path cds = dir.resolve("cds.txt");
        Run launched = run(dir.resolve("launcher"), Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes + " -Xlog:cds=info:file=" + cds),
                "bash", LAUNCHER.toString(), "detect", "--input", Path.of("sample-data").toAbsolutePath().toString(),
                "--devices", Path.of("sample-data/devices.csv").toAbsolutePath().toString());
        Run plain = run(dir.resolve("plain"), Map.of(), "java", "-jar", JAR.toString(), "detect",
                "--input", Path.of("sample-data").toAbsolutePath().toString(),
                "--devices", Path.of("sample-data/devices.csv").toAbsolutePath().toString());

        assertThat(launched.exit).as(launched.stderr).isZero();
        assertThat(plain.exit).as(plain.stderr).isZero();
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded.stream().filter(l -> l.contains("shared objects file (top)")).count())
                .as("classes loaded from the dynamic archive").isGreaterThan(5_000);
        // Flink's RPC system from the class path (flink.ClassPathRpcSystemLoader), not from a copy Flink makes of its jar
        // in the run's temp folder (tiktok-detector-<number>/flink-rpc-akka<uuid>.jar).
        assertThat(loaded).filteredOn(l -> l.contains(" org.apache.pekko.actor.ActorSystemImpl ")).singleElement()
                .asString().contains("shared objects file (top)");
        assertThat(loaded).noneMatch(l -> l.matches(".* source: file:.*/tiktok-detector-[0-9]+/flink-rpc-akka.*"));
        // The archive is mapped where it was made for, not relocated on every start.
        assertThat(Files.readString(cds)).contains("Mapped dynamic region").doesNotContain("alternative address");
        // Early records may differ in composition between runs at parallelism 2 (README "Limitations"); finals do not,
        // though a list such as sensors follows the hits' arrival order.
        assertThat(finals(launched.stdout)).isNotEmpty().isEqualTo(finals(plain.stdout));
        assertThat(summary(launched.stderr)).isEqualTo(summary(plain.stderr));
        assertThat(launched.stderr).doesNotContain("[warning]");
    }

    @Test
    void aStaleArchiveIsNotUsedAndSaysNothing() throws Exception {
        Path root = copyOfLauncherAndJar();
        Path archive = Files.copy(ARCHIVE, root.resolve("target/tiktok-detector.jsa"));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(JAR).toMillis() - 60_000));
        Path classes = dir.resolve("classes.txt");
        Files.writeString(dir.resolve("one.jsonl"), Files.readAllLines(Path.of("sample-data/own/flows.jsonl")).get(0) + "\n");

        Run run = run(dir.resolve("stale"), Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                "bash", root.resolve("jobs/tiktok-detector").toString(), "detect", "--input", dir.resolve("one.jsonl").toString());

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(Files.readString(classes)).doesNotContain("shared objects file (top)");
        assertThat(run.stderr).doesNotContain("[warning]").contains("1 flow records");
    }

    /**
     * A detect run on small files gets the quick compiler only; a large input, Kafka and standard input keep both
     * compilers. JAVA (which the launcher honours) is a script that writes the JVM options it is given.
     */
    @Test
    void onlyADetectRunOnSmallFilesGetsTheQuickCompilerOnly() throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        Path big = dir.resolve("big.log");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((4 << 20) + 1); // one byte over the limit
        }
        Path limit = dir.resolve("limit.log");
        try (RandomAccessFile f = new RandomAccessFile(limit.toFile(), "rw")) {
            f.setLength(4 << 20); // the limit itself
        }
        Path small = dir.resolve("small.log");
        try (RandomAccessFile f = new RandomAccessFile(small.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        String sample = Path.of("sample-data").toAbsolutePath().toString();
        Map<String, String> env = Map.of("JAVA", java.toString());

        for (String[] args : List.of(new String[] {"detect", "--input", sample, "--devices", "x.csv"},
                new String[] {"detect", "--input=" + limit, "--out", "v.jsonl"},
                new String[] {"detect", "--input", sample, small.toString()})) {
            String options = run(dir.resolve("small"), env, concat("bash", LAUNCHER.toString(), args)).stdout;
            assertThat(options).as(String.join(" ", args)).contains("-XX:TieredStopAtLevel=1").doesNotContain("Tier4");
        }
        for (String[] args : List.of(new String[] {"detect", "--input", sample, big.toString()},
                new String[] {"detect", "--input", limit.toString(), small.toString()},
                new String[] {"detect", "--input", "-"},
                new String[] {"detect", "--input", sample, "--kafka-bootstrap", "localhost:9092"},
                new String[] {"extract", sample})) {
            String options = run(dir.resolve("large"), env, concat("bash", LAUNCHER.toString(), args)).stdout;
            assertThat(options).as(String.join(" ", args)).contains("-XX:Tier4InvocationThreshold=").doesNotContain("TieredStopAtLevel");
        }
    }

    private static String[] concat(String first, String second, String[] rest) {
        List<String> all = new ArrayList<>(List.of(first, second));
        all.addAll(List.of(rest));
        return all.toArray(new String[0]);
    }

    @Test
    void aMissingJarIsOneLine() throws Exception {
        Path root = dir.resolve("empty");
        Files.createDirectories(root.resolve("jobs"));
        Files.copy(LAUNCHER, root.resolve("jobs/tiktok-detector"));

        Run run = run(dir.resolve("missing"), Map.of(), "bash", root.resolve("jobs/tiktok-detector").toString(), "detect", "--help");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.stderr.strip()).doesNotContain("\n").contains("tiktok-detector.jar is missing").contains("mvn -B -q package");
    }

    private Path copyOfLauncherAndJar() throws IOException {
        Path root = dir.resolve("copy");
        Files.createDirectories(root.resolve("jobs"));
        Files.createDirectories(root.resolve("target"));
        Files.copy(LAUNCHER, root.resolve("jobs/tiktok-detector"));
        Files.copy(JAR, root.resolve("target/tiktok-detector.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return root;
    }

    private static List<Object> finals(String violations) throws IOException {
        List<Object> finals = new ArrayList<>();
        for (String line : violations.lines().filter(l -> l.contains("\"status\":\"final\"")).sorted().toList()) {
            finals.add(unordered(JSON.readValue(line, Object.class)));
        }
        return finals;
    }

    /** The record with its lists as sorted lists of their elements' text. */
    private static Object unordered(Object json) {
        if (json instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new TreeMap<>();
            m.forEach((k, v) -> copy.put(k, unordered(v)));
            return copy;
        }
        if (json instanceof List<?> l) {
            return l.stream().map(e -> String.valueOf(unordered(e))).sorted().toList();
        }
        return json;
    }

    private static String summary(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("tiktok-detector: ")).collect(Collectors.joining("\n"));
    }

    private record Run(int exit, String stdout, String stderr) {}

    /** Runs a command in its own working folder (the dead letters land there), bounded by a deadline. */
    private static Run run(Path workdir, Map<String, String> env, String... command) throws Exception {
        Files.createDirectories(workdir);
        Path out = workdir.resolve("stdout");
        Path err = workdir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(workdir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
