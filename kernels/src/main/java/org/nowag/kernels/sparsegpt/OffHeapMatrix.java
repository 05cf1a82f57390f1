package org.nowag.kernels.sparsegpt;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small row-major double matrix in ND4J's off-heap memory, filled and read one row segment at a time by bulk copies
 * (no n-sized heap staging array), freed by {@link #close()} as soon as the product it feeds is read (not whenever
 * the garbage collector gets to it), so the off-heap memory of a chunked GEMM loop is bounded by its chunk sizes.
 *
 * <p>Products come back column-major, i.e. as the row-major transpose: ND4J 1.0.0-M2.1 hands a column-major output
 * straight to BLAS, while a row-major one goes through a path measured about 15x slower for tall, thin products (in
 * NoWag-VQ's former GEMM assignment).
 * Callers that need a product's rows contiguous pass the transposed operands instead (C = (B^T A^T)^T).
 */
final class OffHeapMatrix implements AutoCloseable {
    /** Doubles per chunk operand or product (32 MiB): the bound on each off-heap array of the chunked GEMMs. */
    static final int CHUNK_DOUBLES = 1 << 22;

    final int rows;
    final int cols;
    private final INDArray array;
    private final DoubleBuffer values;

    private OffHeapMatrix(INDArray array, int rows, int cols) {
        this.array = array;
        this.rows = rows;
        this.cols = cols;
        this.values = array.data().asNio().duplicate().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    /** A zero-filled rows x cols matrix. */
    static OffHeapMatrix zeros(int rows, int cols) {
        return new OffHeapMatrix(Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'c'), rows, cols);
    }

    /** Rows a chunk of width {@code cols} may have so it stays within {@code chunkDoubles} (at least 1). */
    static int chunkRows(int cols, int total, int chunkDoubles) {
        return Math.max(1, Math.min(total, chunkDoubles / Math.max(1, cols)));
    }

    /** this[row, col .. col + len) = src[off .. off + len). */
    void put(int row, int col, double[] src, int off, int len) {
        values.put(row * cols + col, src, off, len);
    }

    /** dst[off .. off + len) = this[row, col .. col + len). */
    void get(int row, int col, double[] dst, int off, int len) {
        values.get(row * cols + col, dst, off, len);
    }

    double get(int row, int col) {
        return values.get(row * cols + col);
    }

    /**
     * (X Y)^T as a row-major [n, m] matrix, for X [m, k] and Y [k, n] (row-major): row j of the result is column j
     * of X Y, contiguous. ND4J gets both operands row-major, untransposed, and a column-major output, the one
     * combination measured fast here for every shape these kernels use (asking it to transpose a row-major operand,
     * or for a row-major output, measured 2-6x slower).
     */
    static OffHeapMatrix productTransposed(OffHeapMatrix x, OffHeapMatrix y) {
        if (x.cols != y.rows) throw new IllegalArgumentException("inner dimensions " + x.cols + " and " + y.rows + " differ");
        INDArray c = Nd4j.create(DataType.DOUBLE, new long[] {x.rows, y.cols}, 'f');
        Nd4j.gemm(x.array, y.array, c, false, false, 1.0, 0.0);
        return new OffHeapMatrix(c, y.cols, x.rows);
    }

    /**
     * dst[c * dstStride + r] = src[srcOff + r * srcStride + c] for r < rows, c < cols: the heap staging of an operand
     * ND4J needs transposed. Eight source rows at a time, so each destination cache line is written whole instead of
     * one double of it per row (a plain strided transpose measured several times slower).
     */
    static void transpose(double[] src, int srcOff, int srcStride, int rows, int cols, double[] dst, int dstStride) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            int s0 = srcOff + r * srcStride;
            for (int c = 0; c < cols; c++) {
                int at = c * dstStride + r;
                int from = s0 + c;
                for (int q = 0; q < 8; q++) dst[at + q] = src[from + q * srcStride];
            }
        }
        for (; r < rows; r++) {
            int from = srcOff + r * srcStride;
            for (int c = 0; c < cols; c++) dst[c * dstStride + r] = src[from + c];
        }
    }

    @Override
    public void close() {
        array.close();
    }
}
