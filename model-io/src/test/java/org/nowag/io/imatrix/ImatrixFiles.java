package org.nowag.io.imatrix;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes imatrix files by hand, field by field, as llama.cpp's tools/imatrix/imatrix.cpp lays them out. */
final class ImatrixFiles {
    private ImatrixFiles() {}

    /** Little-endian byte sink. */
    static final class Le {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Le i32(int v) { return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array()); }
        Le u64(long v) { return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array()); }
        Le f32(float v) { return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array()); }
        Le raw(byte[] b) { out.write(b, 0, b.length); return this; }
        Le ggufString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).raw(b);
        }
        Le padTo(int alignment) {
            while (out.size() % alignment != 0) out.write(0);
            return this;
        }
        int size() { return out.size(); }
        byte[] bytes() { return out.toByteArray(); }
    }

    /** Legacy .dat: int32 n; per entry int32 len, name, int32 ncall, int32 nval, float[nval]; then the trailer. */
    static final class Legacy {
        private final Le le = new Le();
        private int entries;
        private final Le body = new Le();

        Legacy entry(String name, int ncall, float... values) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            body.i32(n.length).raw(n).i32(ncall).i32(values.length);
            for (float v : values) body.f32(v);
            entries++;
            return this;
        }

        byte[] withoutTrailer() {
            return new Le().i32(entries).raw(body.bytes()).bytes();
        }

        byte[] withTrailer(int lastChunk, String dataset) {
            byte[] d = dataset.getBytes(StandardCharsets.UTF_8);
            return new Le().i32(entries).raw(body.bytes()).i32(lastChunk).i32(d.length).raw(d).bytes();
        }
    }

    /** GGUF v3 with F32 tensors, 32-byte alignment, the metadata keys llama.cpp's imatrix writes. */
    static final class Gguf {
        private final List<String> names = new ArrayList<>();
        private final List<long[]> dimsInnermostFirst = new ArrayList<>();
        private final List<float[]> data = new ArrayList<>();
        int version = 3;

        /** shape in row-major order, as a reader reports it; written innermost first as GGUF does. */
        Gguf tensor(String name, long[] shape, float... values) {
            long[] ne = new long[shape.length];
            for (int i = 0; i < shape.length; i++) ne[i] = shape[shape.length - 1 - i];
            names.add(name);
            dimsInnermostFirst.add(ne);
            data.add(values);
            return this;
        }

        byte[] bytes(String dataset) {
            Le le = new Le();
            le.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).i32(version).u64(names.size()).u64(4);
            le.ggufString("general.type").i32(8).ggufString("imatrix");
            le.ggufString("imatrix.datasets").i32(9).i32(8).u64(1).ggufString(dataset);
            le.ggufString("imatrix.chunk_count").i32(4).i32(10);
            le.ggufString("imatrix.chunk_size").i32(4).i32(512);
            long offset = 0;
            for (int t = 0; t < names.size(); t++) {
                le.ggufString(names.get(t)).i32(dimsInnermostFirst.get(t).length);
                for (long d : dimsInnermostFirst.get(t)) le.u64(d);
                le.i32(0).u64(offset);
                offset += (data.get(t).length * 4L + 31) / 32 * 32;
            }
            le.padTo(32);
            for (float[] values : data) {
                for (float v : values) le.f32(v);
                le.padTo(32);
            }
            return le.bytes();
        }
    }
}
