package org.tiktokdetector.report;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.tiktokdetector.cli.Main;
import org.tiktokdetector.records.Category;
import org.tiktokdetector.records.Violation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The report in a real browser (Debian's chromium, driven by chromedriver through Selenium, headless): it renders,
 * its charts show the figures computed here from the input, it sends no request, and the collective page holds no
 * identifier from the input. The page is served from a loopback server that records every request.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static ReportInput input;
    static Path violations;
    static ChromeDriver browser;
    static HttpServer server;
    static final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the report's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install -y chromium chromium-driver (.ci/run installs them)");
        }
        input = new ReportInput();
        violations = Files.write(dir.resolve("violations.jsonl"), input.lines);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = file.startsWith(dir) && Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static String report(String name, String... options) throws Exception {
        List<String> argv = new ArrayList<>(List.of("report", "--input", violations.toString(), "--out", dir.resolve(name).toString()));
        argv.addAll(List.of(options));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(argv, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return name;
    }

    /** Opens the page over loopback and returns the requests it caused, the page's own included. */
    private static List<String> open(String page) {
        requests.clear();
        browser.manage().logs().get(LogType.PERFORMANCE); // drop what earlier pages logged
        browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/" + page);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("TikTok use on government devices");
        return List.copyOf(requests);
    }

    /** The bars of a chart as the browser shows them: label to value. */
    private static Map<String, Long> chart(String id) {
        Map<String, Long> bars = new LinkedHashMap<>();
        for (WebElement bar : browser.findElements(By.cssSelector("#" + id + " g.bar"))) {
            assertThat(bar.findElement(By.tagName("rect")).getSize().getWidth()).as("bar of " + id).isPositive();
            bars.put(bar.findElement(By.cssSelector("text.label")).getText(), Long.parseLong(bar.findElement(By.cssSelector("text.value")).getText()));
        }
        return bars;
    }

    private static Map<String, Long> sum(List<Violation> vs, java.util.function.Function<Violation, Map<String, Long>> f) {
        Map<String, Long> m = new TreeMap<>();
        vs.forEach(v -> f.apply(v).forEach((k, n) -> m.merge(k, n, Long::sum)));
        return m;
    }

    private static void assertChartsShow(List<Violation> counted, Map<String, Long> devicesPerGroup) {
        assertThat(chart("chart-devices")).isEqualTo(devicesPerGroup);
        assertThat(browser.findElement(By.id("violations")).getText()).isEqualTo(String.valueOf(counted.size()));
        assertThat(chart("chart-timeline")).isEqualTo(sum(counted, v -> Map.of(day(v), v.hitCount)));
        assertThat(chart("chart-categories")).isEqualTo(sum(counted, v -> v.categories));
        assertThat(chart("chart-services")).isEqualTo(sum(counted, v -> {
            Map<String, Long> m = new TreeMap<>();
            v.categories.forEach((c, n) -> m.merge(Category.fromLabel(c).service(), n, Long::sum));
            return m;
        }));
        Map<String, Long> severities = sum(counted, v -> Map.of(v.severity, 1L));
        assertThat(chart("chart-severity")).containsAllEntriesOf(severities)
                .allSatisfy((s, n) -> assertThat(n).isEqualTo(severities.getOrDefault(s, 0L)));
        assertThat(chart("chart-list-versions")).isEqualTo(sum(counted, v -> Map.of(String.valueOf(v.listVersion), 1L)));
        Map<String, Long> names = sum(counted, v -> v.names);
        assertThat(chart("chart-names")).isEqualTo(names.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey())).limit(15)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
    }

    private static String day(Violation v) {
        return java.time.Instant.ofEpochMilli(v.windowStart).toString().substring(0, 10);
    }

    private static long devices(Predicate<ReportInput.Device> which) {
        return input.devices.stream().filter(which).count();
    }

    @Test
    void theCollectivePageShowsTheFiguresOfTheInputPerGroupWithSmallGroupsMerged() throws Exception {
        open(report("collective.html"));
        assertThat(browser.findElement(By.id("mode")).getText()).startsWith("Collective report");
        // Finance has 6 devices (>= 5); Legal (2) and the Cabinet (3) together make "other" (5).
        assertChartsShow(input.standing, Map.of("Finance @ tap-hq-1", devices(d -> d.department().equals("Finance")),
                Report.OTHER, devices(d -> !d.department().equals("Finance"))));
        Map<String, Integer> financeByDay = new TreeMap<>();
        Map<String, Set<String>> seen = new TreeMap<>();
        input.standing.stream().filter(v -> v.department.equals("Finance"))
                .forEach(v -> seen.computeIfAbsent(day(v), k -> new HashSet<>()).add(v.deviceId));
        seen.forEach((day, d) -> financeByDay.put(day, d.size()));
        List<String> header = browser.findElements(By.cssSelector("#groups tr:first-child th")).stream().map(WebElement::getText).toList();
        WebElement finance = browser.findElement(By.xpath("//table[@id='groups']//tr[td[1]='Finance @ tap-hq-1']"));
        List<String> cells = finance.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        financeByDay.forEach((day, n) -> assertThat(cells.get(header.indexOf(day))).as(day).isEqualTo(String.valueOf(n)));
    }

    @Test
    void groupsStillTooSmallWhenMergedAreLeftOutOfEveryFigure() throws Exception {
        open(report("collective-6.html", "--min-group", "6"));
        List<Violation> finance = input.standing.stream().filter(v -> v.department.equals("Finance")).toList();
        assertChartsShow(finance, Map.of("Finance @ tap-hq-1", 6L));
        assertThat(browser.findElement(By.id("suppressed")).getText()).isEqualTo("2 small groups");
    }

    @Test
    void theCollectivePageHoldsNoIdentifierOfTheInput() throws Exception {
        String page = report("collective-ids.html");
        open(page);
        String source = Files.readString(dir.resolve(page));
        String served = browser.getPageSource();
        String text = browser.findElement(By.tagName("body")).getText();
        for (String id : input.identifiers()) {
            assertThat(source).as("page file").doesNotContain(id);
            assertThat(served).as("page source in the browser").doesNotContain(id);
            assertThat(text).as("rendered text").doesNotContain(id);
        }
        // The check can fail: the individual page of the same input names every device and owner.
        open(report("individual.html", "--individual"));
        assertThat(browser.findElement(By.id("mode")).getText()).startsWith("Individual report");
        String individual = browser.findElement(By.id("devices")).getText();
        input.devices.forEach(d -> assertThat(individual).contains(d.id(), d.owner()));
    }

    @Test
    void noRequestLeavesThePage() throws Exception {
        String page = report("requests.html", "--individual");
        assertThat(open(page)).containsExactly("/" + page);
        assertThat(requestedUrls()).containsExactly("http://127.0.0.1:" + server.getAddress().getPort() + "/" + page);
        // The same checks see a request when a page makes one.
        Files.writeString(dir.resolve("control.html"), "<!DOCTYPE html><html><body><h1>TikTok use on government devices</h1>"
                + "<img src=\"/pixel.png\"></body></html>");
        List<String> control = open("control.html");
        assertThat(control).contains("/pixel.png");
        assertThat(requestedUrls()).anyMatch(u -> u.endsWith("/pixel.png"));
    }

    /** The URLs the browser's network log saw requested since the last call (Network.requestWillBeSent). */
    private static List<String> requestedUrls() {
        List<String> urls = new ArrayList<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                var message = json.readTree(e.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                    urls.add(message.path("params").path("request").path("url").asText());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                throw new AssertionError("chromedriver's performance log holds no JSON: " + e.getMessage(), x);
            }
        }
        return urls;
    }
}
