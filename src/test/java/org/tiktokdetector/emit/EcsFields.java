package org.tiktokdetector.emit;

import com.fasterxml.jackson.databind.JsonNode;
import org.tiktokdetector.records.IpLiteral;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validator of ECS documents against ECS's field list (fields.csv): every leaf field is in the list, or under the
 * project's namespace, and has the list's type (keyword and text: strings; long: integers; date: ISO-8601 with offset;
 * ip: an address literal; object: anything). fields.csv does not carry ECS's allowed values, so those of the
 * categorisation fields (event.kind, event.category, event.type, from the ECS reference) are listed here, and MAC
 * addresses are held to ECS's upper-case, hyphenated form.
 */
final class EcsFields {
    private static final Set<String> KINDS = Set.of("alert", "asset", "enrichment", "event", "metric", "state",
            "pipeline_error", "signal");
    private static final Set<String> CATEGORIES = Set.of("api", "authentication", "configuration", "database", "driver",
            "email", "file", "host", "iam", "intrusion_detection", "library", "malware", "network", "package", "process",
            "registry", "session", "threat", "vulnerability", "web");
    private static final Set<String> TYPES = Set.of("access", "admin", "allowed", "change", "connection", "creation",
            "deletion", "denied", "device", "end", "error", "group", "indicator", "info", "installation", "protocol", "start",
            "user");
    /** A line that starts a record: version, indexed, field set, field, type (none of them quoted). */
    private static final Pattern RECORD = Pattern.compile("^[0-9][^,]*,(true|false),[^,]+,[^,]+,[^,]+,");
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3}\\.){3}\\d{1,3}$");
    private static final Pattern MAC = Pattern.compile("^([0-9A-F]{2}-){5}[0-9A-F]{2}$");

    private final Map<String, String> types = new HashMap<>();
    final String version;

    EcsFields(Path csv, String namespace) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String v = null;
        for (String line : lines.subList(1, lines.size())) {
            if (!RECORD.matcher(line).find()) {
                continue; // the rest of a quoted example or description that spans lines
            }
            String[] f = line.split(",", 6);
            types.put(f[3], f[4]);
            v = f[0];
        }
        version = v;
        this.namespace = namespace + ".";
    }

    private final String namespace;

    /** @return every violation in {@code doc}, each naming its field; empty when it is valid */
    List<String> validate(JsonNode doc) {
        List<String> errors = new ArrayList<>();
        walk(doc, "", errors);
        check(doc.path("event").path("kind"), KINDS, "event.kind", errors);
        doc.path("event").path("category").forEach(c -> check(c, CATEGORIES, "event.category", errors));
        doc.path("event").path("type").forEach(t -> check(t, TYPES, "event.type", errors));
        return errors;
    }

    private static void check(JsonNode v, Set<String> allowed, String field, List<String> errors) {
        if (!v.isMissingNode() && !allowed.contains(v.asText())) {
            errors.add(field + " " + v + " is not an ECS allowed value");
        }
    }

    private void walk(JsonNode node, String path, List<String> errors) {
        if (path.startsWith(namespace)) {
            return;
        }
        String type = types.get(path);
        if ("object".equals(type) || "flattened".equals(type)) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), errors));
            return;
        }
        if (node.isArray()) {
            node.forEach(e -> walk(e, path, errors)); // any ECS field may hold an array of its values
            return;
        }
        if (type == null) {
            errors.add(path + " is not an ECS field (nor under " + namespace + ")");
            return;
        }
        boolean ok = switch (type) {
            case "keyword", "constant_keyword", "wildcard", "text", "match_only_text" -> node.isTextual();
            case "long", "integer", "short", "byte", "unsigned_long" -> node.isIntegralNumber();
            case "float", "double", "scaled_float", "half_float" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "date" -> node.isTextual() && isDate(node.asText());
            case "ip" -> node.isTextual() && isIp(node.asText());
            default -> false;
        };
        if (!ok) {
            errors.add(path + " must be " + type + ", got " + node);
        } else if (path.endsWith(".mac") && !MAC.matcher(node.asText()).matches()) {
            errors.add(path + " \"" + node.asText() + "\" is not in ECS's MAC form (00-00-5E-00-53-23)");
        }
    }

    /** An IPv6 literal, or IPv4 as four dotted numbers (InetAddress also takes "10.20.1", which Elasticsearch does not). */
    private static boolean isIp(String s) {
        return IpLiteral.bytes(s) != null && (s.contains(":") || IPV4.matcher(s).matches());
    }

    private static boolean isDate(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
