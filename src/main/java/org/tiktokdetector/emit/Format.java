package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.records.Hit;
import org.tiktokdetector.records.IpLiteral;
import org.tiktokdetector.records.Violation;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The JSON form violations and hits (and late hits) are written in (README "Output formats"): the project's own
 * records, OCSF events, or ECS documents. Dead letters are written in their own form in every format: they are input
 * kept whole, not findings, and neither schema has a place for a line that could not be read.
 */
public enum Format {
    NATIVE(Violation::toJson, Hit::toJson),
    OCSF(OcsfRecords::violation, OcsfRecords::hit),
    ECS(EcsRecords::violation, EcsRecords::hit);

    private final Function<Violation, ObjectNode> violation;
    private final Function<Hit, ObjectNode> hit;

    Format(Function<Violation, ObjectNode> violation, Function<Hit, ObjectNode> hit) {
        this.violation = violation;
        this.hit = hit;
    }

    public String violation(Violation v) {
        return violation.apply(v).toString();
    }

    public String hit(Hit h) {
        return hit.apply(h).toString();
    }

    private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$");

    /**
     * Whether an address field holds an address: with --pseudonymise-key it holds a pseudonym ("ip:3f2a...",
     * "mac:..."), which the schemas' IP and MAC fields do not take (an Elasticsearch ip field refuses the document).
     */
    static boolean isIp(String s) {
        return s != null && IpLiteral.bytes(s) != null;
    }

    static boolean isMac(String s) {
        return s != null && MAC.matcher(s).matches();
    }

    /** Copies those of {@code fields} that {@code from} (a native record) has into {@code to}: what a schema has no place for. */
    static void copy(ObjectNode from, ObjectNode to, List<String> fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static Format of(String name) {
        for (Format f : values()) {
            if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is not one of native, ocsf, ecs");
    }
}
