package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.tiktokdetector.decode.log.SparseReader.NODES;

/**
 * Decodes the lines of one log file or stream, in order: JSON lines of any dialect, and Zeek's own TSV logs (its default
 * format, {@code LogAscii::use_json=F}), whose rows mean nothing without the header above them. Stateful (the current
 * TSV header), so not thread-safe: one per reader.
 *
 * <ul>
 *   <li>A line whose first non-blank character is '{' is JSON: {@link LogLineDecoder#decodeUtf8}, unchanged.</li>
 *   <li>A line starting with '#' is a header ({@code #separator}, {@code #set_separator}, {@code #empty_field},
 *       {@code #unset_field}, {@code #path}, {@code #fields}, {@code #types}; {@code #open} and {@code #close} are
 *       ignored) or a comment; a blank line is nothing. Neither is a record: {@link #decode} returns null.
 *       {@code #separator} (its value with {@code \xNN} escapes) starts a new header, so logs concatenated by
 *       {@code cat} read as they were written. Until a header says otherwise, the values are Zeek's defaults.</li>
 *   <li>Any other line after {@code #fields} and {@code #types} is a row. It becomes the JSON object Zeek would have
 *       written for it ({@code _path} from {@code #path}, names like {@code id.orig_h} flat as in Zeek's JSON) and goes
 *       through the same Zeek decoding as a JSON line: the field mapping is in one place. By {@code #types}: time,
 *       interval, double → number; count, int, port → integer; bool T/F → boolean; vector[..] and set[..] → array
 *       split on the set separator; the empty field → an empty array, or an empty string for a string; the unset field
 *       → absent; {@code \xNN} and {@code \\} unescaped in strings and elements. Only the fields the decoder reads are
 *       converted (as the sparse JSON reader keeps only those), so a bad value elsewhere goes unnoticed in TSV as in
 *       JSON.</li>
 *   <li>A row of a standard log without names (conn, x509, ...) yields {@link Dialect#OTHER} from its {@code #path}
 *       alone, and so does a row of a path Zeek does not write (a site's own log), labelled {@code zeek/<path>}; its
 *       {@code ts} must still be a number.</li>
 * </ul>
 * A row before its header, with the wrong number of fields, or with a field the decoder reads that is not of its
 * type (Zeek's test masking {@code XXXXXXXXXX.XXXXXX} as a {@code ts}) is malformed. A UTF-8 byte order mark at the
 * start of the first line is skipped.
 */
public final class LogFileDecoder {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] SEPARATOR = bytes("#separator ");

    private final LogLineDecoder lines;
    private boolean first = true;

    // The current TSV header; Zeek's defaults until one says otherwise.
    private byte[] separator;
    private byte[] setSeparator;
    private byte[] emptyField;
    private byte[] unsetField;
    private String path;
    private String[] fields;
    private String[] types;
    /** What to do with each column, made from the header at its first row; null while the header changes. */
    private Column[] columns;
    /** The result of every row when #path alone decides it; null when each row is decoded. */
    private LogLineDecoder.Result byPath;
    /** How messages name the rows: "Zeek dns.log TSV row". */
    private String rowName;
    /** The {@code _path} of every row; null without #path. */
    private JsonNode pathNode;

    public LogFileDecoder(LogLineDecoder lines) {
        this.lines = lines;
        restartHeader();
    }

    public LogFileDecoder() {
        this(new LogLineDecoder());
    }

    /**
     * Decodes the next line (without its line end).
     *
     * @return the line's dialect, log type and records; null for a line that is no record (blank, comment, header)
     * @throws MalformedRecordException saying why the line cannot be decoded
     */
    public LogLineDecoder.Result decode(byte[] line) throws MalformedRecordException {
        if (first) {
            first = false;
            if (line.length >= 3 && Arrays.equals(line, 0, 3, BOM, 0, 3)) {
                line = Arrays.copyOfRange(line, 3, line.length);
            }
        }
        if (line.length > 0 && line[0] == '#') {
            header(line);
            return null;
        }
        int i = 0;
        while (i < line.length && isBlank(line[i])) {
            i++;
        }
        if (i == line.length) {
            return null;
        }
        if (line[i] != '{') {
            if (fields != null) {
                return row(line);
            }
            if (line[i] == '#') {
                return null; // an indented comment, as LogLineDecoder has it
            }
            if (indexOf(line, 0, line.length, separator) >= 0) {
                throw new MalformedRecordException("Zeek TSV row before its #fields header");
            }
        }
        LogLineDecoder.Result r = lines.decodeUtf8(line);
        return r.dialect() == Dialect.NONE ? null : r;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    // ------------------------------------------------------------------------------------------ header

    private void restartHeader() {
        separator = new byte[] {'\t'};
        setSeparator = new byte[] {','};
        emptyField = bytes("(empty)");
        unsetField = bytes("-");
        path = null;
        fields = null;
        types = null;
        columns = null;
    }

    private void header(byte[] line) {
        if (startsWith(line, SEPARATOR) && line.length > SEPARATOR.length) {
            restartHeader();
            separator = unescape(line, SEPARATOR.length, line.length);
            return;
        }
        int end = indexOf(line, 0, line.length, separator);
        if (end < 0) {
            return; // a comment, or "#open"/"#close" with nothing we use
        }
        int from = end + separator.length;
        switch (new String(line, 0, end, StandardCharsets.ISO_8859_1)) {
            case "#set_separator" -> {
                if (from < line.length) { // nothing splits on nothing: keep the last one
                    setSeparator = unescape(line, from, line.length);
                }
            }
            case "#empty_field" -> emptyField = unescape(line, from, line.length);
            case "#unset_field" -> unsetField = unescape(line, from, line.length);
            case "#path" -> path = text(line, from, line.length);
            case "#fields" -> fields = split(line, from);
            case "#types" -> types = split(line, from);
            default -> { return; } // #open, #close, comments
        }
        columns = null;
    }

    private String[] split(byte[] line, int from) {
        List<String> out = new ArrayList<>();
        while (true) {
            int end = indexOf(line, from, line.length, separator);
            out.add(text(line, from, end < 0 ? line.length : end));
            if (end < 0) {
                return out.toArray(new String[0]);
            }
            from = end + separator.length;
        }
    }

    /** How to convert a column's values ({@code #types}). */
    private enum Value { STRING, NUMBER, INTEGER, BOOL }

    /** A column the decoder reads: its name, how the sparse reader keeps it, its type. */
    private record Column(String name, int index, Keep keep, String type, Value value, boolean container) {}

    /** The columns of the header, checked, and what #path alone decides; at the first row after a header change. */
    private void prepare() throws MalformedRecordException {
        rowName = path == null ? "Zeek TSV row" : "Zeek " + path + ".log TSV row";
        pathNode = path == null ? null : NODES.textNode(path);
        if (types == null) {
            throw new MalformedRecordException(rowName + " before its #types header");
        }
        if (types.length != fields.length) {
            throw new MalformedRecordException("Zeek TSV header: #types names " + types.length + " types, #fields names "
                    + fields.length + " fields");
        }
        byPath = null;
        if (path != null) {
            byPath = ZeekJsonDecoder.byPath(path);
            if (byPath == null && !LogTypes.isStandardZeek(path)) {
                byPath = new LogLineDecoder.Result(Dialect.OTHER, LogTypes.zeek(path), List.of());
            }
        }
        columns = new Column[fields.length];
        for (int c = 0; c < fields.length; c++) {
            int index = LogLineDecoder.FIELDS.index(fields[c]);
            Keep keep = index < 0 ? null : LogLineDecoder.FIELDS.keep(index);
            // A row decided by its path is only checked for a ts the reader could use.
            if (byPath != null && !fields[c].equals("ts")) {
                keep = null;
            }
            if (keep != null) {
                String t = types[c];
                boolean container = (t.startsWith("vector[") || t.startsWith("set[")) && t.endsWith("]");
                String element = container ? t.substring(t.indexOf('[') + 1, t.length() - 1) : t;
                columns[c] = new Column(fields[c], index, keep, t, valueOf(element), container);
            }
        }
    }

    private static Value valueOf(String type) {
        return switch (type) {
            case "time", "interval", "double" -> Value.NUMBER;
            case "count", "int", "port" -> Value.INTEGER;
            case "bool" -> Value.BOOL;
            default -> Value.STRING; // string, addr, subnet, enum, pattern, ...
        };
    }

    // ------------------------------------------------------------------------------------------ rows

    private LogLineDecoder.Result row(byte[] line) throws MalformedRecordException {
        ObjectNode o = record(line);
        return byPath != null ? byPath : ZeekJsonDecoder.decode(o);
    }

    /**
     * The row as the Zeek JSON object the sparse reader makes of the line Zeek writes for it with use_json=T (of a row
     * #path decides, only {@code ts}).
     */
    ObjectNode record(byte[] line) throws MalformedRecordException {
        if (columns == null) {
            prepare();
        }
        KeptFields kept = new KeptFields(LogLineDecoder.FIELDS);
        if (pathNode != null) {
            kept.put("_path", pathNode);
        }
        int from = 0;
        for (int c = 0; c < columns.length; c++) {
            int end = indexOf(line, from, line.length, separator);
            if ((end < 0) != (c == columns.length - 1)) {
                throw new MalformedRecordException(rowName + " has " + count(line) + " fields, the #fields header names "
                        + columns.length);
            }
            if (end < 0) {
                end = line.length;
            }
            Column col = columns[c];
            if (col != null && !equals(line, from, end, unsetField)) {
                kept.put(col.index(), col.keep() == Keep.PRESENCE ? Keep.PRESENT : value(col, line, from, end));
            }
            from = end + separator.length;
        }
        return new ObjectNode(NODES, kept);
    }

    private int count(byte[] line) {
        int n = 1;
        for (int i = indexOf(line, 0, line.length, separator); i >= 0; i = indexOf(line, i + separator.length, line.length, separator)) {
            n++;
        }
        return n;
    }

    private JsonNode value(Column col, byte[] b, int from, int to) throws MalformedRecordException {
        boolean empty = equals(b, from, to, emptyField);
        if (!col.container()) {
            return empty && col.value() == Value.STRING ? NODES.textNode("") : scalar(col, b, from, to);
        }
        ArrayNode a = NODES.arrayNode();
        if (empty) {
            return a;
        }
        while (true) {
            int end = indexOf(b, from, to, setSeparator);
            int e = end < 0 ? to : end;
            a.add(equals(b, from, e, unsetField) ? NODES.nullNode() : scalar(col, b, from, e));
            if (end < 0) {
                return a;
            }
            from = end + setSeparator.length;
        }
    }

    private JsonNode scalar(Column col, byte[] b, int from, int to) throws MalformedRecordException {
        switch (col.value()) {
            case NUMBER -> {
                if (isNumber(b, from, to)) {
                    return NODES.numberNode(SparseScanner.decimal(b, from, to));
                }
            }
            case INTEGER -> {
                if (isInteger(b, from, to)) {
                    // The node Jackson makes of the same digits: int when it fits, else long, else BigInteger.
                    BigInteger v = new BigInteger(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
                    return v.bitLength() < 32 ? NODES.numberNode(v.intValue())
                            : v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
                }
            }
            case BOOL -> {
                if (to - from == 1 && (b[from] == 'T' || b[from] == 'F')) {
                    return NODES.booleanNode(b[from] == 'T');
                }
            }
            case STRING -> {
                return NODES.textNode(text(b, from, to));
            }
        }
        String shown = text(b, from, Math.min(to, from + 100));
        throw new MalformedRecordException(rowName + ": \"" + col.name() + "\" is not a valid " + col.type() + ": \""
                + shown + "\"");
    }

    /** A number as JSON has it (what Zeek writes for time, interval and double): -?digits(.digits)?(e[+-]?digits)?. */
    private static boolean isNumber(byte[] b, int from, int to) {
        int i = from < to && b[from] == '-' ? from + 1 : from;
        int digits = digits(b, i, to);
        if (digits == 0) {
            return false;
        }
        i += digits;
        if (i < to && b[i] == '.') {
            int fraction = digits(b, i + 1, to);
            if (fraction == 0) {
                return false;
            }
            i += 1 + fraction;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int exponent = digits(b, i, to);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == to;
    }

    private static boolean isInteger(byte[] b, int from, int to) {
        int i = from < to && b[from] == '-' ? from + 1 : from;
        int digits = digits(b, i, to);
        return digits > 0 && i + digits == to;
    }

    private static int digits(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - from;
    }

    // ------------------------------------------------------------------------------------------ bytes

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean equals(byte[] b, int from, int to, byte[] value) {
        return Arrays.equals(b, from, to, value, 0, value.length);
    }

    /** The first {@code what} in {@code b[from..to)}, or -1. */
    private static int indexOf(byte[] b, int from, int to, byte[] what) {
        byte first = what[0];
        for (int i = from; i <= to - what.length; i++) {
            if (b[i] == first && Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The text of an escaped value: UTF-8 once {@code \xNN} and {@code \\} are undone. */
    private static String text(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' || b[i] < 0) {
                byte[] raw = unescape(b, from, to);
                return new String(raw, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // plain ASCII, the usual value
    }

    /** Zeek's escapes undone: {@code \xNN} is the byte NN, {@code \\} a backslash; any other backslash stays. */
    private static byte[] unescape(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' && i + 3 < to && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
                out[n++] = (byte) (hex(b[i + 2]) << 4 | hex(b[i + 3]));
                i += 3;
            } else if (b[i] == '\\' && i + 1 < to && b[i + 1] == '\\') {
                out[n++] = '\\';
                i++;
            } else {
                out[n++] = b[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int hex(byte c) {
        return Character.digit(c, 16);
    }
}
