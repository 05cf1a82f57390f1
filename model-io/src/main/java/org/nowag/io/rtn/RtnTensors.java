package org.nowag.io.rtn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.CodePacking;
import org.nowag.io.vq.VqTensors;

/**
 * How one round-to-nearest weight is stored: three safetensors tensors where the dense weight was.
 * <pre>
 *   NAME.rtn.codes   U8  [d_out, ceil(d_in * bits / 8)]  each row's codes, {@link CodePacking} bit stream at bits per code
 *   NAME.rtn.scales  F16 [d_out, groups]                 the step of each group of group_size inputs (groups = ceil(d_in / group_size))
 *   NAME.rtn.zeros   I16 [d_out, groups]                 the integer zero point of each group, in [0, 2^bits - 1]
 * </pre>
 * W_hat[i, j] = scales[i, j / group_size] * (code(i, j) - zeros[i, j / group_size]). The last group of a row is the
 * shorter remainder when group_size does not divide d_in. bits and group_size are not derivable from the shapes
 * alone: config.json's quantization_config records them per tensor ({@code tensors.NAME.bits}, {@code group_size}),
 * with the weight's dtype and shape. Format only; the quantization math lives in kernels.
 */
public final class RtnTensors {
    public static final String CODES = ".rtn.codes";
    public static final String SCALES = ".rtn.scales";
    public static final String ZEROS = ".rtn.zeros";
    public static final String[] SUFFIXES = {CODES, SCALES, ZEROS};

    public final int rows;
    public final int cols;
    public final int bits;
    public final int groupSize;
    /** One code per weight, row-major, unpacked (one byte each). */
    public final byte[] codes;
    public final float[] scales;
    public final short[] zeros;

    public RtnTensors(int rows, int cols, int bits, int groupSize, byte[] codes, float[] scales, short[] zeros) {
        if (bits < 1 || bits > 8) throw new IllegalArgumentException("RTN codes take 1 to 8 bits, not " + bits);
        if (groupSize < 1) throw new IllegalArgumentException("RTN group size must be >= 1, got " + groupSize);
        long groups = (long) rows * groups(cols, groupSize);
        if (codes.length != (long) rows * cols || scales.length != groups || zeros.length != groups) {
            throw new IllegalArgumentException(codes.length + " codes, " + scales.length + " scales and " + zeros.length
                    + " zero points do not fit [" + rows + ", " + cols + "] in groups of " + groupSize);
        }
        this.rows = rows;
        this.cols = cols;
        this.bits = bits;
        this.groupSize = groupSize;
        this.codes = codes;
        this.scales = scales;
        this.zeros = zeros;
    }

    /** Groups per row: ceil(cols / groupSize). */
    public static long groups(long cols, int groupSize) { return (cols + groupSize - 1) / groupSize; }

    /** The three specs in file order (planning: no data needed). */
    public static List<TensorSpec> specs(String weight, long rows, long cols, int bits, int groupSize) {
        long g = groups(cols, groupSize);
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(new TensorSpec(weight + CODES, DType.U8, new long[] {rows, CodePacking.packedBytes(cols, bits)}));
        specs.add(new TensorSpec(weight + SCALES, DType.F16, new long[] {rows, g}));
        specs.add(new TensorSpec(weight + ZEROS, DType.I16, new long[] {rows, g}));
        return specs;
    }

    public List<TensorSpec> specs(String weight) { return specs(weight, rows, cols, bits, groupSize); }

    /** Stored bits per weight: the three tensors' bytes over d_out * d_in (byte padding of each row's codes counted). */
    public static double storedBitsPerWeight(long rows, long cols, int bits, int groupSize) {
        long bytes = 0;
        for (TensorSpec s : specs("w", rows, cols, bits, groupSize)) bytes += s.byteSize();
        return 8.0 * bytes / ((double) rows * cols);
    }

    public static boolean isRtnTensor(String name) {
        for (String s : SUFFIXES) if (name.endsWith(s)) return true;
        return false;
    }

    public static boolean isCodes(String name) { return name.endsWith(CODES); }

    public static String weightOf(String codesName) { return codesName.substring(0, codesName.length() - CODES.length()); }

    /** The bytes of one of the three tensors, by the suffix of its name. */
    public byte[] bytes(String tensorName) {
        if (tensorName.endsWith(CODES)) {
            int rowBytes = Math.toIntExact(CodePacking.packedBytes(cols, bits));
            byte[] out = new byte[Math.multiplyExact(rows, rowBytes)];
            int[] row = new int[cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) row[c] = codes[r * cols + c] & 0xFF;
                System.arraycopy(CodePacking.pack(row, bits), 0, out, r * rowBytes, rowBytes);
            }
            return out;
        }
        if (tensorName.endsWith(SCALES)) {
            byte[] out = new byte[scales.length * 2];
            FloatCodec.encode(scales, 0, DType.F16, out, 0, scales.length);
            return out;
        }
        if (tensorName.endsWith(ZEROS)) {
            byte[] out = new byte[zeros.length * 2];
            for (int i = 0; i < zeros.length; i++) {  // safetensors is little-endian
                out[2 * i] = (byte) zeros[i];
                out[2 * i + 1] = (byte) (zeros[i] >> 8);
            }
            return out;
        }
        throw new IllegalArgumentException("'" + tensorName + "' is not an RTN tensor name");
    }

    /**
     * Reads the three parts of a [rows, cols] {@code weight} back, at the bits and group size config.json records;
     * parts whose dtypes or shapes do not fit are an error naming the tensor.
     */
    public static RtnTensors decode(String weight, long rows, long cols, int bits, int groupSize, Map<String, VqTensors.Stored> tensors) {
        List<TensorSpec> want = specs(weight, rows, cols, bits, groupSize);
        for (TensorSpec s : want) {
            VqTensors.Stored got = tensors.get(s.name());
            if (got == null) throw new IllegalArgumentException("RTN tensor '" + s.name() + "' is missing");
            if (got.dtype != s.dtype() || !Arrays.equals(got.shape, s.shape()) || got.bytes.length != s.byteSize()) {
                throw new IllegalArgumentException("RTN tensor '" + s.name() + "' is " + got.dtype + " " + Arrays.toString(got.shape)
                        + "; the " + rows + " x " + cols + " weight at " + bits + " bits, group " + groupSize + " needs "
                        + s.dtype() + " " + Arrays.toString(s.shape()));
            }
        }
        int r = Math.toIntExact(rows);
        int c = Math.toIntExact(cols);
        byte[] packed = tensors.get(weight + CODES).bytes;
        int rowBytes = Math.toIntExact(CodePacking.packedBytes(c, bits));
        byte[] codes = new byte[Math.multiplyExact(r, c)];
        for (int i = 0; i < r; i++) {
            int[] row = CodePacking.unpack(Arrays.copyOfRange(packed, i * rowBytes, (i + 1) * rowBytes), c, bits);
            for (int j = 0; j < c; j++) codes[i * c + j] = (byte) row[j];
        }
        byte[] sb = tensors.get(weight + SCALES).bytes;
        float[] scales = new float[sb.length / 2];
        FloatCodec.decode(sb, 0, DType.F16, scales, 0, scales.length);
        byte[] zb = tensors.get(weight + ZEROS).bytes;
        short[] zeros = new short[zb.length / 2];
        for (int i = 0; i < zeros.length; i++) zeros[i] = (short) ((zb[2 * i] & 0xFF) | (zb[2 * i + 1] << 8));
        return new RtnTensors(r, c, bits, groupSize, codes, scales, zeros);
    }
}
