package org.nowag.io.imatrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a GGUF file (v2/v3) an importance matrix needs: header, metadata key/values, tensor infos, and F32
 * tensor data. Layout: "GGUF", u32 version, u64 tensor count, u64 kv count; each kv is a string key, u32 type, value;
 * each tensor info is a string name, u32 n_dims, u64 dims (innermost first), u32 ggml type, u64 offset from the
 * data section, which starts at the next multiple of general.alignment (default 32). Strings are u64 length + UTF-8.
 */
final class GgufFile {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    static final int GGML_TYPE_F32 = 0;
    private static final long MAX_COUNT = 1 << 24;

    private final Map<String, Object> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final LittleEndianReader in;

    private GgufFile(Map<String, Object> metadata, Map<String, GgufTensorInfo> tensors, LittleEndianReader in) {
        this.metadata = metadata;
        this.tensors = tensors;
        this.in = in;
    }

    static boolean hasMagic(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'G' && bytes[1] == 'G' && bytes[2] == 'U' && bytes[3] == 'F';
    }

    static GgufFile parse(LittleEndianReader in) throws ImatrixFormatException {
        String file = in.file();
        if (in.i32("magic") != MAGIC) throw new ImatrixFormatException(file, "not a GGUF file (wrong magic)");
        long version = in.u32("version");
        if (version != 2 && version != 3) throw new ImatrixFormatException(file, "GGUF version " + version + " is not supported (2 and 3 are)");
        long tensorCount = count(in, "tensor count");
        long kvCount = count(in, "metadata count");
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string(in, "metadata key " + i);
            int type = (int) in.u32("type of " + key);
            metadata.put(key, value(in, type, key));
        }
        long alignment = 32;
        Object a = metadata.get("general.alignment");
        if (a != null) {
            if (!(a instanceof Long) || (Long) a <= 0 || Long.bitCount((Long) a) != 1) {
                throw new ImatrixFormatException(file, "general.alignment " + a + " is not a positive power of two");
            }
            alignment = (Long) a;
        }
        List<GgufTensorInfo> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = string(in, "tensor " + i + " name");
            long dims = in.u32("dims of " + name);
            if (dims < 1 || dims > 4) throw new ImatrixFormatException(file, "tensor '" + name + "' has " + dims + " dims (1..4 allowed)");
            long[] shape = new long[(int) dims];
            for (int d = 0; d < dims; d++) {
                long ne = in.u64("dim " + d + " of " + name);
                if (ne < 1) throw new ImatrixFormatException(file, "tensor '" + name + "' has dimension " + ne);
                shape[(int) dims - 1 - d] = ne; // GGUF lists ne[0] (innermost) first
            }
            int type = (int) in.u32("type of " + name);
            long offset = in.u64("offset of " + name);
            infos.add(new GgufTensorInfo(name, shape, type, offset));
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (GgufTensorInfo t : infos) {
            GgufTensorInfo abs = new GgufTensorInfo(t.name, t.shape, t.ggmlType, dataStart + t.dataOffset);
            if (tensors.put(t.name, abs) != null) throw new ImatrixFormatException(file, "tensor '" + t.name + "' appears twice");
        }
        return new GgufFile(metadata, tensors, in);
    }

    Map<String, Object> metadata() { return metadata; }
    Map<String, GgufTensorInfo> tensors() { return tensors; }

    float[] readF32(GgufTensorInfo t) throws ImatrixFormatException {
        if (t.ggmlType != GGML_TYPE_F32) {
            throw new ImatrixFormatException(in.file(), "tensor '" + t.name + "' has ggml type " + t.ggmlType + "; only F32 (0) is read");
        }
        in.seek(t.dataOffset, "data of tensor '" + t.name + "'");
        return in.f32s(t.elements(), "data of tensor '" + t.name + "'");
    }

    private static long count(LittleEndianReader in, String what) throws ImatrixFormatException {
        long n = in.u64(what);
        if (n > MAX_COUNT) throw new ImatrixFormatException(in.file(), what + " " + n + " is implausibly large");
        return n;
    }

    private static String string(LittleEndianReader in, String what) throws ImatrixFormatException {
        long len = in.u64(what + " length");
        return in.utf8(len, what);
    }

    /** Numbers become Long or Double, strings String, arrays List; bool Boolean. */
    private static Object value(LittleEndianReader in, int type, String key) throws ImatrixFormatException {
        switch (type) {
            case 0: return (long) (in.bytes(1, key)[0] & 0xFF);        // u8
            case 1: return (long) in.bytes(1, key)[0];                  // i8
            case 2: { byte[] b = in.bytes(2, key); return (long) ((b[0] & 0xFF) | (b[1] & 0xFF) << 8); } // u16
            case 3: { byte[] b = in.bytes(2, key); return (long) (short) ((b[0] & 0xFF) | (b[1] & 0xFF) << 8); } // i16
            case 4: return in.u32(key);
            case 5: return (long) in.i32(key);
            case 6: return (double) Float.intBitsToFloat(in.i32(key));
            case 7: return in.bytes(1, key)[0] != 0;
            case 8: return string(in, key);
            case 9: {
                int elemType = (int) in.u32("array type of " + key);
                if (elemType == 9) throw new ImatrixFormatException(in.file(), "metadata '" + key + "': nested arrays are not supported");
                long n = count(in, "array length of " + key);
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < n; i++) list.add(value(in, elemType, key + "[" + i + "]"));
                return list;
            }
            case 10: return in.u64(key);
            case 11: { byte[] b = in.bytes(8, key); return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(); }
            case 12: { byte[] b = in.bytes(8, key); return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(); }
            default: throw new ImatrixFormatException(in.file(), "metadata '" + key + "' has unknown value type " + type);
        }
    }
}
