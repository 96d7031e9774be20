package org.tiktokdetector.records;

import java.nio.charset.StandardCharsets;

/**
 * Writes the flow-record JSON of {@link FlowRecordJson} byte by byte into a {@link JsonBytes}, in the field
 * order and with the escaping Jackson used for it. Apart from {@link FlowRecordJson} so that a program that
 * only writes records (extract) does not start Jackson's ObjectMapper.
 */
public final class FlowRecordWriter {
    private static final byte[] TS = ascii("{\"ts\":");
    private static final byte[] SENSOR = ascii(",\"sensor\":");
    private static final byte[] KIND = ascii(",\"kind\":");
    private static final byte[] TRANSPORT = ascii(",\"transport\":");
    private static final byte[] CLIENT_IP = ascii(",\"client_ip\":");
    private static final byte[] CLIENT_PORT = ascii(",\"client_port\":");
    private static final byte[] SERVER_IP = ascii(",\"server_ip\":");
    private static final byte[] SERVER_PORT = ascii(",\"server_port\":");
    private static final byte[] NAME = ascii(",\"name\":");
    private static final byte[] QTYPE = ascii(",\"qtype\":");
    private static final byte[] ANSWERS = ascii(",\"answers\":[");
    private static final byte[] TYPE = ascii("{\"type\":");
    private static final byte[] DATA = ascii(",\"data\":");
    private static final byte[] TTL = ascii(",\"ttl\":");
    private static final byte[] ALPN = ascii(",\"alpn\":[");
    private static final byte[] ECH = ascii(",\"ech\":true");
    private static final byte[] DEVICE_ID = ascii(",\"device_id\":");
    private static final byte[] MAC = ascii(",\"mac\":");
    private static final byte[] USER_AGENT = ascii(",\"user_agent\":");
    private static final byte[] TUNNEL = ascii(",\"tunnel\":[");
    private static final byte[] ID = ascii(",\"id\":");
    private static final byte[] OUTER_SRC = ascii(",\"outer_src\":");
    private static final byte[] OUTER_DST = ascii(",\"outer_dst\":");
    private static final byte[] UID = ascii(",\"uid\":");
    private static final byte[] FLOW_ID = ascii(",\"flow_id\":");
    private static final byte[] COMMUNITY_ID = ascii(",\"community_id\":");
    private static final byte[] SOURCE = ascii(",\"source\":");
    private static final byte[] LINE = ascii(",\"line\":");
    private static final byte[] PACKET = ascii(",\"packet\":");

    private FlowRecordWriter() {}

    /** Appends the record's JSON object (no line break) to {@code out}. */
    public static void write(FlowRecord r, JsonBytes out) {
        out.raw(TS).isoTimestamp(r.timestamp);
        writeIfSet(out, SENSOR, r.sensor);
        out.raw(KIND).string(r.kind.json());
        writeIfSet(out, TRANSPORT, r.transport);
        out.raw(CLIENT_IP).string(r.clientIp);
        if (r.clientPort > 0) {
            out.raw(CLIENT_PORT).number(r.clientPort);
        }
        writeIfSet(out, SERVER_IP, r.serverIp);
        if (r.serverPort > 0) {
            out.raw(SERVER_PORT).number(r.serverPort);
        }
        out.raw(NAME).string(r.name);
        writeIfSet(out, QTYPE, r.queryType);
        if (r.answers != null) {
            out.raw(ANSWERS);
            for (int i = 0; i < r.answers.size(); i++) {
                DnsAnswer a = r.answers.get(i);
                if (i > 0) {
                    out.raw(',');
                }
                out.raw(TYPE).string(a.type).raw(DATA).string(a.data);
                if (a.ttl >= 0) {
                    out.raw(TTL).number(a.ttl);
                }
                out.raw('}');
            }
            out.raw(']');
        }
        if (r.alpn != null) {
            out.raw(ALPN);
            for (int i = 0; i < r.alpn.size(); i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.string(r.alpn.get(i));
            }
            out.raw(']');
        }
        if (r.ech) {
            out.raw(ECH);
        }
        writeIfSet(out, DEVICE_ID, r.deviceId);
        writeIfSet(out, MAC, r.mac);
        writeIfSet(out, USER_AGENT, r.userAgent);
        if (r.tunnel != null) {
            out.raw(TUNNEL);
            for (int i = 0; i < r.tunnel.size(); i++) {
                TunnelLayer l = r.tunnel.get(i);
                if (i > 0) {
                    out.raw(',');
                }
                out.raw(TYPE).string(l.type);
                if (l.id >= 0) {
                    out.raw(ID).number(l.id);
                }
                writeIfSet(out, OUTER_SRC, l.outerSrc);
                writeIfSet(out, OUTER_DST, l.outerDst);
                out.raw('}');
            }
            out.raw(']');
        }
        writeIfSet(out, UID, r.uid);
        writeIfSet(out, FLOW_ID, r.flowId);
        writeIfSet(out, COMMUNITY_ID, r.communityId);
        writeIfSet(out, SOURCE, r.source);
        writeIfSet(out, LINE, r.line);
        writeIfSet(out, PACKET, r.packet);
        out.raw('}');
    }

    private static void writeIfSet(JsonBytes out, byte[] field, long value) {
        if (value != 0) {
            out.raw(field).number(value);
        }
    }

    private static void writeIfSet(JsonBytes out, byte[] field, String value) {
        if (value != null) {
            out.raw(field).string(value);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
