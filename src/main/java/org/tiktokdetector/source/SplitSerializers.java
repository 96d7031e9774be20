package org.tiktokdetector.source;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A source's two checkpoint serializers, its splits and its enumerator's pending splits, made from how one split
 * is written and read, so each source says only that.
 */
final class SplitSerializers {
    private SplitSerializers() {}

    interface Writer<S> {
        void write(S split, DataOutputView out) throws IOException;
    }

    interface Reader<S> {
        /** @param version the version the split was written with */
        S read(DataInputView in, int version) throws IOException;
    }

    /** One split per record, written as {@code version}. */
    static <S> SimpleVersionedSerializer<S> one(int version, Writer<S> writer, Reader<S> reader) {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return version;
            }

            @Override
            public byte[] serialize(S split) throws IOException {
                DataOutputSerializer out = new DataOutputSerializer(64);
                writer.write(split, out);
                return out.getCopyOfBuffer();
            }

            @Override
            public S deserialize(int version, byte[] bytes) throws IOException {
                return reader.read(new DataInputDeserializer(bytes), version);
            }
        };
    }

    /** A list of splits: its length, then each split, written as {@code version}. */
    static <S> SimpleVersionedSerializer<List<S>> list(int version, Writer<S> writer, Reader<S> reader) {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return version;
            }

            @Override
            public byte[] serialize(List<S> splits) throws IOException {
                DataOutputSerializer out = new DataOutputSerializer(64 * splits.size() + 4);
                out.writeInt(splits.size());
                for (S s : splits) {
                    writer.write(s, out);
                }
                return out.getCopyOfBuffer();
            }

            @Override
            public List<S> deserialize(int version, byte[] bytes) throws IOException {
                DataInputDeserializer in = new DataInputDeserializer(bytes);
                int n = in.readInt();
                List<S> splits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    splits.add(reader.read(in, version));
                }
                return splits;
            }
        };
    }
}
