package org.tiktokdetector.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@code java -jar tiktok-detector.jar}. */
public interface Command {
    String name();

    /** One line for the top-level help. */
    String summary();

    /** The full --help text. */
    String help();

    /** @return the process exit code */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
