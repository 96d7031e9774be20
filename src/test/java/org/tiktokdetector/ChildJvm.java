package org.tiktokdetector;

import org.tiktokdetector.cli.Main;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs the CLI in a JVM of its own (its own heap limit, its own standard input), as a user's shell would. */
public final class ChildJvm {
    public record Result(int exit, String out, String err) {}

    private ChildJvm() {}

    /**
     * @param jvmOptions e.g. -Xmx256m
     * @param stdin      bytes for standard input, or null for none
     */
    public static Result run(List<String> jvmOptions, byte[] stdin, String... argv) throws IOException, InterruptedException {
        Process p = start(jvmOptions, argv);
        CompletableFuture<String> out = readAll(p.getInputStream());
        CompletableFuture<String> err = readAll(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        int exit = p.waitFor();
        return new Result(exit, out.join(), err.join());
    }

    /** Starts the CLI and returns: the caller writes its standard input, reads its output and ends or awaits it. */
    public static Process start(List<String> jvmOptions, String... argv) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(argv));
        return new ProcessBuilder(command).start();
    }

    /** Reads a child's output to its end in the background, so the child never blocks on a full pipe. */
    public static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
