package org.tiktokdetector.flink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.tiktokdetector.decode.DecodedLine;
import org.tiktokdetector.records.Binding;
import org.tiktokdetector.records.DeadLetter;
import org.tiktokdetector.records.DnsAnswer;
import org.tiktokdetector.records.FlowRecord;
import org.tiktokdetector.records.Kind;
import org.tiktokdetector.records.TunnelLayer;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flink's type for a {@link DecodedLine}, the record every source hands to the matcher. When the matcher
 * cannot run in the source's task (a job that checkpoints), every line crosses a network channel, and
 * Flink's POJO serializer spent most of that hand-over reflecting on fields and writing strings one char
 * at a time. This writes the fields in a fixed order and strings as UTF-8 bytes (a plain copy for ASCII).
 * A wire type only: it is never kept in state.
 */
public final class DecodedLineType extends TypeInformation<DecodedLine> {
    public static final DecodedLineType INSTANCE = new DecodedLineType();
    private static final long serialVersionUID = 1L;

    private DecodedLineType() {}

    /**
     * Makes this the type Flink extracts for {@link DecodedLine} anywhere in {@code env}'s jobs, so an operator
     * added between a source and the matcher (a {@code map} returning its input, say) keeps this serializer instead
     * of falling back to a POJO type. This is {@code @TypeInfo} by configuration (pipeline.serialization-config):
     * the annotation would tie the plain-Java decode package to Flink.
     */
    public static void registerWith(StreamExecutionEnvironment env) {
        if (TypeExtractor.<DecodedLine>getTypeInfoFactory(DecodedLine.class) instanceof Factory) {
            return; // Flink keeps type factories per JVM and refuses a second registration
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.SERIALIZATION_CONFIG,
                List.of(DecodedLine.class.getName() + ": {type: typeinfo, class: " + Factory.class.getName() + "}"));
        env.configure(conf);
    }

    /** Flink's hook for {@link #registerWith}. */
    public static final class Factory extends TypeInfoFactory<DecodedLine> {
        @Override
        public TypeInformation<DecodedLine> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public TypeSerializer<DecodedLine> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<DecodedLine> getTypeClass() {
        return DecodedLine.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "DecodedLineType";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedLineType;
    }

    @Override
    public int hashCode() {
        return DecodedLineType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof DecodedLineType;
    }

    public static final class Serializer extends TypeSerializerSingleton<DecodedLine> {
        public static final Serializer INSTANCE = new Serializer();
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public DecodedLine createInstance() {
            return new DecodedLine();
        }

        @Override
        public DecodedLine copy(DecodedLine from) {
            DecodedLine d = new DecodedLine();
            d.timestamp = from.timestamp;
            List<FlowRecord> records = new ArrayList<>(from.records.size());
            for (FlowRecord r : from.records) {
                records.add(r.copy());
            }
            d.records = records;
            if (!from.bindings.isEmpty()) {
                List<Binding> bindings = new ArrayList<>(from.bindings.size());
                for (Binding b : from.bindings) {
                    bindings.add(b.copy());
                }
                d.bindings = bindings;
            }
            d.deadLetter = from.deadLetter == null ? null : copy(from.deadLetter);
            d.type = from.type;
            return d;
        }

        @Override
        public DecodedLine copy(DecodedLine from, DecodedLine reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(DecodedLine d, DataOutputView out) throws IOException {
            out.writeLong(d.timestamp);
            out.writeInt(d.records.size());
            for (FlowRecord r : d.records) {
                write(r, out);
            }
            out.writeInt(d.bindings.size());
            for (Binding b : d.bindings) {
                write(b, out);
            }
            out.writeBoolean(d.deadLetter != null);
            if (d.deadLetter != null) {
                write(d.deadLetter, out);
            }
            writeString(d.type, out);
        }

        @Override
        public DecodedLine deserialize(DataInputView in) throws IOException {
            DecodedLine d = new DecodedLine();
            d.timestamp = in.readLong();
            int n = in.readInt();
            if (n > 0) {
                List<FlowRecord> records = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    records.add(readRecord(in));
                }
                d.records = records;
            }
            int bindings = in.readInt();
            if (bindings > 0) {
                List<Binding> list = new ArrayList<>(bindings);
                for (int i = 0; i < bindings; i++) {
                    list.add(readBinding(in));
                }
                d.bindings = list;
            }
            if (in.readBoolean()) {
                d.deadLetter = readDeadLetter(in);
            }
            d.type = readString(in);
            return d;
        }

        @Override
        public DecodedLine deserialize(DecodedLine reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<DecodedLine> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void write(FlowRecord r, DataOutputView out) throws IOException {
            out.writeLong(r.timestamp);
            writeString(r.sensor, out);
            out.writeByte(r.kind == null ? -1 : r.kind.ordinal());
            writeString(r.transport, out);
            writeString(r.clientIp, out);
            out.writeInt(r.clientPort);
            writeString(r.serverIp, out);
            out.writeInt(r.serverPort);
            writeString(r.name, out);
            writeString(r.queryType, out);
            if (r.answers == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(r.answers.size());
                for (DnsAnswer a : r.answers) {
                    writeString(a.type, out);
                    writeString(a.data, out);
                    out.writeLong(a.ttl);
                }
            }
            if (r.alpn == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(r.alpn.size());
                for (String s : r.alpn) {
                    writeString(s, out);
                }
            }
            out.writeBoolean(r.ech);
            writeString(r.deviceId, out);
            writeString(r.mac, out);
            writeString(r.userAgent, out);
            if (r.tunnel == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(r.tunnel.size());
                for (TunnelLayer l : r.tunnel) {
                    writeString(l.type, out);
                    out.writeLong(l.id);
                    writeString(l.outerSrc, out);
                    writeString(l.outerDst, out);
                }
            }
            writeString(r.uid, out);
            out.writeLong(r.flowId);
            writeString(r.communityId, out);
            writeString(r.source, out);
            out.writeLong(r.line);
            out.writeLong(r.packet);
        }

        private static FlowRecord readRecord(DataInputView in) throws IOException {
            FlowRecord r = new FlowRecord();
            r.timestamp = in.readLong();
            r.sensor = readString(in);
            int kind = in.readByte();
            r.kind = kind < 0 ? null : Kind.values()[kind];
            r.transport = readString(in);
            r.clientIp = readString(in);
            r.clientPort = in.readInt();
            r.serverIp = readString(in);
            r.serverPort = in.readInt();
            r.name = readString(in);
            r.queryType = readString(in);
            int answers = in.readInt();
            if (answers >= 0) {
                r.answers = new ArrayList<>(answers);
                for (int i = 0; i < answers; i++) {
                    DnsAnswer a = new DnsAnswer();
                    a.type = readString(in);
                    a.data = readString(in);
                    a.ttl = in.readLong();
                    r.answers.add(a);
                }
            }
            int alpn = in.readInt();
            if (alpn >= 0) {
                r.alpn = new ArrayList<>(alpn);
                for (int i = 0; i < alpn; i++) {
                    r.alpn.add(readString(in));
                }
            }
            r.ech = in.readBoolean();
            r.deviceId = readString(in);
            r.mac = readString(in);
            r.userAgent = readString(in);
            int tunnel = in.readInt();
            if (tunnel >= 0) {
                r.tunnel = new ArrayList<>(tunnel);
                for (int i = 0; i < tunnel; i++) {
                    r.tunnel.add(new TunnelLayer(readString(in), in.readLong(), readString(in), readString(in)));
                }
            }
            r.uid = readString(in);
            r.flowId = in.readLong();
            r.communityId = readString(in);
            r.source = readString(in);
            r.line = in.readLong();
            r.packet = in.readLong();
            return r;
        }

        private static void write(Binding b, DataOutputView out) throws IOException {
            out.writeLong(b.timestamp);
            out.writeByte(b.action.ordinal());
            out.writeByte(b.source.ordinal());
            writeString(b.ip, out);
            writeString(b.mac, out);
            writeString(b.hostName, out);
            writeString(b.userName, out);
            writeString(b.sessionId, out);
            writeString(b.nasId, out);
            out.writeLong(b.leaseSeconds);
            out.writeBoolean(b.leaseEstimated);
            writeString(b.sensor, out);
        }

        private static Binding readBinding(DataInputView in) throws IOException {
            Binding b = new Binding();
            b.timestamp = in.readLong();
            b.action = Binding.Action.values()[in.readByte()];
            b.source = Binding.Source.values()[in.readByte()];
            b.ip = readString(in);
            b.mac = readString(in);
            b.hostName = readString(in);
            b.userName = readString(in);
            b.sessionId = readString(in);
            b.nasId = readString(in);
            b.leaseSeconds = in.readLong();
            b.leaseEstimated = in.readBoolean();
            b.sensor = readString(in);
            return b;
        }

        private static void write(DeadLetter d, DataOutputView out) throws IOException {
            out.writeLong(d.rejectedAt);
            writeString(d.source, out);
            out.writeLong(d.line);
            out.writeInt(d.partition);
            out.writeLong(d.offset);
            writeString(d.reason, out);
            writeBytes(d.original, out);
        }

        private static DeadLetter readDeadLetter(DataInputView in) throws IOException {
            DeadLetter d = new DeadLetter();
            d.rejectedAt = in.readLong();
            d.source = readString(in);
            d.line = in.readLong();
            d.partition = in.readInt();
            d.offset = in.readLong();
            d.reason = readString(in);
            d.original = readBytes(in);
            return d;
        }

        private static DeadLetter copy(DeadLetter from) {
            DeadLetter d = DeadLetter.of(from.source, from.line, from.partition, from.offset,
                    from.original == null ? null : from.original.clone(), from.reason);
            d.rejectedAt = from.rejectedAt;
            return d;
        }

        /** Null as -1; ASCII names and addresses encode and decode as plain byte copies. */
        private static void writeString(String s, DataOutputView out) throws IOException {
            writeBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8), out);
        }

        private static String readString(DataInputView in) throws IOException {
            byte[] b = readBytes(in);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
            if (b == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(b.length);
                out.write(b);
            }
        }

        private static byte[] readBytes(DataInputView in) throws IOException {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DecodedLine> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
