package org.tiktokdetector.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** What a user sees for each mistake: one line saying what is wrong and how to fix it, exit code 2. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsCommandsAndEachCommandHasItsOwn() throws Exception {
        Run top = run("--help");
        assertThat(top.exit).isZero();
        assertThat(top.out).contains("detect", "blocklist");
        Run detect = run("detect", "--help");
        assertThat(detect.exit).isZero();
        assertThat(detect.out).contains("--input", "--blocklist-updates", "--devices", "--window", "--threshold");
    }

    @Test
    void mistakesGetOneLineAndExitCode2() throws Exception {
        assertThat(run("detekt")).satisfies(r -> {
            assertThat(r.exit).isEqualTo(2);
            assertThat(r.err).isEqualTo("tiktok-detector: unknown command \"detekt\"; run with --help to list the commands\n");
        });
        assertThat(run("detect", "--input", "no/such/file.log")).satisfies(r -> {
            assertThat(r.exit).isEqualTo(2);
            assertThat(r.err).isEqualTo("tiktok-detector detect: input no/such/file.log does not exist; give files or "
                    + "folders of Zeek/Suricata/flow-record logs or pcap/pcapng captures, or - for standard input\n");
        });
        assertThat(run("detect", "--input", "sample-data", "--windw", "5m").err).startsWith(
                "tiktok-detector detect: unknown option --windw; known options: ");
        assertThat(run("detect", "--input", "sample-data", "--window", "ten").err).isEqualTo(
                "tiktok-detector detect: option --window needs a duration like 30s, 10m or 2h, got \"ten\"\n");
        assertThat(run("detect", "--input", "sample-data", "--format", "splunk").err).isEqualTo(
                "tiktok-detector detect: --format \"splunk\" is not one of native, ocsf, ecs\n");
        assertThat(run("detect", "--input", "sample-data", "--devices", "nope.csv").err).isEqualTo(
                "tiktok-detector detect: device inventory nope.csv does not exist; give a CSV file match,device_id,owner,department\n");
        assertThat(run("detect", "--input", "sample-data/README.md").err).isEqualTo(
                "tiktok-detector detect: input sample-data/README.md is neither a log (Zeek TSV or JSON lines: Zeek, Suricata EVE, flow records) nor a pcap/pcapng capture\n");
    }

    @Test
    void aBadListEntryStopsDetectBeforeItStarts() throws Exception {
        Path list = dir.resolve("extra.list");
        Files.writeString(list, "tiktokv.us\nco.uk\n");
        Run r = run("detect", "--input", "sample-data", "--blocklist", list.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).isEqualTo("extra.list:2: co.uk is a public suffix: a suffix rule would match every domain under it: co.uk\n"
                + "tiktok-detector detect: 1 blocklist line(s) rejected (listed above); fix or remove them, and check a list with `blocklist check FILE`\n");
    }

    @Test
    void blocklistCheckCountsByCategoryAndListsRejections() throws Exception {
        Path good = dir.resolve("good.txt");
        Files.writeString(good, "[tiktok-app]\ntiktokv.com\n=api.example-tiktok.net\n[capcut]\n*.capcut.com\n");
        Run ok = run("blocklist", "check", good.toString());
        assertThat(ok.exit).isZero();
        assertThat(ok.out).isEqualTo(good + ": 3 rules (0 exceptions), 0 rejected\n"
                + "  capcut         1 wildcard\n"
                + "  tiktok-app     1 exact, 1 suffix\n");

        Path bad = dir.resolve("hosts");
        Files.writeString(bad, "0.0.0.0 v16.tiktokcdn.com\n||akamaized.net^\n");
        Run rejected = run("blocklist", "check", bad.toString());
        assertThat(rejected.exit).isEqualTo(1);
        assertThat(rejected.out).contains("1 rules (0 exceptions), 1 rejected",
                "rejected hosts:2: akamaized.net is a shared CDN domain");

        Run defaults = run("blocklist", "check", "--default");
        assertThat(defaults.exit).isZero();
        assertThat(defaults.out).startsWith("default list: ").contains("tiktok-app", "tiktok-cdn", "capcut", "lemon8");

        assertThat(run("blocklist", "check", "missing.txt").err)
                .isEqualTo("tiktok-detector blocklist: blocklist missing.txt does not exist\n");
    }

    @Test
    void aListSavedWithAByteOrderMarkKeepsItsFirstRule() throws Exception {
        Path list = dir.resolve("notepad.list");
        Files.write(list, "\uFEFFtiktokv.com\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(run("blocklist", "check", list.toString()))
                .isEqualTo(new Run(0, list + ": 1 rules (0 exceptions), 0 rejected\n  unclassified   1 suffix\n", ""));
    }

    /** A list whose line 2001 is Latin-1, past the first buffer a reader decodes ahead. */
    private Path latin1List() throws Exception {
        Path list = dir.resolve("latin1.list");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            lines.append("example-").append(i).append(".tiktok.com\n");
        }
        lines.append("caf\u00e9-tiktok.com\n");
        Files.write(list, lines.toString().getBytes(StandardCharsets.ISO_8859_1));
        return list;
    }

    @Test
    void aFileThatIsNotUtf8IsOneLineNamingTheFileAndLine() throws Exception {
        Path list = latin1List();
        String reason = list + ":2001: not valid UTF-8 (byte 0xE9); save the file as UTF-8\n";
        assertThat(run("blocklist", "check", list.toString())).isEqualTo(new Run(2, "", "tiktok-detector blocklist: blocklist " + reason));
        assertThat(run("detect", "--input", "sample-data", "--blocklist", list.toString()))
                .isEqualTo(new Run(2, "", "tiktok-detector detect: blocklist " + reason));
        assertThat(run("detect", "--input", "sample-data", "--blocklist-updates", list.toString()))
                .isEqualTo(new Run(2, "", "tiktok-detector detect: blocklist " + reason));

        Path devices = dir.resolve("devices.csv");
        Files.write(devices, "match,device_id,owner,department\r\n10.20.1.15,LAPTOP-0042,Ren\u00e9,Finance\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run("detect", "--input", "sample-data", "--devices", devices.toString())).isEqualTo(new Run(2, "",
                "tiktok-detector detect: device inventory " + devices + ":2: not valid UTF-8 (byte 0xE9); save the file as UTF-8\n"));

        assertThat(run("blocklist", "check", dir.toString()))
                .isEqualTo(new Run(2, "", "tiktok-detector blocklist: blocklist " + dir + " is a folder; give a file\n"));
    }

    /** The line of the built-in default list that holds exactly {@code rule}. */
    private static int defaultListLine(String rule) throws Exception {
        try (var in = CommandLineTest.class.getResourceAsStream("/blocklist/default.list")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).contains(rule);
            return lines.indexOf(rule) + 1;
        }
    }

    @Test
    void blocklistCheckWarnsWhenAListSwitchesOffARuleOfTheDefaultList() throws Exception {
        Path mine = dir.resolve("my.list");
        Files.writeString(mine, "[tiktok-app]\nexample-new-tiktok-domain.com\n@@tiktokv.com\n");
        String warning = "warning: my.list:3: @@tiktokv.com switches off the rule tiktokv.com (tiktok-app, suffix) of the built-in default list line "
                + defaultListLine("tiktokv.com") + "\n";

        Run r = run("blocklist", "check", "--default", mine.toString());
        assertThat(r.exit).isZero();
        assertThat(r.err).isEqualTo(warning);
        assertThat(r.out).contains("default list: ", mine + ": 2 rules (1 exceptions), 0 rejected");

        Run strict = run("blocklist", "check", "--default", "--strict", mine.toString());
        assertThat(strict.exit).isEqualTo(1);
        assertThat(strict.err).isEqualTo(warning);

        assertThat(run("blocklist", "check", mine.toString())).satisfies(alone -> {
            assertThat(alone.exit).isZero();
            assertThat(alone.err).as("without --default there is no earlier list").isEmpty();
        });
    }

    @Test
    void produceAndConsumeSayWithinSecondsThatNoBrokerAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        Path lines = Files.writeString(dir.resolve("flows.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
        String reason = ": no Kafka broker answered at " + bootstrap + " within 10s; check --kafka-bootstrap and that the broker is running\n";
        // A bound on a hung client, not a speed measurement: the check gives up after 10 s.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThat(
                run("produce", "--kafka-bootstrap", bootstrap, "--topic", "flows", lines.toString()))
                .isEqualTo(new Run(2, "", "tiktok-detector produce" + reason)));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThat(
                run("consume", "--kafka-bootstrap", bootstrap, "--topic", "violations", "--from-beginning"))
                .isEqualTo(new Run(2, "", "tiktok-detector consume" + reason)));
    }

    @Test
    void aBootstrapThatIsNoHostAndPortIsOneLine() throws Exception {
        assertThat(run("consume", "--kafka-bootstrap", "localhost", "--topic", "violations")).isEqualTo(new Run(2, "",
                "tiktok-detector consume: --kafka-bootstrap localhost: Invalid url in bootstrap.servers: localhost; "
                        + "give HOST:PORT of a broker, several separated by commas\n"));
    }
}
