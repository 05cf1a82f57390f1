package org.nowag.io.armor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.CodePacking;
import org.nowag.io.vq.VqTensors;

/**
 * How one ARMOR-compressed weight's parts are stored: six safetensors tensors next to the dense W_hat (which keeps
 * the weight's own name, so any tool loads the model as it is).
 * <pre>
 *   NAME.armor.a_blocks   F16|F32 [d_out / b, b, b]  A's diagonal blocks, block k = rows/cols k*b ..
 *   NAME.armor.b_blocks   F16|F32 [d_in / b, b, b]   B's diagonal blocks
 *   NAME.armor.values     F16|F32 [d_out, d_in / 2]  the 2:4 core's kept values, two per group of 4, lower position first
 *   NAME.armor.positions  U8      [d_out * d_in / 8] each kept value's position 0..3 in its group, 2 bits,
 *                                                    {@link CodePacking} bit stream (value v at bits 2v, 2v+1)
 *   NAME.armor.row_norms  F16|F32 [d_out]            r
 *   NAME.armor.col_norms  F16|F32 [d_in]             c
 * </pre>
 * W_hat = diag(r) A S B diag(c). Every size is derivable from the shapes. Format only; the math lives in kernels.
 */
public final class ArmorTensors {
    public static final String A_BLOCKS = ".armor.a_blocks";
    public static final String B_BLOCKS = ".armor.b_blocks";
    public static final String VALUES = ".armor.values";
    public static final String POSITIONS = ".armor.positions";
    public static final String ROW_NORMS = ".armor.row_norms";
    public static final String COL_NORMS = ".armor.col_norms";
    public static final String[] SUFFIXES = {A_BLOCKS, B_BLOCKS, VALUES, POSITIONS, ROW_NORMS, COL_NORMS};

    public final int rows;
    public final int cols;
    public final int blockSize;
    public final float[] aBlocks;
    public final float[] bBlocks;
    public final float[] values;
    public final int[] positions;
    public final float[] rowNorms;
    public final float[] colNorms;
    public final DType floatType;

    public ArmorTensors(int rows, int cols, int blockSize, float[] aBlocks, float[] bBlocks, float[] values,
                        int[] positions, float[] rowNorms, float[] colNorms, DType floatType) {
        if (floatType != DType.F16 && floatType != DType.F32) {
            throw new IllegalArgumentException("ARMOR parts are stored as F16 or F32, not " + floatType);
        }
        if (blockSize < 4 || rows % blockSize != 0 || cols % blockSize != 0 || cols % 4 != 0) {
            throw new IllegalArgumentException("ARMOR block size " + blockSize + " does not tile [" + rows + ", " + cols + "]");
        }
        long kept = (long) rows * cols / 2;
        if (aBlocks.length != (long) rows * blockSize || bBlocks.length != (long) cols * blockSize
                || values.length != kept || positions.length != kept || rowNorms.length != rows || colNorms.length != cols) {
            throw new IllegalArgumentException("ARMOR part lengths do not fit [" + rows + ", " + cols + "] with b=" + blockSize);
        }
        this.rows = rows;
        this.cols = cols;
        this.blockSize = blockSize;
        this.aBlocks = aBlocks;
        this.bBlocks = bBlocks;
        this.values = values;
        this.positions = positions;
        this.rowNorms = rowNorms;
        this.colNorms = colNorms;
        this.floatType = floatType;
    }

    /** The six part specs in file order (planning: no data needed). */
    public static List<TensorSpec> specs(String weight, long rows, long cols, int b, DType floatType) {
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(new TensorSpec(weight + A_BLOCKS, floatType, new long[] {rows / b, b, b}));
        specs.add(new TensorSpec(weight + B_BLOCKS, floatType, new long[] {cols / b, b, b}));
        specs.add(new TensorSpec(weight + VALUES, floatType, new long[] {rows, cols / 2}));
        specs.add(new TensorSpec(weight + POSITIONS, DType.U8, new long[] {CodePacking.packedBytes(rows * cols / 2, 2)}));
        specs.add(new TensorSpec(weight + ROW_NORMS, floatType, new long[] {rows}));
        specs.add(new TensorSpec(weight + COL_NORMS, floatType, new long[] {cols}));
        return specs;
    }

    public List<TensorSpec> specs(String weight) { return specs(weight, rows, cols, blockSize, floatType); }

    public static boolean isArmorTensor(String name) {
        for (String s : SUFFIXES) if (name.endsWith(s)) return true;
        return false;
    }

    /** The bytes of one of the six tensors, by the suffix of its name. */
    public byte[] bytes(String tensorName) {
        if (tensorName.endsWith(A_BLOCKS)) return encode(aBlocks);
        if (tensorName.endsWith(B_BLOCKS)) return encode(bBlocks);
        if (tensorName.endsWith(VALUES)) return encode(values);
        if (tensorName.endsWith(POSITIONS)) return CodePacking.pack(positions, 2);
        if (tensorName.endsWith(ROW_NORMS)) return encode(rowNorms);
        if (tensorName.endsWith(COL_NORMS)) return encode(colNorms);
        throw new IllegalArgumentException("'" + tensorName + "' is not an ARMOR tensor name");
    }

    private byte[] encode(float[] v) {
        byte[] out = new byte[v.length * floatType.bytes()];
        FloatCodec.encode(v, 0, floatType, out, 0, v.length);
        return out;
    }

    /** Reads the six parts of {@code weight} back; inconsistent shapes are an error naming the tensor. */
    public static ArmorTensors decode(String weight, Map<String, VqTensors.Stored> tensors) {
        VqTensors.Stored a = require(tensors, weight + A_BLOCKS);
        VqTensors.Stored b = require(tensors, weight + B_BLOCKS);
        VqTensors.Stored values = require(tensors, weight + VALUES);
        VqTensors.Stored positions = require(tensors, weight + POSITIONS);
        VqTensors.Stored r = require(tensors, weight + ROW_NORMS);
        VqTensors.Stored c = require(tensors, weight + COL_NORMS);
        if (a.shape.length != 3 || b.shape.length != 3 || values.shape.length != 2 || r.shape.length != 1
                || c.shape.length != 1 || positions.dtype != DType.U8 || positions.shape.length != 1) {
            throw new IllegalArgumentException("ARMOR tensors of '" + weight + "' have unexpected shapes or dtypes (want "
                    + "a_blocks [n, b, b], b_blocks [n, b, b], values [d_out, d_in/2], positions U8 [bytes], norms [d])");
        }
        int rows = Math.toIntExact(r.shape[0]);
        int cols = Math.toIntExact(c.shape[0]);
        int bs = Math.toIntExact(a.shape[1]);
        if (a.shape[2] != bs || b.shape[1] != bs || b.shape[2] != bs || a.shape[0] * bs != rows || b.shape[0] * bs != cols
                || values.shape[0] != rows || values.shape[1] * 2 != cols) {
            throw new IllegalArgumentException("ARMOR tensors of '" + weight + "' disagree on the shape: rows " + rows
                    + ", cols " + cols + ", a_blocks " + java.util.Arrays.toString(a.shape) + ", b_blocks "
                    + java.util.Arrays.toString(b.shape) + ", values " + java.util.Arrays.toString(values.shape));
        }
        int kept = Math.toIntExact((long) rows * cols / 2);
        if (positions.bytes.length != CodePacking.packedBytes(kept, 2)) {
            throw new IllegalArgumentException("'" + weight + POSITIONS + "' holds " + positions.bytes.length + " bytes; "
                    + kept + " positions of 2 bits need " + CodePacking.packedBytes(kept, 2));
        }
        int[] pos = CodePacking.unpack(positions.bytes, kept, 2);
        for (int v = 0; v < kept; v += 2) {
            if (pos[v] >= pos[v + 1]) {
                throw new IllegalArgumentException("'" + weight + POSITIONS + "' group " + v / 2 + " has positions ("
                        + pos[v] + ", " + pos[v + 1] + "); a 2:4 group needs two increasing positions");
            }
        }
        DType ft = a.dtype == DType.F32 ? DType.F32 : DType.F16;
        return new ArmorTensors(rows, cols, bs, toFloat(a, weight + A_BLOCKS), toFloat(b, weight + B_BLOCKS),
                toFloat(values, weight + VALUES), pos, toFloat(r, weight + ROW_NORMS), toFloat(c, weight + COL_NORMS), ft);
    }

    private static VqTensors.Stored require(Map<String, VqTensors.Stored> tensors, String name) {
        VqTensors.Stored s = tensors.get(name);
        if (s == null) throw new IllegalArgumentException("ARMOR tensor '" + name + "' is missing");
        return s;
    }

    private static float[] toFloat(VqTensors.Stored s, String name) {
        if (!s.dtype.isFloatConvertible()) {
            throw new IllegalArgumentException("'" + name + "' has dtype " + s.dtype + "; expected F16 or F32");
        }
        int n = s.bytes.length / s.dtype.bytes();
        float[] v = new float[n];
        FloatCodec.decode(s.bytes, 0, s.dtype, v, 0, n);
        return v;
    }
}
