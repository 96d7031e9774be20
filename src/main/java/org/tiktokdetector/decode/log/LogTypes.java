package org.tiktokdetector.decode.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log type labels of {@link LogLineDecoder.Result#type}, by which the run summary counts records: the sensor and
 * log a line came from, in lower case. {@code zeek/<path>} for any Zeek log ({@code zeek/dns}, {@code zeek/x509}, ...),
 * {@code suricata/<event_type>} for any EVE event, {@code flow-record} for the project's own JSON.
 *
 * <p>Every line gets one, so the labels of the standard logs and event types are constants: a line costs no String.
 * Any other Zeek path or event type (a site's own log) gets its label made once and remembered, up to a bound so that
 * a feed of nonsense paths cannot grow the table without end.
 */
final class LogTypes {
    static final String FLOW_RECORD = "flow-record";
    static final String ZEEK_DNS = "zeek/dns";
    static final String ZEEK_SSL = "zeek/ssl";
    static final String ZEEK_QUIC = "zeek/quic";
    static final String ZEEK_HTTP = "zeek/http";
    /** A Zeek record (it has {@code uid}, {@code id.orig_h}, ...) without {@code _path} whose fields name no standard log. */
    static final String ZEEK_UNKNOWN = "zeek/unknown";
    static final String SURICATA_DNS = "suricata/dns";
    static final String SURICATA_TLS = "suricata/tls";
    static final String SURICATA_QUIC = "suricata/quic";
    static final String SURICATA_HTTP = "suricata/http";
    static final String ZEEK_DHCP = "zeek/dhcp";
    static final String SURICATA_DHCP = "suricata/dhcp";
    static final String BINDING = "binding";

    /** The paths of the logs Zeek's own scripts write (base and policy, Zeek 5 to 8). */
    private static final Map<String, String> ZEEK = labels("zeek/", "dns", "ssl", "quic", "http", "conn", "conn_long",
            "dhcp", "files", "x509", "weird", "weird_stats", "notice", "notice_alarm", "software", "ntp", "ssh", "smtp",
            "ftp", "dce_rpc", "kerberos", "ntlm", "smb_files", "smb_mapping", "rdp", "sip", "snmp", "syslog", "tunnel",
            "dpd", "analyzer", "analyzer_failed", "analyzer_debug", "known_hosts", "known_services", "known_certs",
            "known_modbus", "ocsp", "pe", "radius", "mysql", "irc", "modbus", "dnp3", "socks", "stats", "capture_loss",
            "reporter", "loaded_scripts", "packet_filter", "intel", "signatures", "traceroute", "websocket", "ldap",
            "ldap_search", "postgresql", "redis", "mqtt_connect", "mqtt_subscribe", "mqtt_publish", "cluster", "broker",
            "config", "print", "telemetry", "netcontrol", "openflow", "unified2");

    /** The event types of Suricata 6 to 8. */
    private static final Map<String, String> SURICATA = labels("suricata/", "dns", "tls", "quic", "http", "alert",
            "anomaly", "arp", "bittorrent-dht", "dcerpc", "dhcp", "dnp3", "doh2", "drop", "enip", "fileinfo", "flow",
            "frame", "ftp", "ftp_data", "http2", "ike", "krb5", "ldap", "mdns", "modbus", "mqtt", "netflow", "nfs",
            "pgsql", "pop3", "rdp", "rfb", "sip", "smb", "smtp", "snmp", "ssh", "stats", "tftp", "websocket");

    /** How many other paths and event types get a remembered label; beyond that each line makes its own. */
    private static final int MAX_REMEMBERED = 256;
    private static final Map<String, String> OTHER_ZEEK = new ConcurrentHashMap<>();
    private static final Map<String, String> OTHER_SURICATA = new ConcurrentHashMap<>();

    private LogTypes() {}

    private static Map<String, String> labels(String prefix, String... names) {
        Map<String, String> m = new HashMap<>();
        for (String n : names) {
            m.put(n, (prefix + n).intern()); // the very instances of the constants above: "zeek/dns" == ZEEK_DNS
        }
        return m;
    }

    /** Whether Zeek's own scripts write a log of this path. */
    static boolean isStandardZeek(String path) {
        return ZEEK.containsKey(path);
    }

    /** The label of a Zeek log: {@code zeek/<path>}. */
    static String zeek(String path) {
        return label(ZEEK, OTHER_ZEEK, "zeek/", path);
    }

    /** The label of an EVE event: {@code suricata/<event_type>}. */
    static String suricata(String eventType) {
        return label(SURICATA, OTHER_SURICATA, "suricata/", eventType);
    }

    /** The label of a line decoded in a dialect of records with names, unless its {@code _path} says otherwise. */
    static String of(Dialect d) {
        return switch (d) {
            case ZEEK_DNS -> ZEEK_DNS;
            case ZEEK_SSL -> ZEEK_SSL;
            case ZEEK_QUIC -> ZEEK_QUIC;
            case ZEEK_HTTP -> ZEEK_HTTP;
            case SURICATA_DNS -> SURICATA_DNS;
            case SURICATA_TLS -> SURICATA_TLS;
            case SURICATA_QUIC -> SURICATA_QUIC;
            case SURICATA_HTTP -> SURICATA_HTTP;
            case OWN -> FLOW_RECORD;
            case ZEEK_DHCP -> ZEEK_DHCP;
            case SURICATA_DHCP -> SURICATA_DHCP;
            case BINDING -> BINDING;
            case OTHER, NONE -> throw new IllegalArgumentException(d.name());
        };
    }

    /** Every standard label, for the decoder's shared results of records without names. */
    static List<String> standard() {
        List<String> all = new ArrayList<>(ZEEK.values());
        all.addAll(SURICATA.values());
        all.add(ZEEK_UNKNOWN);
        return all;
    }

    private static String label(Map<String, String> standard, Map<String, String> others, String prefix, String name) {
        String t = standard.get(name);
        if (t == null) {
            t = others.get(name);
        }
        if (t == null) {
            t = prefix + name.toLowerCase(Locale.ROOT);
            if (others.size() < MAX_REMEMBERED) {
                others.putIfAbsent(name, t);
            }
        }
        return t;
    }
}
