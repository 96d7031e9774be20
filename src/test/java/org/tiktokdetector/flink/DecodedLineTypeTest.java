package org.tiktokdetector.flink;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.TunnelLayer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecodedLineTypeTest {
    private static final TypeSerializer<DecodedLine> SERIALIZER = DecodedLineType.INSTANCE.createSerializer(new SerializerConfigImpl());

    private static FlowRecord full() {
        FlowRecord r = new FlowRecord(1_764_000_000_123L, Kind.DNS, "10.0.0.5", 53001, "2001:db8::53", 53, "udp", "www.tiktok.com");
        r.sensor = "zeek-01";
        r.queryType = "AAAA";
        DnsAnswer a = new DnsAnswer();
        a.type = "CNAME";
        a.data = "www.tiktok.com.ttdns2.com";
        a.ttl = 300;
        DnsAnswer b = new DnsAnswer();
        b.type = "A";
        b.data = "23.0.0.1";
        r.answers = new ArrayList<>(List.of(a, b));
        r.alpn = new ArrayList<>(List.of("h2", "http/1.1"));
        r.ech = true;
        r.deviceId = "LAPTOP-Ünïcode-0113";
        r.mac = "f4:6b:8c:21:0e:93";
        r.tunnel = new ArrayList<>(List.of(new TunnelLayer("gtp", 4_294_967_295L, "192.0.2.1", "192.0.2.2"),
                new TunnelLayer("mpls", 16, null, null), new TunnelLayer("ipip", -1, "2001:db8::1", "2001:db8::2")));
        return r;
    }

    private static DecodedLine roundTrip(DecodedLine d) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(d, out);
        SERIALIZER.serialize(d, out); // two in a row: each read must stop exactly at its end
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SERIALIZER.deserialize(in);
        DecodedLine back = SERIALIZER.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    /** An operator added between a source and the matcher must not swap this serializer for a POJO one. */
    @Test
    void flinkExtractsThisTypeForDecodedLinesOnceRegistered() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DecodedLineType.registerWith(env);
        DecodedLineType.registerWith(StreamExecutionEnvironment.getExecutionEnvironment()); // a second job in the JVM
        DataStream<DecodedLine> lines = env.fromData(DecodedLineType.INSTANCE, DecodedLine.counted("zeek/dns"));
        assertThat(lines.map(d -> d).getType()).isEqualTo(DecodedLineType.INSTANCE);
        assertThat(lines.map(new MapFunction<DecodedLine, DecodedLine>() {
            @Override
            public DecodedLine map(DecodedLine d) {
                return d;
            }
        }).getType()).isEqualTo(DecodedLineType.INSTANCE);
        assertThat(TypeInformation.of(DecodedLine.class)).isEqualTo(DecodedLineType.INSTANCE);
    }

    @Test
    void everyFieldOfEveryRecordSurvivesTheWire() throws IOException {
        FlowRecord sparse = new FlowRecord(5, Kind.QUIC, "10.0.0.6", 1, "10.0.0.7", 443, null, "名字.example");
        DecodedLine d = new DecodedLine();
        d.timestamp = 1_764_000_000_123L;
        d.records = List.of(full(), sparse);
        d.type = "zeek/dns";

        DecodedLine back = roundTrip(d);
        assertThat(back.timestamp).isEqualTo(d.timestamp);
        assertThat(back.type).as("the run's and the metrics' counts by type, in Kafka mode").isEqualTo("zeek/dns");
        assertThat(roundTrip(DecodedLine.counted(null)).type).isNull();
        assertThat(back.records).containsExactly(full(), sparse);
        assertThat(back.records.get(1).answers).isNull();
        assertThat(back.records.get(1).alpn).isNull();
        assertThat(back.records.get(1).tunnel).isNull();
        assertThat(back.deadLetter).isNull();
    }

    @Test
    void everyFieldOfABindingSurvivesTheWireAndTheCopy() throws IOException {
        Binding full = new Binding();
        full.timestamp = 1_795_511_140_959L;
        full.action = Binding.Action.INTERIM;
        full.source = Binding.Source.NAC;
        full.ip = "10.20.9.77";
        full.mac = "6A:1F:3C:90:22:01";
        full.hostName = "Pixel-8-ec";
        full.userName = "e.claes";
        full.sessionId = "986de412";
        full.nasId = "wlc-hq-2";
        full.leaseSeconds = 3600;
        full.leaseEstimated = true;
        full.sensor = "nac-gw";
        Binding off = new Binding();
        off.action = Binding.Action.ACCOUNTING_OFF;
        off.source = Binding.Source.DHCP;
        DecodedLine d = new DecodedLine();
        d.timestamp = full.timestamp;
        d.bindings = List.of(full, off);

        for (DecodedLine back : List.of(roundTrip(d), SERIALIZER.copy(d))) {
            assertThat(back.records).isEmpty();
            // Every field is in the JSON form (toJson writes each that is set), so equal JSON is equal bindings.
            assertThat(back.bindings).extracting(Binding::toString).containsExactly(full.toString(), off.toString());
            assertThat(back.bindings.get(0)).isNotSameAs(full);
        }
    }

    @Test
    void aDeadLetterKeepsItsOriginalBytesEvenWhenTheyAreNotText() throws IOException {
        byte[] original = {'{', '"', (byte) 0xff, (byte) 0xfe, 0, '}'};
        DecodedLine d = new DecodedLine();
        d.deadLetter = DeadLetter.of("flows", -1, 3, 42L, original, "not UTF-8");

        DecodedLine back = roundTrip(d);
        assertThat(back.records).isEmpty();
        assertThat(back.timestamp).isEqualTo(Long.MIN_VALUE);
        assertThat(back.deadLetter.toJson()).isEqualTo(d.deadLetter.toJson());
        assertThat(back.deadLetter.original).containsExactly(original);
    }

    @Test
    void aCopyIsEqualAndIndependent() {
        DecodedLine d = new DecodedLine();
        d.timestamp = 7;
        d.records = List.of(full());
        d.deadLetter = DeadLetter.of("dns.log", 3, -1, -1, new byte[] {1, 2}, "reason");

        d.type = "suricata/dns";

        DecodedLine copy = SERIALIZER.copy(d);
        assertThat(copy.type).isEqualTo("suricata/dns");
        assertThat(copy.records).containsExactly(full());
        assertThat(copy.deadLetter.toJson()).isEqualTo(d.deadLetter.toJson());
        copy.records.get(0).answers.get(0).data = "changed";
        copy.records.get(0).alpn.add("h3");
        copy.records.get(0).tunnel.get(0).id = 7;
        copy.deadLetter.original[0] = 9;
        assertThat(d.records.get(0)).isEqualTo(full());
        assertThat(d.deadLetter.original[0]).isEqualTo((byte) 1);
    }

    @Test
    void itsSnapshotRestoresTheSameSerializer() throws IOException {
        TypeSerializerSnapshot<DecodedLine> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<DecodedLine> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(SERIALIZER);
        TypeSerializerSchemaCompatibility<DecodedLine> compatibility = SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }
}
