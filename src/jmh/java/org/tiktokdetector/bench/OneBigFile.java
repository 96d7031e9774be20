package org.tiktokdetector.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.tiktokdetector.match.BlocklistRule;
import org.tiktokdetector.match.MatchType;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Issue 15 target 1: one big Zeek dns.log against the single-threaded loop the issue compares the job with
 * (bench/one-big-file.sh runs both as whole processes).
 * <pre>
 * java -cp target/benchmarks.jar org.tiktokdetector.bench.OneBigFile generate FILE RECORDS
 * java -cp target/benchmarks.jar org.tiktokdetector.bench.OneBigFile baseline FILE [HIT-LINES-FILE]
 * </pre>
 * {@code generate}: RECORDS Zeek dns.log JSON lines (deterministic, {@link BenchData}), 1% TikTok names from 2% of
 * 20,000 devices, timestamps over one hour in order. {@code baseline}: Jackson's streaming parser reads each line's
 * {@code query}, which is looked up, lower-cased, in a HashSet of the default list's suffix rules at every label
 * boundary from the right; prints the lines and hits, and writes the hit lines' numbers when asked.
 */
public final class OneBigFile {
    private static final long START = 1_795_510_800_000L; // 2026-11-24T09:00:00Z
    private static final long SPAN = 3_600_000L;
    private static final int DEVICES = 20_000;

    private OneBigFile() {}

    public static void main(String[] argv) throws IOException {
        if (argv.length >= 3 && argv[0].equals("generate")) {
            generate(Path.of(argv[1]), Integer.parseInt(argv[2]));
        } else if (argv.length >= 2 && argv[0].equals("baseline")) {
            long t0 = System.nanoTime();
            long[] counts = baseline(Path.of(argv[1]), argv.length > 2 ? Path.of(argv[2]) : null);
            System.out.printf("baseline: %d lines, %d hits, %.2f s in the loop%n", counts[0], counts[1], (System.nanoTime() - t0) / 1e9);
        } else {
            System.err.println("usage: OneBigFile generate FILE RECORDS | baseline FILE [HIT-LINES-FILE]");
            System.exit(2);
        }
    }

    static void generate(Path file, int records) throws IOException {
        BenchData data = new BenchData(15);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < records; i++) {
                long t = START + (long) i * SPAN / records;
                boolean tiktok = data.random().nextInt(100) == 0;
                int device = tiktok ? data.random().nextInt(DEVICES / 50) : data.random().nextInt(DEVICES);
                w.write(data.zeekDns(t, device, tiktok ? data.tiktokName() : data.ordinaryName()));
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {lines, hits}. */
    static long[] baseline(Path file, Path hitLines) throws IOException {
        Set<String> suffixes = new HashSet<>();
        for (BlocklistRule r : BenchData.defaultRules()) {
            if (!r.allow && r.type == MatchType.SUFFIX) {
                suffixes.add(r.name);
            }
        }
        JsonFactory json = new JsonFactory();
        long lines = 0;
        long hits = 0;
        byte[] buf = new byte[1 << 20];
        int have = 0;
        try (InputStream in = Files.newInputStream(file);
             PrintWriter out = new PrintWriter(hitLines == null ? OutputStream.nullOutputStream() : new BufferedOutputStream(Files.newOutputStream(hitLines)))) {
            int r;
            while ((r = in.read(buf, have, buf.length - have)) > 0) {
                int end = have + r;
                int from = 0;
                for (int i = 0; i < end; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                        if (hit(json, buf, from, i - from, suffixes)) {
                            hits++;
                            out.println(lines);
                        }
                        from = i + 1;
                    }
                }
                System.arraycopy(buf, from, buf, 0, end - from);
                have = end - from;
            }
        }
        return new long[] {lines, hits};
    }

    private static boolean hit(JsonFactory json, byte[] buf, int off, int len, Set<String> suffixes) throws IOException {
        try (JsonParser p = json.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (p.currentName().equals("query")) {
                    String q = p.nextTextValue();
                    return q != null && matches(q.toLowerCase(Locale.ROOT), suffixes);
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            return false;
        }
    }

    /** The name or any suffix of it at a label boundary, walked from the right, is a rule. */
    static boolean matches(String name, Set<String> suffixes) {
        int end = name.endsWith(".") ? name.length() - 1 : name.length();
        String n = name.substring(0, end);
        for (int dot = n.lastIndexOf('.'); ; dot = n.lastIndexOf('.', dot - 1)) {
            if (suffixes.contains(dot < 0 ? n : n.substring(dot + 1))) {
                return true;
            }
            if (dot < 0) {
                return false;
            }
        }
    }
}
