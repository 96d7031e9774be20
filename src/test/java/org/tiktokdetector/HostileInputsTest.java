package org.tiktokdetector;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator's real folders and ordinary mistakes do to `detect` (README "Hostile input"): nothing is
 * lost, nothing is counted twice, and a mistake is one line and exit code 2 before anything runs. Every run
 * that reads accounts for each line: read = judged + ignored + malformed (+ skipped packets).
 */
class HostileInputsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = Instant.parse("2026-06-01T09:00:00Z").toEpochMilli();
    private static final String TIKTOK = "api16-normal-c-useast1a.tiktokv.com";

    private static String flow(int i, String client) {
        return "{\"ts\":\"" + Instant.ofEpochMilli(T0 + i * 1000L) + "\",\"kind\":\"dns\",\"client_ip\":\"" + client
                + "\",\"name\":\"" + TIKTOK + "\"}";
    }

    private static List<String> flows(int n, String client) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(flow(i, client));
        }
        return lines;
    }

    private static Path write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
        return file;
    }

    private static void assertAccounted(DetectRun run) {
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.read()).as(run.err()).isEqualTo(run.judged() + run.ignored() + run.malformed() + run.skippedPackets());
    }

    private static void assertMistake(DetectRun run, String... says) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains(says).doesNotContain("Exception", "\tat ");
    }

    // ------------------------------------------------------------------------------------------ never destroy data

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputIsUntouched(@TempDir Path dir) throws Exception {
        Path in = write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        byte[] before = Files.readAllBytes(in);
        assertMistake(DetectRun.of("detect", "--input", in.toString(), "--out", in.toString()), "--out", "is also an input");
        assertMistake(DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--hits", dir.resolve("in/../in/flows.jsonl").toString(),
                "--out", dir.resolve("v.jsonl").toString()), "--hits");
        assertThat(Files.readAllBytes(in)).isEqualTo(before);
    }

    @Test
    void twoOutputsNamingOneFileAreRefused(@TempDir Path dir) throws Exception {
        Path in = write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        assertMistake(DetectRun.of("detect", "--input", in.toString(), "--out", dir.resolve("x.jsonl").toString(),
                "--hits", dir.resolve("./x.jsonl").toString()), "--out and --hits both name");
    }

    @Test
    void anOutputInsideAnInputFolderIsRefused(@TempDir Path dir) throws Exception {
        write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        assertMistake(DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("in/sub/v.jsonl").toString()),
                "is inside the input folder");
    }

    @Test
    void aFileNamedSeveralWaysIsReadOnce(@TempDir Path dir) throws Exception {
        Path in = write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        Files.createSymbolicLink(dir.resolve("link.jsonl"), in);
        DetectRun once = DetectRun.of("detect", "--input", in.toString(), "--out", dir.resolve("once.jsonl").toString());
        DetectRun many = DetectRun.of("detect", "--input", in.toString(), in.toString(), dir.resolve("in").toString(),
                dir.resolve("link.jsonl").toString(), dir.resolve("in/./flows.jsonl").toString(), "--out", dir.resolve("many.jsonl").toString());
        assertAccounted(once);
        assertAccounted(many);
        assertThat(once.hits()).isEqualTo(6);
        assertThat(many.hits()).isEqualTo(once.hits());
        assertThat(many.read()).isEqualTo(6);
        assertThat(many.err()).contains("the same file as");
    }

    // ------------------------------------------------------------------------------------------ files as found

    @Test
    void aByteOrderMarkAndACutFirstLineLoseNoRecord(@TempDir Path dir) throws Exception {
        List<String> lines = flows(6, "10.0.0.1");
        Files.createDirectories(dir.resolve("in"));
        Files.write(dir.resolve("in/bom.jsonl"), ("\uFEFF" + String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        String cut = lines.get(0).substring(20); // picked up mid-write: the first line lacks its start
        write(dir.resolve("in/cut.jsonl"), List.of(cut, lines.get(1), lines.get(2), lines.get(3), lines.get(4), lines.get(5)));

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertAccounted(run);
        assertThat(run.read()).isEqualTo(12);
        assertThat(run.judged()).isEqualTo(11);
        assertThat(run.malformed()).isEqualTo(1);
        assertThat(run.err()).doesNotContain("skipping");
    }

    @Test
    void gzipLogsAreReadAndOtherCompressionIsNamed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("in/2026-06-01"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("in/2026-06-01/flows.09:00:00-10:00:00.log.gz")))) {
            out.write((String.join("\n", flows(7, "10.0.0.1")) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("in/2026-06-01/old.log.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0});

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertAccounted(run);
        assertThat(run.judged()).isEqualTo(7);
        assertThat(run.err()).contains("old.log.xz: is compressed with xz");
    }

    @Test
    void aLineOverTheLengthLimitIsADeadLetterWithItsLengthAndTheRestIsRead(@TempDir Path dir) throws Exception {
        List<String> lines = flows(6, "10.0.0.1");
        String huge = "{\"ts\":\"2026-06-01T09:00:03Z\",\"kind\":\"dns\",\"client_ip\":\"10.0.0.1\",\"name\":\"" + "a".repeat(5_000_000) + "\"}";
        lines.add(3, huge);
        write(dir.resolve("in/long.jsonl"), lines);

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString(),
                "--max-line-length", "64k");

        assertAccounted(run);
        assertThat(run.judged()).isEqualTo(6);
        assertThat(run.malformed()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("out/v.dead-letter.jsonl")))
                .contains("line of " + huge.length() + " bytes is longer than the limit of 65536 bytes", "\"line\":4");
    }

    /** A 300 MB line in a 256 MB heap: the job neither dies nor loses the lines after it. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
    void aHugeLineDoesNotExhaustTheHeap(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in/huge.jsonl");
        Files.createDirectories(in.getParent());
        try (OutputStream out = Files.newOutputStream(in)) {
            out.write((flow(0, "10.0.0.1") + "\n{\"ts\":1,\"name\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "b".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 300; i++) {
                out.write(chunk);
            }
            out.write(("\"}\n" + String.join("\n", flows(5, "10.0.0.1").subList(1, 5)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ChildJvm.Result r = ChildJvm.run(List.of("-Xmx256m"), null, "detect", "--input", in.toString(),
                "--out", dir.resolve("out/v.jsonl").toString(), "--parallelism", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        DetectRun run = new DetectRun(r.exit(), r.out(), r.err());
        assertThat(run.judged()).isEqualTo(5);
        assertThat(run.malformed()).isEqualTo(1);
        assertThat(run.finalViolations()).isEqualTo(1);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
    void standardInputIsReadAsAnyFile(@TempDir Path dir) throws Exception {
        byte[] gz;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write((String.join("\n", flows(6, "10.0.0.1")) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        gz = bytes.toByteArray();
        for (String name : List.of("-", "/dev/stdin")) {
            ChildJvm.Result r = ChildJvm.run(List.of(), gz, "detect", "--input", name, "--out", dir.resolve("v" + name.length() + ".jsonl").toString());
            DetectRun run = new DetectRun(r.exit(), r.out(), r.err());
            assertAccounted(run);
            assertThat(run.judged()).as(name).isEqualTo(6);
            assertThat(run.finalViolations()).isEqualTo(1);
        }
    }

    /** A live pipe that stays open: what it has sent is judged now, not when it ends. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang, not a timing assertion
    void aPipeThatStaysOpenHasItsEarlyViolationBeforeItEnds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("v.jsonl");
        Process p = ChildJvm.start(List.of(), "detect", "--input", "-", "--out", out.toString(), "--parallelism", "1");
        java.util.concurrent.CompletableFuture<String> err = ChildJvm.readAll(p.getErrorStream());
        ChildJvm.readAll(p.getInputStream());
        OutputStream stdin = p.getOutputStream();
        stdin.write((String.join("\n", flows(6, "10.0.0.1")) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(out) && Files.readString(out).contains("\"early\"")) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polls for the early record; the pipe is still open
        }
        assertThat(p.isAlive()).as("still reading the open pipe").isTrue();
        assertThat(Files.exists(out) && Files.readString(out).contains("\"early\"")).as("early violation while the pipe is open").isTrue();
        stdin.close();
        assertThat(p.waitFor()).as(err.join()).isZero();
        assertThat(Files.readString(out)).contains("\"final\"");
    }

    @Test
    void outOfRangeTimesAreDeadLetters(@TempDir Path dir) throws Exception {
        List<String> lines = flows(6, "10.0.0.1");
        lines.add(2, "{\"ts\":1e20,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.53\",\"id.resp_p\":53,\"query\":\"" + TIKTOK + "\"}");
        write(dir.resolve("in/f.jsonl"), lines);

        DetectRun run = DetectRun.of("detect", "--input", dir.resolve("in").toString(), "--out", dir.resolve("out/v.jsonl").toString());

        assertAccounted(run);
        assertThat(run.malformed()).isEqualTo(1);
        assertThat(run.late()).isZero();
        assertThat(run.finalViolations()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ mistakes

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--allowed-lateness|-1s|--allowed-lateness cannot be negative",
            "--window|0s|--window must be longer than zero",
            "--parallelism|0|--parallelism must be from 1 to 32",
            "--parallelism|1000|--parallelism must be from 1 to 32",
            "--max-line-length|12|--max-line-length must be from 1k to 256m",
            "--max-time-ahead|soon|--max-time-ahead needs a duration",
            "--out|/dev/full|/dev/full is always full",
    })
    void optionMistakesAreOneLineBeforeAnythingRuns(String option, String value, String says, @TempDir Path dir) throws Exception {
        Path in = write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        assertMistake(DetectRun.of("detect", "--input", in.toString(), "--dead-letter", dir.resolve("d.jsonl").toString(),
                "--late", dir.resolve("l.jsonl").toString(), option, value), says);
    }

    @Test
    void anOutputThatIsAFolderOrCannotBeWrittenIsRefused(@TempDir Path dir) throws Exception {
        Path in = write(dir.resolve("in/flows.jsonl"), flows(6, "10.0.0.1"));
        assertMistake(DetectRun.of("detect", "--input", in.toString(), "--out", dir.toString()), "is a folder");
        assertMistake(DetectRun.of("detect", "--input", in.toString(), "--out", "/proc/version/v.jsonl"), "cannot be");
    }
}
