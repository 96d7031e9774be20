package org.tiktokdetector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.match.BlocklistParser;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code detect --metrics-port}: Flink's Prometheus reporter serves the job's metrics over HTTP while it runs, and the
 * detector's counters say what the run summary says when it ends. The job reads a named pipe that the test writes, so
 * it is still running when the test scrapes: the test writes the sample logs, then a record hours later that moves
 * event time past all their windows (the final violations are out), scrapes until every line it wrote is counted and
 * that event time has reached the windows, and only then closes the pipe; the job ends and prints its summary.
 * Nothing is left to happen at the end: the later record is no hit.
 */
class PrometheusMetricsTest {
    /** What a Prometheus reporter calls an operator's metric in the detector's group: what the dashboard queries. */
    private static final String PREFIX = "flink_taskmanager_job_task_operator_tiktok_detector_";
    private static final List<String> LOGS = List.of("zeek/dns.log", "zeek/ssl.log", "zeek/quic.log", "zeek/http.log",
            "zeek/conn.log", "suricata/eve.json", "own/flows.jsonl", "malformed.jsonl");
    /** Hours after the sample logs (2026-11-24, 09:00 to 10:45): its event time closes every window of theirs. */
    private static final Instant LATER = Instant.parse("2026-11-24T23:00:00Z");
    private static final byte[] LATER_RECORD = ("{\"ts\":\"" + LATER + "\",\"kind\":\"dns\",\"client_ip\":\"10.9.9.9\",\"name\":\"example.org\"}\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SERIES = Pattern.compile("^(\\w+)\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @TempDir
    Path dir;

    private record Series(String name, Map<String, String> labels, double value) {}

    @Test
    void scrapedWhileTheJobRunsTheCountersAreTheRunSummarysFigures() throws Exception {
        Path pipe = dir.resolve("flows.pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).as("mkfifo").isZero();
        int port = freePort();
        Path hits = dir.resolve("hits.jsonl");
        CompletableFuture<DetectRun> run = CompletableFuture.supplyAsync(() -> detect("--input", pipe.toString(),
                "--devices", "sample-data/devices.csv", "--metrics-port", Integer.toString(port),
                "--out", dir.resolve("violations.jsonl").toString(), "--hits", hits.toString()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        List<Series> scrape;
        try (OutputStream out = openForWriting(pipe, run, deadline)) {
            long written = 0;
            for (String log : LOGS) {
                for (String line : Files.readAllLines(Path.of("sample-data", log))) {
                    if (!line.isBlank()) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        written++;
                    }
                }
            }
            // The reader hands lines on in batches and, on a pipe, waits for the rest of one before it moves event time
            // on: the later record is written again until its time has reached the windows.
            long eventTime = LATER.minus(Duration.ofHours(1)).toEpochMilli();
            do {
                stillRunning(run, deadline);
                for (int i = 0; i < 32; i++) {
                    out.write(LATER_RECORD);
                    written++;
                }
                out.flush();
                scrape = scrape(port);
            } while (!eventTimeReached(scrape, eventTime));
            while (sum(scrape, "type_lines") < written) {
                stillRunning(run, deadline);
                Thread.sleep(50); // polls: the last lines written may still be on their way
                scrape = scrape(port);
            }
            // A scrape reads the series one after another, and some still changed during the last one: the next one
            // reads them all after every count was final.
            scrape = scrape(port);
            assertThat(run).as("the job still runs when scraped").isNotDone();
            assertThat(sum(scrape, "type_lines")).isEqualTo(written);
        }
        DetectRun summary = run.get(2, TimeUnit.MINUTES);
        assertThat(summary.exit()).as(summary.err()).isZero();

        assertThat(bySum(scrape, "type_lines", "type")).isEqualTo(summary.byType()).containsKeys("zeek/dns", "suricata/tls", "unreadable");
        assertThat(sum(scrape, "flow_records")).isEqualTo(summary.flowRecords());
        assertThat(sum(scrape, "ignored")).isEqualTo(summary.ignored()).isPositive();
        assertThat(sum(scrape, "malformed")).isEqualTo(summary.malformed()).isPositive();
        assertThat(sum(scrape, "skipped_packets")).isEqualTo(summary.skippedPackets());
        assertThat(sum(scrape, "hits")).isEqualTo(summary.hits()).isPositive();
        assertThat(bySum(scrape, "category_hits", "category").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(summary.hits());
        assertThat(bySum(scrape, "category_hits", "category")).containsKeys("tiktok-app", "capcut");
        assertThat(sum(scrape, "late_hits")).isEqualTo(summary.late());
        assertThat(sum(scrape, "violations_early")).isEqualTo(summary.earlyViolations()).isPositive();
        assertThat(sum(scrape, "violations_final")).isEqualTo(summary.finalViolations()).isPositive();

        // Hits the inventory does not know and the sensor did not name: their device is their client address.
        List<JsonNode> hitRecords = DetectRun.jsonLines(hits);
        long unattributed = hitRecords.stream().filter(h -> h.get("device_id").asText().equals(h.get("client_ip").asText())).count();
        assertThat(unattributed).isPositive().isLessThan(hitRecords.size());
        assertThat(sum(scrape, "unattributed_hits")).isEqualTo(unattributed);

        // The dashboard queries what the reporter exports; reason_packets appears with a capture's first skipped packet,
        // live_packets_* with a live capture (--interface).
        String dashboard = Files.readString(Path.of("jobs/grafana-dashboard.json"));
        assertThat(new ObjectMapper().readTree(dashboard).get("panels")).isNotEmpty();
        Matcher queried = Pattern.compile(PREFIX + "(\\w+)").matcher(dashboard);
        List<String> names = new ArrayList<>();
        while (queried.find()) {
            names.add(queried.group(1));
        }
        assertThat(names).hasSizeGreaterThan(10);
        assertThat(scrape.stream().map(Series::name).toList()).containsAll(names.stream().filter(n -> !n.equals("reason_packets") && !n.startsWith("live_")).toList());

        // Every parallel matcher holds the same list: the built-in one, never updated.
        assertThat(values(scrape, "list_rules")).isNotEmpty().containsOnly((double) BlocklistParser.parseDefault().rules().size());
        assertThat(values(scrape, "list_version")).isNotEmpty().containsOnly(0.0);
    }

    @Test
    void aMetricsPortInUseIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            DetectRun r = detect("--input", "sample-data/zeek/dns.log", "--metrics-port", Integer.toString(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("tiktok-detector detect: --metrics-port " + taken.getLocalPort() + " cannot be listened on (")
                    .endsWith("); choose a free port, or stop what listens there\n").hasLineCount(1);
        }
        for (String bad : List.of("0", "65536", "-1")) {
            DetectRun r = detect("--input", "sample-data/zeek/dns.log", "--metrics-port", bad);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("tiktok-detector detect: --metrics-port must be a TCP port from 1 to 65535, got " + bad + "\n");
        }
        assertThat(detect("--input", "sample-data/zeek/dns.log", "--metrics-port", "http").err())
                .isEqualTo("tiktok-detector detect: option --metrics-port needs a whole number, got \"http\"\n");
    }

    private static DetectRun detect(String... args) {
        List<String> argv = new ArrayList<>(List.of("detect"));
        argv.addAll(List.of(args));
        try {
            return DetectRun.of(argv.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Opening a pipe to write waits for its reader: the job's source. If the job ends without opening it, the test
     * opens it to read itself, which lets the open return, and fails with what the job printed.
     */
    private static OutputStream openForWriting(Path pipe, CompletableFuture<DetectRun> run, long deadline) throws Exception {
        CompletableFuture<OutputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.newOutputStream(pipe);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture.anyOf(open, run).get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (!open.isDone()) {
            new FileInputStream(pipe.toFile()).close();
            open.join().close();
            throw new AssertionError("the job ended without reading its input: " + run.join().err());
        }
        return open.join();
    }

    private static void stillRunning(CompletableFuture<DetectRun> run, long deadline) {
        assertThat(System.nanoTime()).as("deadline").isLessThan(deadline);
        assertThat(run).as("the job ended early").isNotDone();
    }

    /** The detector's series in one scrape of /metrics; none while the endpoint is not up yet. */
    private static List<Series> scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return List.of();
        }
        assertThat(r.statusCode()).isEqualTo(200);
        List<Series> series = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (m.matches() && m.group(1).startsWith(PREFIX)) {
                Map<String, String> labels = new HashMap<>();
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                series.add(new Series(m.group(1).substring(PREFIX.length()), labels, Double.parseDouble(m.group(3))));
            }
        }
        return series;
    }

    /** Whether every device-windows task has seen event time at {@code time} (the lag is the wall clock less it). */
    private static boolean eventTimeReached(List<Series> scrape, long time) {
        List<Double> lags = values(scrape, "watermark_lag");
        long now = System.currentTimeMillis();
        return !lags.isEmpty() && lags.stream().allMatch(lag -> !lag.isNaN() && lag <= now - time);
    }

    private static List<Double> values(List<Series> scrape, String name) {
        return scrape.stream().filter(s -> s.name().equals(name)).map(Series::value).toList();
    }

    private static long sum(List<Series> scrape, String name) {
        return Math.round(values(scrape, name).stream().mapToDouble(Double::doubleValue).sum());
    }

    private static Map<String, Long> bySum(List<Series> scrape, String name, String label) {
        Map<String, Long> sums = new TreeMap<>();
        scrape.stream().filter(s -> s.name().equals(name)).forEach(s -> sums.merge(s.labels().get(label), Math.round(s.value()), Long::sum));
        return sums;
    }
}
