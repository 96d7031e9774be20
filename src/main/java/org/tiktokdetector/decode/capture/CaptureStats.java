package org.tiktokdetector.decode.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts for one capture or live source: packets read (handed to the {@link FlowExtractor}), packets
 * decoded (their IP and UDP/TCP headers were understood; every read packet is either decoded or
 * skipped), packets skipped with the reason,
 * flow records produced, and the first few problems in the file's own framing (corrupt records).
 */
public final class CaptureStats {
    private static final int KEPT_PROBLEMS = 5;

    private final String capture;
    private long packetsRead;
    private long packetsDecoded;
    private long packetsSkipped;
    private long records;
    private long problems;
    private final Map<String, Long> skipReasons = new LinkedHashMap<>();
    private final List<String> firstProblems = new ArrayList<>(KEPT_PROBLEMS);

    public CaptureStats(String capture) {
        this.capture = capture;
    }

    public String capture() {
        return capture;
    }

    void read() {
        packetsRead++;
    }

    void decoded() {
        packetsDecoded++;
    }

    /** A read packet we could not decode; {@code reason} is a constant phrase, so counting allocates nothing. */
    void skipped(String reason) {
        packetsSkipped++;
        skipReasons.merge(reason, 1L, Long::sum);
    }

    /** A decoded packet that looked like it carries a name but gave no record, and why (not a skip). */
    void noRecord(String why) {
        skipReasons.merge(why, 1L, Long::sum);
    }

    void record() {
        records++;
    }

    /** A problem in the capture file itself, e.g. a record that lies about its length. */
    void problem(String message) {
        problems++;
        if (firstProblems.size() < KEPT_PROBLEMS) {
            firstProblems.add(message);
        }
    }

    public long packetsRead() {
        return packetsRead;
    }

    public long packetsDecoded() {
        return packetsDecoded;
    }

    public long packetsSkipped() {
        return packetsSkipped;
    }

    public long records() {
        return records;
    }

    public long problems() {
        return problems;
    }

    /** Reason to count, in the order first seen: skipped packets, and decoded ones that gave no record. */
    public Map<String, Long> skipReasons() {
        return skipReasons;
    }

    public List<String> firstProblems() {
        return firstProblems;
    }

    /** One line: "capture x.pcap: 120 packets read, 118 decoded, 2 skipped (...), 9 records". */
    public String summary() {
        StringBuilder sb = new StringBuilder("capture ").append(capture).append(": ")
                .append(packetsRead).append(" packets read, ").append(packetsDecoded).append(" decoded, ")
                .append(packetsSkipped).append(" skipped");
        if (!skipReasons.isEmpty()) {
            sb.append(" (");
            int shown = 0;
            for (Map.Entry<String, Long> e : skipReasons.entrySet()) {
                if (shown++ == KEPT_PROBLEMS) {
                    sb.append(", ...");
                    break;
                }
                sb.append(shown > 1 ? ", " : "").append(e.getKey()).append(": ").append(e.getValue());
            }
            sb.append(')');
        }
        sb.append(", ").append(records).append(" records");
        if (problems > 0) {
            sb.append(", ").append(problems).append(" corrupt: ").append(String.join("; ", firstProblems));
        }
        return sb.toString();
    }
}
