package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * Who held an address from when: a DHCP lease (Zeek dhcp.log, Suricata EVE dhcp) or a NAC/RADIUS accounting
 * record. The decoders make these of the sensors' logs; the project's own JSON form, for NAC accounting
 * exports (README "Binding record"), one object per line:
 * <pre>
 * {"binding":"start","ts":"2026-11-24T09:05:40Z","source":"nac","ip":"10.20.9.77","mac":"6a:1f:3c:90:22:01",
 *  "user_name":"e.claes","session_id":"8f3a0c11","nas_id":"wlc-hq-2","lease_time":3600}
 * {"binding":"accounting-off","ts":"2026-11-24T09:50:00Z","nas_id":"wlc-hq-2"}
 * </pre>
 * Required: binding, ts; ip and mac for start and interim; ip for stop; nas_id for accounting-off.
 */
public class Binding {
    /** What the record says about the address. */
    public enum Action {
        /** The address is the MAC's from now (DHCP ACK, accounting Start). */
        START,
        /** The session goes on (accounting Interim-Update): a start that refreshes the lease. */
        INTERIM,
        /** The address is given up (DHCP RELEASE, accounting Stop). */
        STOP,
        /** The NAS rebooted or stopped accounting: every binding it reported ends (Acct-Status-Type Accounting-Off). */
        ACCOUNTING_OFF;

        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Action fromJson(String s) {
            for (Action a : values()) {
                if (a.json().equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("\"binding\" is \"" + s + "\", expected start, interim, stop or accounting-off");
        }
    }

    /** Who told us: a DHCP server's lease ({@code lease} attribution) or the NAC ({@code nac}). */
    public enum Source {
        DHCP, NAC;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every field {@link #read} reads; the log decoder's sparse readers keep these. */
    public static final List<String> FIELDS = List.of("binding", "ts", "source", "ip", "mac", "host_name", "user_name",
            "session_id", "nas_id", "lease_time", "lease_estimated", "sensor");

    public long timestamp;
    public Action action;
    public Source source;
    public String ip;
    public String mac;
    /** The name the client gave in DHCP (option 12, or its FQDN), if any. */
    public String hostName;
    /** The NAC/RADIUS user name, if any. */
    public String userName;
    public String sessionId;
    /** The NAS (access point controller, switch) that reported a NAC binding: accounting-off is per NAS. */
    public String nasId;
    /** How long the binding lasts from {@link #timestamp} unless renewed, in seconds; -1 when not told. */
    public long leaseSeconds = -1;
    /** The lease is twice the renewal time (T1 = 0.5 x lease, RFC 2131), not the lease time itself. */
    public boolean leaseEstimated;
    public String sensor;

    public Binding() {}

    /** A field-by-field copy (every field is immutable). */
    public Binding copy() {
        Binding b = new Binding();
        b.timestamp = timestamp;
        b.action = action;
        b.source = source;
        b.ip = ip;
        b.mac = mac;
        b.hostName = hostName;
        b.userName = userName;
        b.sessionId = sessionId;
        b.nasId = nasId;
        b.leaseSeconds = leaseSeconds;
        b.leaseEstimated = leaseEstimated;
        b.sensor = sensor;
        return b;
    }

    /** The address's key in the binding join: bindings come from the access network, never from inside a tunnel. */
    public String key() {
        return ip;
    }

    /**
     * Reads one record in the project's JSON form.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Binding read(JsonNode o) {
        Binding b = new Binding();
        b.action = Action.fromJson(FlowRecordJson.requiredText(o, "binding"));
        String ts = FlowRecordJson.requiredText(o, "ts");
        b.timestamp = Timestamps.fromIso(ts);
        if (!Timestamps.inRange(b.timestamp)) {
            throw new IllegalArgumentException(Timestamps.outOfRange("ts", "\"" + ts + "\""));
        }
        String source = FlowRecordJson.optionalText(o, "source");
        b.source = source == null || source.equals("nac") ? Source.NAC : source.equals("dhcp") ? Source.DHCP : null;
        if (b.source == null) {
            throw new IllegalArgumentException("\"source\" is \"" + source + "\", expected nac or dhcp");
        }
        b.nasId = FlowRecordJson.optionalText(o, "nas_id");
        switch (b.action) {
            case START, INTERIM -> {
                b.ip = FlowRecordJson.requiredText(o, "ip");
                b.mac = FlowRecordJson.requiredText(o, "mac");
            }
            case STOP -> {
                b.ip = FlowRecordJson.requiredText(o, "ip");
                b.mac = FlowRecordJson.optionalText(o, "mac");
            }
            case ACCOUNTING_OFF -> b.nasId = FlowRecordJson.requiredText(o, "nas_id");
        }
        b.hostName = FlowRecordJson.optionalText(o, "host_name");
        b.userName = FlowRecordJson.optionalText(o, "user_name");
        b.sessionId = FlowRecordJson.optionalText(o, "session_id");
        b.sensor = FlowRecordJson.optionalText(o, "sensor");
        JsonNode lease = o.get("lease_time");
        if (lease != null && !lease.isNull()) {
            if (!lease.isNumber() || lease.asDouble() < 0) {
                throw new IllegalArgumentException("\"lease_time\" is " + lease + ", expected seconds (a number >= 0)");
            }
            b.leaseSeconds = lease.asLong();
        }
        b.leaseEstimated = o.path("lease_estimated").asBoolean(false);
        return b;
    }

    public ObjectNode toJson() {
        ObjectNode o = FlowRecordJson.object();
        o.put("binding", action.json());
        o.put("ts", Timestamps.toIso(timestamp));
        o.put("source", source.json());
        Hit.putIfSet(o, "ip", ip);
        Hit.putIfSet(o, "mac", mac);
        Hit.putIfSet(o, "host_name", hostName);
        Hit.putIfSet(o, "user_name", userName);
        Hit.putIfSet(o, "session_id", sessionId);
        Hit.putIfSet(o, "nas_id", nasId);
        if (leaseSeconds >= 0) {
            o.put("lease_time", leaseSeconds);
        }
        if (leaseEstimated) {
            o.put("lease_estimated", true);
        }
        Hit.putIfSet(o, "sensor", sensor);
        return o;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
