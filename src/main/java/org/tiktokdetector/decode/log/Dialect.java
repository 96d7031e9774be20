package org.tiktokdetector.decode.log;

/** Which log (and sensor) a line came from; for per-dialect metrics. */
public enum Dialect {
    ZEEK_DNS, ZEEK_SSL, ZEEK_QUIC, ZEEK_HTTP,
    SURICATA_DNS, SURICATA_TLS, SURICATA_QUIC, SURICATA_HTTP,
    /** Address bindings: Zeek dhcp.log, Suricata EVE dhcp events, the project's own binding JSON ({@link org.tiktokdetector.records.Binding}). */
    ZEEK_DHCP, SURICATA_DHCP, BINDING,
    /** The project's own flow-record JSON ({@link org.tiktokdetector.records.FlowRecordJson}). */
    OWN,
    /** A well-formed record of a known sensor that carries no names we use (Zeek conn.log, Suricata flow/alert/stats, ...). */
    OTHER,
    /** A blank line or a '#' comment/header line (Zeek TSV headers): nothing to decode. */
    NONE
}
