package org.nowag.io.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Builders for test files: well-formed ones through the writer, malformed ones byte by byte. */
public final class TestTensors {
    private TestTensors() {}

    /** Writes a safetensors file whose tensor bytes come from data (by name). */
    public static void write(FileSystem fs, Path path, List<TensorSpec> specs, Map<String, String> metadata,
                             Map<String, byte[]> data) throws IOException {
        try (OutputStream out = fs.create(path, false)) {
            SafetensorsWriter.write(out, specs, metadata, (spec, o) -> o.write(data.get(spec.name())));
        }
    }

    /** Random bytes for a tensor; F16/BF16/F32 include every special class (zeros, subnormals, Inf, NaN). */
    public static byte[] randomBytes(TensorSpec spec, long seed, boolean withNan) {
        Random rnd = new Random(seed);
        byte[] b = new byte[Math.toIntExact(spec.byteSize())];
        rnd.nextBytes(b);
        int width = spec.dtype().bytes();
        int[] specials16 = spec.dtype() == DType.F16
                ? new int[] {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x7e00}
                : new int[] {0x0000, 0x8000, 0x0001, 0x007f, 0x0080, 0x7f7f, 0x7f80, 0xff80, 0x7fc0};
        int[] specials32 = {0, 0x80000000, 1, 0x007fffff, 0x00800000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000};
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < b.length / width; i++) {
            if (spec.dtype() == DType.F16 || spec.dtype() == DType.BF16) {
                int v = i < specials16.length ? specials16[i] : buf.getShort(2 * i) & 0xffff;
                if (!withNan && isNan16(spec.dtype(), v)) v = 0x3c00;
                buf.putShort(2 * i, (short) v);
            } else if (spec.dtype() == DType.F32) {
                int v = i < specials32.length ? specials32[i] : buf.getInt(4 * i);
                // Random NaN patterns are replaced: only canonical quiet NaNs are compared bit for bit.
                if (Float.isNaN(Float.intBitsToFloat(v))) v = withNan ? 0x7fc00000 : 0x3f800000;
                buf.putInt(4 * i, v);
            }
        }
        return b;
    }

    static boolean isNan16(DType dtype, int v) {
        return dtype == DType.F16 ? (v & 0x7c00) == 0x7c00 && (v & 0x3ff) != 0 : (v & 0x7f80) == 0x7f80 && (v & 0x7f) != 0;
    }

    /** A file of: u64 LE length of json, the json, then dataBytes zero bytes. */
    public static java.nio.file.Path raw(java.nio.file.Path dir, String name, String json, int dataBytes) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        byte[] rest = new byte[j.length + dataBytes];
        System.arraycopy(j, 0, rest, 0, j.length);
        return withPrefix(dir, name, j.length, rest);
    }

    /** A file of: u64 LE headerLength (whatever it claims), then rest. */
    public static java.nio.file.Path withPrefix(java.nio.file.Path dir, String name, long headerLength, byte[] rest) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerLength);
        buf.put(rest);
        java.nio.file.Path p = dir.resolve(name);
        Files.write(p, buf.array());
        return p;
    }
}
