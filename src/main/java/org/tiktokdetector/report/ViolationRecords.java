package org.tiktokdetector.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The violations a report counts: native violation records (README "Violation") read in order, one per violation
 * id. The final record supersedes the early one, and a later record of the same status (a restatement with late
 * hits) supersedes an earlier one, so each violation is counted once, as it last stood.
 */
public final class ViolationRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, JsonNode> byId = new LinkedHashMap<>();
    private long read;

    /**
     * @param where the line's place for the message ("violations.jsonl:3", "topic violations partition 0 offset 7")
     * @throws IllegalArgumentException in one line when the line is no native violation record
     */
    public void add(String line, String where) {
        if (line.isBlank()) {
            return;
        }
        JsonNode v;
        try {
            v = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON; report reads the violations detect writes, one JSON object a line");
        }
        if (!v.isObject() || !v.path("violation_id").isTextual() || !v.path("window_start").isTextual() || !v.has("hit_count")
                || !(v.path("status").asText().equals("early") || v.path("status").asText().equals("final"))) {
            String format = v.has("finding_info") || v.has("class_uid") ? "an OCSF finding"
                    : v.has("@timestamp") || v.has("event") ? "an ECS document" : "no native violation record";
            throw new IllegalArgumentException(where + ": " + format + "; report reads native violation records (detect --format native,"
                    + " the default), with violation_id, status, window_start and hit_count");
        }
        read++;
        String id = v.get("violation_id").asText();
        JsonNode earlier = byId.get(id);
        if (earlier == null || !(earlier.get("status").asText().equals("final") && v.get("status").asText().equals("early"))) {
            byId.put(id, v);
        }
    }

    /** One record per violation id: the one that stands. */
    public List<JsonNode> latest() {
        return new ArrayList<>(byId.values());
    }

    /** Records read, superseded ones included. */
    public long read() {
        return read;
    }
}
