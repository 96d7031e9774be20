package org.tiktokdetector.records;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One observation of a name on the network: a DNS query, a TLS or QUIC ClientHello SNI, or an HTTP
 * Host header. Every input (Zeek, Suricata, our own JSON, pcap) decodes to this; its one JSON form
 * is {@link FlowRecordJson}. A Flink POJO: public fields, no-arg constructor.
 */
public class FlowRecord {
    /** Event time, epoch milliseconds (UTC). */
    public long timestamp;
    /** The sensor or capture that saw it; may be null. */
    public String sensor;
    public Kind kind;
    /** "udp" or "tcp"; may be null when the log does not say. */
    public String transport;
    public String clientIp;
    public int clientPort;
    public String serverIp;
    public int serverPort;
    /** The observed name as seen on the wire (not normalised). */
    public String name;
    /** DNS query type (A, AAAA, HTTPS, ...); null for other kinds. */
    public String queryType;
    /** DNS answers when the record carries a response; null when unknown. */
    public List<DnsAnswer> answers;
    /** TLS/QUIC ALPN protocols offered by the client; null when unknown. */
    public List<String> alpn;
    /** True when the ClientHello carries an Encrypted Client Hello extension (the SNI is then the outer, public name). */
    public boolean ech;
    /** Device id asserted by the sensor (e.g. from NAC); null if none. */
    public String deviceId;
    /** Client MAC address when the sensor saw it; null if none. */
    public String mac;
    /** The client's user agent where the observation carries one (HTTP User-Agent, Google QUIC UAID); null otherwise. */
    public String userAgent;
    /** The encapsulations the packet was found in, outermost first; null when it was in none (or the sensor does not say). */
    public List<TunnelLayer> tunnel;
    /** The sensor's own handle on the connection: Zeek's {@code uid}; null when the input has none. */
    public String uid;
    /** Suricata's {@code flow_id}; 0 when the input has none. */
    public long flowId;
    /** The Community ID flow hash (v1, seed 0) as the sensor logged it, else computed from the 5-tuple ({@link CommunityId}); null when neither. */
    public String communityId;
    /** Where the record was read: the log or capture file, the Kafka topic, or the interface; null when unknown. */
    public String source;
    /** The record's line in {@link #source} when that is a log file, from 1; 0 otherwise. */
    public long line;
    /** The number of the packet the record was read from when {@link #source} is a capture, from 1 (Wireshark's frame number); 0 otherwise. */
    public long packet;

    public FlowRecord() {}

    public FlowRecord(long timestamp, Kind kind, String clientIp, int clientPort, String serverIp, int serverPort,
                      String transport, String name) {
        this.timestamp = timestamp;
        this.kind = kind;
        this.clientIp = clientIp;
        this.clientPort = clientPort;
        this.serverIp = serverIp;
        this.serverPort = serverPort;
        this.transport = transport;
        this.name = name;
    }

    /** A deep copy: every field, the lists and their elements copied too (FlowRecordFieldsTest checks each field). */
    public FlowRecord copy() {
        FlowRecord r = new FlowRecord(timestamp, kind, clientIp, clientPort, serverIp, serverPort, transport, name);
        r.sensor = sensor;
        r.queryType = queryType;
        if (answers != null) {
            r.answers = new ArrayList<>(answers.size());
            for (DnsAnswer a : answers) {
                r.answers.add(new DnsAnswer(a.type, a.data, a.ttl));
            }
        }
        r.alpn = alpn == null ? null : new ArrayList<>(alpn);
        r.ech = ech;
        r.deviceId = deviceId;
        r.mac = mac;
        r.userAgent = userAgent;
        if (tunnel != null) {
            r.tunnel = new ArrayList<>(tunnel.size());
            for (TunnelLayer l : tunnel) {
                r.tunnel.add(new TunnelLayer(l.type, l.id, l.outerSrc, l.outerDst));
            }
        }
        r.uid = uid;
        r.flowId = flowId;
        r.communityId = communityId;
        r.source = source;
        r.line = line;
        r.packet = packet;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowRecord r
                && timestamp == r.timestamp && clientPort == r.clientPort && serverPort == r.serverPort && ech == r.ech
                && kind == r.kind && Objects.equals(sensor, r.sensor) && Objects.equals(transport, r.transport)
                && Objects.equals(clientIp, r.clientIp) && Objects.equals(serverIp, r.serverIp)
                && Objects.equals(name, r.name) && Objects.equals(queryType, r.queryType)
                && Objects.equals(answers, r.answers) && Objects.equals(alpn, r.alpn)
                && Objects.equals(deviceId, r.deviceId) && Objects.equals(mac, r.mac)
                && Objects.equals(userAgent, r.userAgent) && Objects.equals(tunnel, r.tunnel)
                && Objects.equals(uid, r.uid) && flowId == r.flowId && Objects.equals(communityId, r.communityId)
                && Objects.equals(source, r.source) && line == r.line && packet == r.packet;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, kind, clientIp, clientPort, serverIp, serverPort, name);
    }

    @Override
    public String toString() {
        return FlowRecordJson.write(this);
    }
}
