package org.tiktokdetector.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tiktokdetector.io.UsageException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExtractCommandTest {
    private static final Path SAMPLES = Path.of("sample-data/captures");
    private static final Path EXPECTED = Path.of("src/test/resources/extract");
    private static final List<String> FILES = List.of("dns-udp-tcp.pcap", "tls-openssl.pcap", "tls-large-hello.pcap",
            "http-curl-sll2.pcap", "quic-ngtcp2.pcap");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(List<String> args) throws Exception {
        return new ExtractCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static List<String> samplePaths() {
        return FILES.stream().map(f -> SAMPLES.resolve(f).toString()).toList();
    }

    @Test
    void printsTheExactRecordsOfTheSampleCapturesAndASummaryPerCapture() throws Exception {
        assertEquals(0, run(samplePaths()));
        assertEquals(Files.readString(EXPECTED.resolve("sample-captures.jsonl")), out.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(EXPECTED.resolve("sample-captures.summary.txt")), err.toString(StandardCharsets.UTF_8));
    }

    /** Rotated and archived captures are gzip-compressed: they read as they are, with the same records. */
    @Test
    void readsGzipCompressedCapturesAsTheyAre(@TempDir Path dir) throws Exception {
        List<String> gzipped = new ArrayList<>();
        for (String f : FILES) {
            Path gz = dir.resolve(f + ".gz");
            try (java.io.OutputStream o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                Files.copy(SAMPLES.resolve(f), o);
            }
            gzipped.add(gz.toString());
        }
        assertEquals(0, run(gzipped));
        String expected = Files.readString(EXPECTED.resolve("sample-captures.jsonl"))
                .replaceAll("\"sensor\":\"([^\"]+)\"", "\"sensor\":\"$1.gz\"") // the sensor is the file's name
                .replaceAll("\"source\":\"" + SAMPLES + "/([^\"]+)\"", "\"source\":\"" + dir + "/$1.gz\""); // the source its path
        assertEquals(expected, out.toString(StandardCharsets.UTF_8));
    }

    /** The tunnel ports reach the decoder: VXLAN turned off, the HTTP request inside the tunnel is not seen. */
    @Test
    void tunnelPortsAreAnOption() throws Exception {
        String vxlan = "src/test/resources/captures/zeek/vxlan-encapsulated-http.pcap";
        assertEquals(0, run(List.of(vxlan)));
        String withDefaults = out.toString(StandardCharsets.UTF_8);
        out.reset();
        assertEquals(0, run(List.of("--tunnel-ports=vxlan=none", vxlan)));
        String withoutVxlan = out.toString(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(withDefaults).contains("\"tunnel\":[{\"type\":\"vxlan\"");
        org.assertj.core.api.Assertions.assertThat(withoutVxlan).doesNotContain("vxlan");
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("--tunnel-ports=vxlan=53", vxlan)));
        org.assertj.core.api.Assertions.assertThat(e.getMessage()).startsWith("--tunnel-ports: ").contains("not DNS's 53");
        e = assertThrows(UsageException.class, () -> run(List.of("--tunnel-ports=wireguard=51820", vxlan)));
        org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("NAME one of vxlan, geneve, gtp, gre, teredo, ayiya");
    }

    @Test
    void writesToTheOutFileWhenAsked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("records.jsonl");
        List<String> args = new ArrayList<>(List.of("--out=" + file));
        args.addAll(samplePaths());
        assertEquals(0, run(args));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(EXPECTED.resolve("sample-captures.jsonl")), Files.readString(file));
    }

    @Test
    void anOutFileFollowedByCapturesAfterASpaceIsRefusedWithTheFix() {
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("--out", "x.jsonl", "a.pcap")));
        assertEquals("--out takes one file, got x.jsonl a.pcap; write --out=FILE so that the captures after it stay captures",
                e.getMessage());
    }

    @Test
    void aFolderIsSearchedForCapturesByContent(@TempDir Path dir) throws Exception {
        Files.copy(SAMPLES.resolve("http-curl-sll2.pcap"), dir.resolve("renamed.bin"));
        Files.writeString(dir.resolve("notes.pcap"), "not a capture");
        assertEquals(0, run(List.of(dir.toString())));
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals("capture renamed.bin: 9 packets read, 9 decoded, 0 skipped, 1 records\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingCaptureSaysWhatIsWrongAndHowToFixIt() {
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("no/such.pcap")));
        assertEquals("capture no/such.pcap does not exist; give the path of a .pcap/.pcapng file or of a folder of them",
                e.getMessage());
    }

    @Test
    void aFileThatIsNotACaptureIsRefused(@TempDir Path dir) throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "hello");
        UsageException e = assertThrows(UsageException.class, () -> run(List.of(notes.toString())));
        assertEquals(notes + " is not a pcap or pcapng capture (wrong magic number); convert it with editcap -F pcapng, "
                + "or name the right file", e.getMessage());
    }

    @Test
    void noCaptureAtAllIsAUsageError() {
        assertThrows(UsageException.class, () -> run(List.of()));
    }
}
