package org.tiktokdetector.cli;

import org.tiktokdetector.io.UsageException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the jar: {@code java -jar tiktok-detector.jar <command> [options]}. */
public final class Main {
    private static final List<Command> COMMANDS = List.of(new DetectCommand(), new ExtractCommand(), new BlocklistCommand(),
            new ProduceCommand(), new ConsumeCommand(), new RevealCommand(), new ReportCommand());

    private Main() {}

    public static void main(String[] argv) throws Exception {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    public static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
            out.println(usage());
            return argv.isEmpty() ? 2 : 0;
        }
        for (Command c : COMMANDS) {
            if (c.name().equals(argv.get(0))) {
                List<String> rest = argv.subList(1, argv.size());
                if (rest.contains("--help") || rest.contains("-h")) {
                    out.println(c.help());
                    return 0;
                }
                try {
                    return c.run(rest, out, err);
                } catch (UsageException e) {
                    err.println("tiktok-detector " + c.name() + ": " + e.getMessage());
                    return 2;
                }
            }
        }
        err.println("tiktok-detector: unknown command \"" + argv.get(0) + "\"; run with --help to list the commands");
        return 2;
    }

    private static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar tiktok-detector.jar <command> [options]\n\ncommands:\n");
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-16s %s%n", c.name(), c.summary()));
        }
        sb.append("\nRun a command with --help for its options.");
        return sb.toString();
    }
}
