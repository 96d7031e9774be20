package org.tiktokdetector.decode.log;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells which standard Zeek log a JSON record without {@code _path} comes from, by its fields: Zeek writes each log to
 * its own file, so a line carries no log name unless the sensor adds {@code _path}.
 *
 * <p>The rule: a log's signature is fields that Zeek always writes for that log (no {@code &optional}, or a
 * {@code &default}): two or more that no other standard log writes together. A single field is never enough, so that
 * {@code {"name":"x"}} or {@code {"peer":"p"}} stay unrecognised. Where the fields a log always writes are all common
 * words that an application's own log could carry too (reporter's {@code level} and {@code message}, known_hosts'
 * {@code ts} and {@code host}, loaded_scripts' lone {@code name}), a value is checked as well: a level
 * {@code Reporter::...}, a host that is an IP address, a name that is the path of a script. The first signature that
 * matches wins, so a log whose lines carry another log's signature comes before it (software and the other known_*
 * logs before known_hosts, weird before loaded_scripts).
 *
 * <p>dns, ssl, quic and http are not here: {@link ZeekJsonDecoder} tells them by their own fields first.
 */
final class ZeekSignatures {
    /** A log's fields; {@code checked}, when not null, is one of them whose value must pass {@code value}. */
    private record Signature(String type, List<String> fields, String checked, Predicate<JsonNode> value) {
        boolean matches(JsonNode o) {
            for (String f : fields) {
                if (!o.has(f)) {
                    return false;
                }
            }
            return checked == null || value.test(o.get(checked));
        }
    }

    private static Signature sig(String path, String... fields) {
        return new Signature(LogTypes.zeek(path), List.of(fields), null, null);
    }

    /** A signature whose field {@code checked} must also hold a value that passes {@code value}. */
    private static Signature sig(String path, String checked, Predicate<JsonNode> value, String... fields) {
        List<String> all = new ArrayList<>(List.of(fields));
        all.add(checked);
        return new Signature(LogTypes.zeek(path), List.copyOf(all), checked, value);
    }

    /** smtp.log lines carry http.log's {@code trans_depth}: its signature keeps them from being taken for http. */
    private static final Signature SMTP = sig("smtp", "trans_depth", "tls");

    /** The standard logs by signature; conn first, the most common log that gets here. */
    private static final List<Signature> LOGS = List.of(
            sig("conn", "proto", "missed_bytes"),
            sig("files", "fuid", "seen_bytes"),
            sig("x509", "certificate.version", "certificate.serial"),
            sig("ocsp", "issuerNameHash", "issuerKeyHash"),
            sig("pe", "is_exe", "is_64bit"),
            sig("signatures", "note", "sig_id"),
            sig("notice", "note", "actions"),
            sig("weird", "name", "notice"),
            sig("intel", "seen.where", "matched"),
            sig("tunnel", "tunnel_type", "action"),
            sig("dpd", "analyzer", "failure_reason"),
            sig("analyzer", "cause", "analyzer_kind"), // Zeek 7's analyzer.log
            sig("analyzer_failed", "analyzer_kind", "failure_reason"), // Zeek 8 (and analyzer_debug.log)
            sig("dhcp", "uids", "msg_types"),
            sig("ntp", "stratum", "root_delay"),
            sig("ssh", "uid", "auth_attempts"),
            SMTP,
            sig("stats", "peer", "pkts_proc"),
            sig("capture_loss", "peer", "percent_lost"),
            sig("packet_filter", "filter", "init"),
            sig("software", "software_type", "unparsed_version"),
            sig("known_services", "port_num", "port_proto"),
            sig("known_certs", "port_num", "issuer_subject"),
            sig("known_hosts", "host", ZeekSignatures::isIp, "ts"),
            sig("reporter", "level", v -> v.asText("").startsWith("Reporter::"), "message"),
            sig("loaded_scripts", "name", ZeekSignatures::isScript));

    /** Every field a signature reads: whole where a value is checked, else only whether it is there. */
    static final Keep FIELDS;

    static {
        Set<String> present = new LinkedHashSet<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Signature s : LOGS) {
            present.addAll(s.fields());
            if (s.checked() != null) {
                checked.add(s.checked());
            }
        }
        FIELDS = Keep.union(Keep.each(present, Keep.PRESENCE), Keep.each(checked, Keep.ALL));
    }

    private ZeekSignatures() {}

    /** The label of the standard log whose signature the record matches, or null. */
    static String type(JsonNode o) {
        for (Signature s : LOGS) {
            if (s.matches(o)) {
                return s.type();
            }
        }
        return null;
    }

    static boolean isSmtp(JsonNode o) {
        return SMTP.matches(o);
    }

    private static boolean isIp(JsonNode v) {
        return v.isTextual() && (Fields.isIpv4(v.asText()) || Fields.isIpv6(v.asText()));
    }

    /** loaded_scripts.log names each script by its path, indented by its load depth. */
    private static boolean isScript(JsonNode v) {
        String s = v.asText("").strip();
        return s.indexOf('/') >= 0 && (s.endsWith(".zeek") || s.endsWith(".bro"));
    }
}
