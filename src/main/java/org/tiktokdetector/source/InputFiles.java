package org.tiktokdetector.source;

import org.tiktokdetector.cli.UsageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns the user's --input paths (files or folders, searched recursively) into the files to read,
 * each recognised by its content, not its name: a pcap or pcapng capture, or JSON lines (any
 * dialect, told apart per line). Anything else in a folder (READMEs, scripts) is skipped and
 * reported; a file named explicitly that is neither is a usage error.
 */
public final class InputFiles {
    public enum Kind { CAPTURE, LOG, OTHER }

    public record Classified(List<Path> logs, List<Path> captures, List<Path> skipped) {}

    private InputFiles() {}

    public static Classified classify(List<String> inputs) throws IOException {
        List<Path> logs = new ArrayList<>();
        List<Path> captures = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        for (String input : inputs) {
            Path p = Path.of(input);
            if (!Files.exists(p)) {
                throw new UsageException("input " + input + " does not exist; give files or folders of Zeek/Suricata/flow-record JSON logs or pcap/pcapng captures");
            }
            List<Path> files = Files.isDirectory(p) ? filesIn(p) : List.of(p);
            for (Path f : files) {
                switch (kindOf(f)) {
                    case CAPTURE -> captures.add(f);
                    case LOG -> logs.add(f);
                    case OTHER -> {
                        if (files.size() == 1 && !Files.isDirectory(p)) {
                            throw new UsageException("input " + input + " is neither JSON lines (Zeek, Suricata EVE, flow records) nor a pcap/pcapng capture");
                        }
                        skipped.add(f);
                    }
                }
            }
        }
        return new Classified(logs, captures, skipped);
    }

    /** The regular files below a folder, searched recursively, in path order. */
    public static List<Path> filesIn(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** pcap magic in either byte order and precision, pcapng's section header, or a first non-blank '{'. */
    public static Kind kindOf(Path file) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (CaptureFormat.isCaptureMagic(java.util.Arrays.copyOf(head, Math.min(n, 4)))) {
            return Kind.CAPTURE;
        }
        for (int i = 0; i < n; i++) {
            byte b = head[i];
            if (b == '{') {
                return Kind.LOG;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return Kind.OTHER;
            }
        }
        return n == 0 ? Kind.LOG : Kind.OTHER;
    }
}
