package org.tiktokdetector.cli;

import org.tiktokdetector.DetectionJob;
import org.tiktokdetector.decode.capture.CaptureStats;
import org.tiktokdetector.decode.capture.FlowExtractor;
import org.tiktokdetector.decode.capture.TunnelPorts;
import org.tiktokdetector.io.ReadAheadInputStream;
import org.tiktokdetector.io.UsageException;
import org.tiktokdetector.records.FlowRecordWriter;
import org.tiktokdetector.records.JsonBytes;
import org.tiktokdetector.source.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code extract CAPTURE...}: the flow records in pcap/pcapng files, one JSON line each. */
public final class ExtractCommand implements Command {
    /** Records are gathered as UTF-8 bytes and written in chunks of about this size. */
    private static final int OUTPUT_CHUNK = 1 << 16;

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String summary() {
        return "print the flow records (DNS, TLS/QUIC SNI, HTTP Host) found in pcap/pcapng captures";
    }

    @Override
    public String help() {
        return """
                usage: extract [--out=FILE] CAPTURE...

                Reads pcap and pcapng files (or every capture file in the given folders, by content) and
                prints one flow-record JSON line per DNS query or response, TLS or QUIC ClientHello with a
                server name, and plain-HTTP request Host header. A summary per capture (packets read,
                decoded, skipped and why) goes to stderr.

                  --out=FILE   write the records to FILE instead of stdout (with "=": a value after a
                               space would take the captures after it as more values)
                  --tunnel-ports=NAME=PORT[,PORT]
                               UDP ports on which tunnels are looked for, replacing the defaults per name
                               (vxlan=4789,8472 geneve=6081 gtp=2152 gre=4754 teredo=3544 ayiya=5072;
                               NAME=none turns one off); repeat it for several names""";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, Set.of("out", "tunnel-ports"), Set.of());
        TunnelPorts tunnelPorts = DetectCommand.tunnelPorts(args);
        List<String> outValues = args.all("out");
        if (outValues.size() > 1) {
            throw new UsageException("--out takes one file, got " + String.join(" ", outValues)
                    + "; write --out=FILE so that the captures after it stay captures");
        }
        String outFile = outValues.isEmpty() ? null : outValues.get(0);
        if (args.positional().isEmpty()) {
            throw new UsageException("no capture given; name one or more .pcap/.pcapng files or folders, e.g. extract traffic.pcap");
        }
        List<InputFiles.Input> captures = captures(args.positional());
        OutputStream sink = outFile == null ? out : Files.newOutputStream(Path.of(outFile));
        try {
            JsonBytes lines = new JsonBytes(OUTPUT_CHUNK + 4096);
            for (InputFiles.Input capture : captures) {
                CaptureStats stats;
                String name = Path.of(capture.path()).getFileName().toString();
                try (InputFiles.Opened opened = InputFiles.open(capture.path());
                     InputStream in = new ReadAheadInputStream(opened.in(), name)) {
                    // The file is read on another core, a few MiB ahead of the decoding
                    stats = FlowExtractor.extract(in, name, r -> {
                        r.source = capture.path(); // replayed later, the record still points to its capture and packet
                        FlowRecordWriter.write(r, lines);
                        lines.raw('\n');
                        if (lines.length() >= OUTPUT_CHUNK) {
                            drain(lines, sink);
                        }
                    }, tunnelPorts);
                }
                drain(lines, sink);
                sink.flush(); // the records of a capture before its summary
                err.println(stats.summary());
            }
        } finally {
            if (sink != out) {
                sink.close();
            }
        }
        return 0;
    }

    private static void drain(JsonBytes lines, OutputStream sink) {
        try {
            lines.drainTo(sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The captures named, and those in the folders named (by content, plain or gzip), each file once. */
    private static List<InputFiles.Input> captures(List<String> names) throws IOException {
        for (String name : names) {
            Path p = Path.of(name);
            if (!Files.exists(p)) {
                throw new UsageException("capture " + name + " does not exist; give the path of a .pcap/.pcapng file or of a folder of them");
            }
            if (!Files.isDirectory(p)) {
                try (InputFiles.Opened o = InputFiles.open(name)) {
                    if (o.kind() != InputFiles.Kind.CAPTURE) {
                        throw new UsageException(name + " is not a pcap or pcapng capture (wrong magic number); convert it with editcap -F pcapng, or name the right file");
                    }
                }
            }
        }
        DetectionJob.Settings d = DetectionJob.Settings.defaults();
        return InputFiles.find(names, d.maxAhead(), d.outOfOrderness()).inputs().stream()
                .filter(in -> in.kind() == InputFiles.Kind.CAPTURE).toList();
    }
}
