package org.nowag.io.vq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorSpec;

/**
 * How one vector-quantized weight is stored: four safetensors tensors next to where the dense weight was.
 * <pre>
 *   NAME.vq.codes      U8   [ceil(n * bits / 8)]  n = d_out * ceil(d_in / d) codes, {@link CodePacking} bit stream,
 *                                                 bits = ceil(log2 K) (at least 1); code (i, b) at index i * ceil(d_in / d) + b
 *   NAME.vq.codebook   F16|F32 [K, d]            centroid k = row k
 *   NAME.vq.row_norms  F16|F32 [d_out]           r
 *   NAME.vq.col_norms  F16|F32 [d_in]            c
 * </pre>
 * W_hat[i, b*d + t] = r_i * codebook[code(i, b), t] * c_{b*d + t} for b*d + t < d_in: when d does not divide d_in
 * the last subvector of each row was padded, and its padded coordinates are dropped. Every size is derivable from the shapes, so the
 * four tensors describe themselves; config.json's compression block repeats them for people. This class is the
 * format only; the quantization math lives in kernels.
 */
public final class VqTensors {
    public static final String CODES = ".vq.codes";
    public static final String CODEBOOK = ".vq.codebook";
    public static final String ROW_NORMS = ".vq.row_norms";
    public static final String COL_NORMS = ".vq.col_norms";

    public final int rows;
    public final int cols;
    public final int dim;
    public final int[] codes;
    public final float[] codebook;
    public final float[] rowNorms;
    public final float[] colNorms;
    /** F16 or F32, for codebook and norms. */
    public final DType floatType;

    public VqTensors(int rows, int cols, int dim, int[] codes, float[] codebook, float[] rowNorms, float[] colNorms,
                     DType floatType) {
        if (floatType != DType.F16 && floatType != DType.F32) {
            throw new IllegalArgumentException("VQ codebook and norms are stored as F16 or F32, not " + floatType);
        }
        if (dim < 1 || codes.length != codeCount(rows, cols, dim)) {
            throw new IllegalArgumentException(codes.length + " codes of dimension " + dim + " do not tile ["
                    + rows + ", " + cols + "]");
        }
        if (codebook.length == 0 || codebook.length % dim != 0 || rowNorms.length != rows || colNorms.length != cols) {
            throw new IllegalArgumentException("codebook/norm lengths " + codebook.length + "/" + rowNorms.length + "/"
                    + colNorms.length + " do not fit [" + rows + ", " + cols + "] with d=" + dim);
        }
        this.rows = rows;
        this.cols = cols;
        this.dim = dim;
        this.codes = codes;
        this.codebook = codebook;
        this.rowNorms = rowNorms;
        this.colNorms = colNorms;
        this.floatType = floatType;
    }

    public int codebookSize() { return codebook.length / dim; }

    public int codeBits() { return codeBits(codebookSize()); }

    /** ceil(log2 k), at least 1. */
    public static int codeBits(int k) { return Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1)); }

    /** Codes of a [rows, cols] weight: rows * ceil(cols / dim) (the last subvector of a row may be padded). */
    public static long codeCount(long rows, long cols, int dim) {
        return rows * ((cols + dim - 1) / dim);
    }

    /** The four tensor specs in file order, named after the dense weight. */
    public List<TensorSpec> specs(String weight) {
        return specs(weight, rows, cols, dim, codebookSize(), floatType);
    }

    /** The specs a [rows, cols] weight quantized with k centroids of dimension dim will have (planning, no data). */
    public static List<TensorSpec> specs(String weight, long rows, long cols, int dim, int k, DType floatType) {
        long count = codeCount(rows, cols, dim);
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(new TensorSpec(weight + CODES, DType.U8, new long[] {CodePacking.packedBytes(count, codeBits(k))}));
        specs.add(new TensorSpec(weight + CODEBOOK, floatType, new long[] {k, dim}));
        specs.add(new TensorSpec(weight + ROW_NORMS, floatType, new long[] {rows}));
        specs.add(new TensorSpec(weight + COL_NORMS, floatType, new long[] {cols}));
        return specs;
    }

    /** True for any of the four VQ tensor names. */
    public static boolean isVqTensor(String name) {
        return name.endsWith(CODES) || name.endsWith(CODEBOOK) || name.endsWith(ROW_NORMS) || name.endsWith(COL_NORMS);
    }

    /** The bytes of one of the four tensors, by the suffix of its name. */
    public byte[] bytes(String tensorName) {
        if (tensorName.endsWith(CODES)) return CodePacking.pack(codes, codeBits());
        if (tensorName.endsWith(CODEBOOK)) return encode(codebook);
        if (tensorName.endsWith(ROW_NORMS)) return encode(rowNorms);
        if (tensorName.endsWith(COL_NORMS)) return encode(colNorms);
        throw new IllegalArgumentException("'" + tensorName + "' is not a VQ tensor name");
    }

    private byte[] encode(float[] v) {
        byte[] out = new byte[v.length * floatType.bytes()];
        FloatCodec.encode(v, 0, floatType, out, 0, v.length);
        return out;
    }

    /** True when {@code name} is the codes tensor of a VQ weight; {@link #weightOf} gives the weight's name. */
    public static boolean isCodes(String name) { return name.endsWith(CODES); }

    public static String weightOf(String codesName) { return codesName.substring(0, codesName.length() - CODES.length()); }

    /**
     * Reads the four tensors of {@code weight} back; {@code tensors} maps each name to (dtype, shape, bytes).
     * Shapes that disagree with each other are an error naming the tensor.
     */
    public static VqTensors decode(String weight, Map<String, Stored> tensors) {
        Stored codes = require(tensors, weight + CODES);
        Stored codebook = require(tensors, weight + CODEBOOK);
        Stored rowNorms = require(tensors, weight + ROW_NORMS);
        Stored colNorms = require(tensors, weight + COL_NORMS);
        if (codebook.shape.length != 2 || rowNorms.shape.length != 1 || colNorms.shape.length != 1
                || codes.dtype != DType.U8 || codes.shape.length != 1) {
            throw new IllegalArgumentException("VQ tensors of '" + weight + "' have unexpected shapes or dtypes "
                    + "(want codes U8 [bytes], codebook [K, d], row_norms [d_out], col_norms [d_in])");
        }
        int k = Math.toIntExact(codebook.shape[0]);
        int d = Math.toIntExact(codebook.shape[1]);
        int rows = Math.toIntExact(rowNorms.shape[0]);
        int cols = Math.toIntExact(colNorms.shape[0]);
        if (d < 1 || k < 1) {
            throw new IllegalArgumentException("'" + weight + CODEBOOK + "' has shape [" + k + ", " + d
                    + "]; both must be positive");
        }
        int count = Math.toIntExact(codeCount(rows, cols, d));
        int bits = codeBits(k);
        if (codes.bytes.length != CodePacking.packedBytes(count, bits)) {
            throw new IllegalArgumentException("'" + weight + CODES + "' holds " + codes.bytes.length + " bytes; "
                    + count + " codes of " + bits + " bits need " + CodePacking.packedBytes(count, bits));
        }
        int[] unpacked = CodePacking.unpack(codes.bytes, count, bits);
        for (int g = 0; g < count; g++) {
            if (unpacked[g] >= k) {
                throw new IllegalArgumentException("'" + weight + CODES + "' code " + g + " = " + unpacked[g]
                        + " is outside the codebook of " + k + " centroids");
            }
        }
        DType ft = codebook.dtype;
        return new VqTensors(rows, cols, d, unpacked, toFloat(codebook, weight + CODEBOOK), toFloat(rowNorms, weight + ROW_NORMS),
                toFloat(colNorms, weight + COL_NORMS), ft == DType.F32 ? DType.F32 : DType.F16);
    }

    private static Stored require(Map<String, Stored> tensors, String name) {
        Stored s = tensors.get(name);
        if (s == null) throw new IllegalArgumentException("VQ tensor '" + name + "' is missing");
        return s;
    }

    private static float[] toFloat(Stored s, String name) {
        if (!s.dtype.isFloatConvertible()) {
            throw new IllegalArgumentException("'" + name + "' has dtype " + s.dtype + "; expected F16 or F32");
        }
        int n = s.bytes.length / s.dtype.bytes();
        float[] v = new float[n];
        FloatCodec.decode(s.bytes, 0, s.dtype, v, 0, n);
        return v;
    }

    /** One stored tensor: dtype, shape, raw bytes. */
    public static final class Stored {
        public final DType dtype;
        public final long[] shape;
        public final byte[] bytes;

        public Stored(DType dtype, long[] shape, byte[] bytes) {
            this.dtype = dtype;
            this.shape = shape.clone();
            this.bytes = bytes;
        }
    }
}
