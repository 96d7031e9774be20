package org.tiktokdetector.cli;

import org.tiktokdetector.emit.JsonLinesSink;
import org.tiktokdetector.io.UsageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the files {@code detect} will write before anything runs, so that no run destroys or reads back
 * data: an output that is an input would be overwritten, two outputs naming one file would interleave
 * (the violations were lost that way), and an output inside an input folder would be read as input by
 * the next run. Each output must also be writable: a folder, a read-only place or /dev/full is refused
 * now, not after the job has run.
 */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * @param outputs option name (without dashes) to path; {@link JsonLinesSink#STDOUT} is passed over
     * @param inputs  the --input values
     */
    static void check(Map<String, String> outputs, List<String> inputs) throws IOException {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            String option = "--" + o.getKey();
            String path = o.getValue();
            if (JsonLinesSink.STDOUT.equals(path)) {
                continue;
            }
            Path p = canonical(Path.of(path));
            String other = seen.putIfAbsent(p, option);
            if (other != null) {
                throw new UsageException(other + " and " + option + " both name " + path + "; give each output its own file");
            }
            for (String input : inputs) {
                Path in = Path.of(input);
                if (!Files.isRegularFile(in) && !Files.isDirectory(in)) {
                    continue; // standard input, a pipe or a device: nothing an output could overwrite
                }
                in = canonical(in);
                if (p.equals(in)) {
                    throw new UsageException(option + " " + path + " is also an input and would be overwritten; write the output elsewhere");
                }
                if (Files.isDirectory(in) && p.startsWith(in)) {
                    throw new UsageException(option + " " + path + " is inside the input folder " + input
                            + ", so the next run would read it back as input; write the output outside it");
                }
            }
            writable(option, path, p);
        }
    }

    private static void writable(String option, String path, Path p) {
        if (Files.isDirectory(p)) {
            throw new UsageException(option + " " + path + " is a folder; give the path of a file");
        }
        if (Files.exists(p) && Files.exists(Path.of("/dev/full")) && isSame(p, Path.of("/dev/full"))) {
            throw new UsageException(option + " " + path + " cannot be written: /dev/full is always full; give a file");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            return; // a device or pipe (/dev/null, /dev/stdout): written as a stream
        }
        Path folder = p.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent(); // the sink creates missing folders; what matters is where it starts
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException(option + " " + path + " cannot be created: " + folder + " is not a folder");
        }
        try {
            if (Files.exists(p)) {
                Files.newOutputStream(p, java.nio.file.StandardOpenOption.APPEND).close();
            } else {
                Files.delete(Files.createTempFile(folder, ".tiktok-detector-", ".probe"));
            }
        } catch (IOException e) {
            throw new UsageException(option + " " + path + " cannot be written (" + reason(e) + "); choose a writable place");
        }
    }

    private static boolean isSame(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : m == null ? e.getClass().getSimpleName() : m;
    }

    /** The absolute path with links resolved as far as it exists (an output usually does not yet). */
    static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
    }
}
