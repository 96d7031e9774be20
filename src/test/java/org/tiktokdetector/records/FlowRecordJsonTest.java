package org.tiktokdetector.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link FlowRecordWriter} must write exactly what Jackson writes for the same fields, escaping included. */
class FlowRecordJsonTest {
    @Test
    void theDocumentedExample() throws Exception {
        FlowRecord r = new FlowRecord(Timestamps.fromIso("2026-11-25T09:14:03.120Z"), Kind.DNS, "10.20.0.15", 53211,
                "10.20.0.1", 53, "udp", "api16-normal-c-useast1a.tiktokv.com");
        r.sensor = "tap-1";
        r.queryType = "A";
        r.answers = List.of(new DnsAnswer("A", "23.1.2.3", 60));
        r.alpn = List.of("h2");
        r.ech = true;
        r.deviceId = "LAPTOP-0042";
        r.mac = "3c:22:fb:01:02:03";
        r.tunnel = List.of(new TunnelLayer("vxlan", 100, "192.0.2.1", "192.0.2.2"), new TunnelLayer("mpls", 16, null, null),
                new TunnelLayer("ipip", -1, "2001:db8::1", "2001:db8::2"));
        assertEquals("{\"ts\":\"2026-11-25T09:14:03.120Z\",\"sensor\":\"tap-1\",\"kind\":\"dns\",\"transport\":\"udp\","
                + "\"client_ip\":\"10.20.0.15\",\"client_port\":53211,\"server_ip\":\"10.20.0.1\",\"server_port\":53,"
                + "\"name\":\"api16-normal-c-useast1a.tiktokv.com\",\"qtype\":\"A\","
                + "\"answers\":[{\"type\":\"A\",\"data\":\"23.1.2.3\",\"ttl\":60}],\"alpn\":[\"h2\"],\"ech\":true,"
                + "\"device_id\":\"LAPTOP-0042\",\"mac\":\"3c:22:fb:01:02:03\","
                + "\"tunnel\":[{\"type\":\"vxlan\",\"id\":100,\"outer_src\":\"192.0.2.1\",\"outer_dst\":\"192.0.2.2\"},"
                + "{\"type\":\"mpls\",\"id\":16},{\"type\":\"ipip\",\"outer_src\":\"2001:db8::1\",\"outer_dst\":\"2001:db8::2\"}]}",
                FlowRecordJson.write(r));
        assertEquals(r, FlowRecordJson.read(FlowRecordJson.MAPPER.readTree(FlowRecordJson.write(r))));
    }

    @Test
    void randomRecordsAsJacksonWritesThem() throws Exception {
        Random rnd = new Random(7);
        JsonBytes out = new JsonBytes(16); // small, so that growing is exercised too
        for (int i = 0; i < 5000; i++) {
            FlowRecord r = randomRecord(rnd);
            byte[] expected = FlowRecordJson.MAPPER.writeValueAsString(jackson(r)).getBytes(StandardCharsets.UTF_8);
            int before = out.length();
            FlowRecordWriter.write(r, out);
            byte[] all = out.toString().getBytes(StandardCharsets.UTF_8);
            byte[] actual = java.util.Arrays.copyOfRange(all, before, all.length);
            assertArrayEquals(expected, actual, () -> new String(expected, StandardCharsets.UTF_8));
            if (out.length() > 4096) {
                out.drainTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }

    /** The record as a Jackson tree in the documented field order, absent fields left out. */
    private static ObjectNode jackson(FlowRecord r) {
        ObjectNode o = FlowRecordJson.object();
        o.put("ts", Timestamps.toIso(r.timestamp));
        putIfSet(o, "sensor", r.sensor);
        o.put("kind", r.kind.json());
        putIfSet(o, "transport", r.transport);
        o.put("client_ip", r.clientIp);
        if (r.clientPort > 0) {
            o.put("client_port", r.clientPort);
        }
        putIfSet(o, "server_ip", r.serverIp);
        if (r.serverPort > 0) {
            o.put("server_port", r.serverPort);
        }
        o.put("name", r.name);
        putIfSet(o, "qtype", r.queryType);
        if (r.answers != null) {
            ArrayNode answers = o.putArray("answers");
            for (DnsAnswer a : r.answers) {
                ObjectNode x = answers.addObject().put("type", a.type).put("data", a.data);
                if (a.ttl >= 0) {
                    x.put("ttl", a.ttl);
                }
            }
        }
        if (r.alpn != null) {
            r.alpn.forEach(o.putArray("alpn")::add);
        }
        if (r.ech) {
            o.put("ech", true);
        }
        putIfSet(o, "device_id", r.deviceId);
        putIfSet(o, "mac", r.mac);
        if (r.tunnel != null) {
            ArrayNode tunnel = o.putArray("tunnel");
            for (TunnelLayer l : r.tunnel) {
                ObjectNode x = tunnel.addObject().put("type", l.type);
                if (l.id >= 0) {
                    x.put("id", l.id);
                }
                putIfSet(x, "outer_src", l.outerSrc);
                putIfSet(x, "outer_dst", l.outerDst);
            }
        }
        return o;
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static FlowRecord randomRecord(Random rnd) {
        long[] times = {0, 999, 1000, 59_999, 951_782_400_000L, 253_402_300_799_999L, 253_402_300_800_000L, -1, -86_400_001L,
                Long.MAX_VALUE / 1000, rnd.nextLong() % 300_000_000_000_000L, (rnd.nextInt() & 0xffffffffL) * 1000};
        FlowRecord r = new FlowRecord(times[rnd.nextInt(times.length)], Kind.values()[rnd.nextInt(Kind.values().length)],
                text(rnd), rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(70_000) - 100, maybe(rnd), rnd.nextInt(70_000) - 100,
                maybe(rnd), text(rnd));
        r.sensor = maybe(rnd);
        r.queryType = maybe(rnd);
        if (rnd.nextBoolean()) {
            r.answers = new ArrayList<>();
            for (int n = rnd.nextInt(3); n > 0; n--) {
                long[] ttls = {-1, 0, 4_294_967_295L, Long.MIN_VALUE, Long.MAX_VALUE, rnd.nextLong()};
                r.answers.add(new DnsAnswer(text(rnd), text(rnd), ttls[rnd.nextInt(ttls.length)]));
            }
        }
        if (rnd.nextBoolean()) {
            r.alpn = new ArrayList<>();
            for (int n = rnd.nextInt(3); n > 0; n--) {
                r.alpn.add(text(rnd));
            }
        }
        r.ech = rnd.nextBoolean();
        r.deviceId = maybe(rnd);
        r.mac = maybe(rnd);
        if (rnd.nextBoolean()) {
            r.tunnel = new ArrayList<>();
            for (int n = rnd.nextInt(3); n > 0; n--) {
                long[] ids = {-1, 0, 16_777_215, 4_294_967_295L};
                r.tunnel.add(new TunnelLayer(text(rnd), ids[rnd.nextInt(ids.length)], maybe(rnd), maybe(rnd)));
            }
        }
        return r;
    }

    private static String maybe(Random rnd) {
        return rnd.nextInt(4) == 0 ? null : text(rnd);
    }

    /** Mostly plain names, sometimes with control characters, quotes, non-ASCII and surrogate pairs. */
    private static String text(Random rnd) {
        String[] pieces = {"www.tiktok.com", "10.20.0.1", "\"", "\\", "\n", "\t", "\b", "\f", "\r", "\u0000", "\u001f",
                "\u007f", "/", "é", "\u0800", "\uffff", "日本", "\ud83d\ude00", "<>&'", " "};
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(4); n > 0; n--) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
        return sb.toString();
    }
}
