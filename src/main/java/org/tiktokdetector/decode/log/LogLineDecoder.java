package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tiktokdetector.decode.Bytes;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.FlowRecordJson;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one line of a sensor log into flow records, telling the dialect from the line itself.
 * Stateless and thread-safe; plain Java so that any Flink operator (or a test) can use it. A row of a Zeek TSV log
 * needs the header above it: {@link LogFileDecoder} reads whole files, TSV and JSON, with this decoder.
 *
 * <h2>Dialect detection (per line, first match wins)</h2>
 * <ol>
 *   <li>blank, or first non-blank character '#' (Zeek TSV header) → {@link Dialect#NONE}, no records;</li>
 *   <li>not a JSON object → malformed;</li>
 *   <li>has {@code event_type} → Suricata EVE: dns / tls / quic / http decoded, dhcp → an address binding
 *       ({@link SuricataEveDecoder#dhcp}), every other event type (flow, alert, stats, anomaly, fileinfo, ...) →
 *       {@link Dialect#OTHER};</li>
 *   <li>has {@code binding} → the project's own binding JSON ({@link Binding#read}): NAC/RADIUS accounting;</li>
 *   <li>has {@code client_ip} or {@code kind} → the project's own flow-record JSON ({@link FlowRecordJson#read});</li>
 *   <li>has one of {@code _path}, {@code uid}, {@code uids}, {@code fuid}, {@code id.orig_h}, or {@code ts} with an
 *       {@code id} object → Zeek JSON. A {@code _path} of dns/ssl/quic/http/dhcp names the log; another standard Zeek
 *       path (conn, files, ...) → {@link Dialect#OTHER}; without {@code _path} (or with a site's own) the fields tell:
 *       {@code assigned_addr}/{@code msg_types} → dhcp.log (an address binding); {@code query}/{@code qtype_name}/{@code trans_id} → dns.log; {@code client_initial_dcid}/{@code client_scid},
 *       or {@code client_protocol} with {@code history} → quic.log; {@code server_name}/{@code ssl_history}/{@code cipher}
 *       → ssl.log; {@code trans_depth}/{@code method}/{@code uri} → http.log, unless it is an smtp.log line (which
 *       shares {@code trans_depth}); anything else → {@link Dialect#OTHER}, its log told by {@link ZeekSignatures};</li>
 *   <li>the fields of a standard Zeek log without a connection or file ({@link ZeekSignatures}: x509, software,
 *       stats, reporter, loaded_scripts, known_hosts, ...) → {@link Dialect#OTHER};</li>
 *   <li>any other JSON object → malformed ("unrecognised record: ...").</li>
 * </ol>
 * Every result carries the log it came from ({@link Result#type}): {@code _path} names it where present, else the rule
 * above that told it ({@code zeek/unknown}: a Zeek record whose fields match no standard log).
 * A record of a used type that carries no name (Zeek ssl.log without {@code server_name}, a Suricata tls event
 * without {@code tls.sni}, ...) yields no records under its own dialect: the caller counts it as ignored.
 *
 * <h2>Dialects</h2>
 * One class each, each declaring the fields it reads ({@code FIELDS}): {@link ZeekJsonDecoder},
 * {@link SuricataEveDecoder}, {@link FlowRecordDecoder}; they check fields and word their messages with {@link Fields}.
 * HTTP host names lose a ":port" suffix ("example.com:8080" → "example.com", "[2001:db8::1]:80" → "2001:db8::1").
 * Names are passed on as seen on the wire (case, trailing dot): normalising them is the matcher's job.
 */
public final class LogLineDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What tells the dialect ({@link #dispatch}). */
    private static final Keep DISPATCH = Keep.only("event_type", Keep.ALL, "binding", Keep.PRESENCE, "client_ip", Keep.PRESENCE,
            "kind", Keep.PRESENCE, "_path", Keep.PRESENCE, "uid", Keep.PRESENCE, "uids", Keep.PRESENCE,
            "fuid", Keep.PRESENCE, "id.orig_h", Keep.PRESENCE, "ts", Keep.PRESENCE, "id", Keep.ALL);

    /** What the sparse readers keep of a line: every field the dispatch and any dialect reads. */
    static final Keep FIELDS = Keep.union(DISPATCH, ZeekSignatures.FIELDS, ZeekJsonDecoder.FIELDS,
            SuricataEveDecoder.FIELDS, FlowRecordDecoder.FIELDS, BindingDecoder.FIELDS);

    /**
     * The outcome of one line: its dialect, its log type and its flow records (empty = nothing we use; count it as
     * ignored).
     *
     * @param type the sensor and log the line came from, lower case, for counting records by log type:
     *             {@code zeek/<path>} for any Zeek log ({@code zeek/dns}, {@code zeek/x509}, ...; {@code zeek/unknown}
     *             for a Zeek record without {@code _path} of no standard log), {@code suricata/<event_type>} for any
     *             EVE event, {@code flow-record} for the project's own JSON; null for {@link Dialect#NONE} (not a
     *             record). The same String instance for every line of a standard log.
     * @param bindings the address bindings the line holds (DHCP leases, NAC accounting); empty for a log of names
     */
    public record Result(Dialect dialect, String type, List<FlowRecord> records, List<Binding> bindings) {
        /** The results of records without names, by type, shared by all lines of a standard log. */
        private static final Map<String, Result> EMPTY = new HashMap<>();

        static {
            for (String type : LogTypes.standard()) {
                EMPTY.put(type, new Result(Dialect.OTHER, type, List.of()));
            }
            for (Dialect d : Dialect.values()) {
                if (d != Dialect.OTHER && d != Dialect.NONE) {
                    EMPTY.put(LogTypes.of(d), new Result(d, LogTypes.of(d), List.of()));
                }
            }
        }

        public Result(Dialect dialect, String type, List<FlowRecord> records) {
            this(dialect, type, records, List.of());
        }

        public boolean ignored() {
            return records.isEmpty() && bindings.isEmpty();
        }

        /** A record that yields no flow records; shared unless its type is a site's own log. */
        static Result empty(Dialect d, String type) {
            Result r = EMPTY.get(type);
            return r != null && r.dialect() == d ? r : new Result(d, type, List.of());
        }

        /** A record that yields one flow record. */
        static Result one(Dialect d, String type, FlowRecord r) {
            List<FlowRecord> l = new ArrayList<>(1);
            l.add(r);
            return new Result(d, type, l);
        }

        /** A record that yields one address binding. */
        static Result binding(Dialect d, String type, Binding b) {
            return new Result(d, type, List.of(), List.of(b));
        }
    }

    private static final Result NONE = new Result(Dialect.NONE, null, List.of());

    /**
     * Decodes one line of any supported dialect.
     *
     * @return the dialect and the flow records the line holds (usually one); no records for a blank or '#' line
     *         and for a well-formed record of a type or event we do not use
     * @throws MalformedRecordException saying why the line cannot be decoded
     */
    public Result decode(String line) throws MalformedRecordException {
        if (line == null) {
            return NONE;
        }
        int n = line.length();
        int i = 0;
        while (i < n && isBlank(line.charAt(i))) {
            i++;
        }
        if (i == n || line.charAt(i) == '#') {
            return NONE;
        }
        Result r = dispatch(parse(line));
        if (r == null) {
            throw unrecognised(line.substring(i));
        }
        return r;
    }

    /**
     * Decodes one line as read from a file or Kafka (UTF-8), with the same results and messages as
     * {@link #decode(String)}. Sensor logs are plain ASCII JSON nearly always, and such a line is scanned from
     * its bytes ({@link SparseScanner}): no String per line, no tokenizer. Any other ASCII line goes to
     * Jackson's byte parser; a non-ASCII line, and any line Jackson rejects (rare: it becomes a dead letter),
     * takes the String path, which words every message.
     */
    public Result decodeUtf8(byte[] line) throws MalformedRecordException {
        JsonNode o = SparseScanner.scan(line, FIELDS);
        if (o == null) {
            if (!Bytes.isAscii(line)) {
                return decode(new String(line, StandardCharsets.UTF_8));
            }
            int i = firstNonBlank(line);
            if (i == line.length || line[i] == '#') {
                return NONE;
            }
            try (JsonParser p = SparseReader.JSON.createParser(line)) {
                o = SparseReader.read(p, FIELDS);
            } catch (IOException e) {
                return decode(new String(line, StandardCharsets.US_ASCII));
            }
        }
        Result r = dispatch(o);
        if (r == null) {
            int i = firstNonBlank(line);
            throw unrecognised(new String(line, i, line.length - i, StandardCharsets.US_ASCII));
        }
        return r;
    }

    private static int firstNonBlank(byte[] line) {
        int i = 0;
        while (i < line.length && isBlank((char) line[i])) {
            i++;
        }
        return i;
    }

    /**
     * The decoding of a line parsed whole, every field kept: what the sparse readers must agree with (the differential
     * test compares them; a field the decoders read but the sparse readers drop shows up there).
     */
    static Result decodeWholeTree(JsonNode o) throws MalformedRecordException {
        Result r = dispatch(o);
        if (r == null) {
            throw unrecognised(o.toString());
        }
        return r;
    }

    /** The dialect's decoding of a parsed line; null when the object is no record we know. */
    private static Result dispatch(JsonNode o) throws MalformedRecordException {
        if (!o.isObject()) {
            throw new MalformedRecordException("not a JSON object: got " + Fields.typeName(o));
        }
        JsonNode eventType = o.get("event_type");
        if (eventType != null) {
            return SuricataEveDecoder.decode(o, eventType);
        }
        if (o.has("binding")) {
            return BindingDecoder.decode(o);
        }
        if (o.has("client_ip") || o.has("kind")) {
            return FlowRecordDecoder.decode(o);
        }
        if (o.has("_path") || o.has("uid") || o.has("uids") || o.has("fuid") || o.has("id.orig_h")
                || (o.has("ts") && o.get("id") instanceof ObjectNode)) {
            return ZeekJsonDecoder.decode(o);
        }
        // Zeek logs without a connection or file (x509, software, stats, reporter, loaded_scripts, ...).
        String type = ZeekSignatures.type(o);
        return type == null ? null : Result.empty(Dialect.OTHER, type);
    }

    private static MalformedRecordException unrecognised(String text) {
        return new MalformedRecordException("unrecognised record (neither Zeek, Suricata EVE nor a flow record): "
                + Fields.abbreviate(text));
    }

    private static JsonNode parse(String line) throws MalformedRecordException {
        try (JsonParser p = SparseReader.JSON.createParser(line)) {
            return SparseReader.read(p, FIELDS);
        } catch (JsonEOFException e) {
            throw new MalformedRecordException("truncated JSON: " + describe(e));
        } catch (JsonProcessingException e) {
            String tabs = line.indexOf('\t') >= 0 && line.charAt(0) != '{'
                    ? " (a Zeek TSV row without the #separator/#fields header it needs? a TSV log is read from its header)" : "";
            throw new MalformedRecordException("not JSON: " + describe(e) + tabs);
        } catch (IOException e) {
            throw new MalformedRecordException("not JSON: " + e.getMessage());
        }
    }

    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        msg = msg.replace('\n', ' ');
        if (msg.length() > 160) {
            msg = msg.substring(0, 160) + "...";
        }
        return e.getLocation() == null ? msg : msg + " at column " + e.getLocation().getColumnNr();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\uFEFF';
    }
}
