package org.nowag.kernels.armor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Products with block-diagonal matrices stored as their stacked square blocks (block k = rows and columns
 * k*b .. k*b + b - 1), in double. Each product is ONE batched ND4J matmul over the blocks it is given: with b = 32 a
 * loop of per-block GEMM calls spends its time crossing into native code, not multiplying.
 * Arrays in and out are row-major Java arrays.
 *
 * <p>The callers ({@link ArmorState}) hand these methods one chunk at a time (a few row blocks, or a few column
 * blocks of all rows), so that the temporaries below (the ND4J copy of the input, its permuted copy, the result and
 * its row-major copy) are bounded by the chunk, not by the matrix. Splitting changes no float operation: libnd4j's
 * batched matmul computes every output element as its own sequential sum over the inner dimension, with its threads
 * splitting the output elements (deeplearning4j/deeplearning4j, libnd4j/include/helpers/cpu/MmulHelper.cpp,
 * batchedGemm under mmulNxN), which a chunk does not change, and no sum here runs across chunks.
 * {@code ArmorChunksAndThreadsTest} checks the bits with the ND4J version this project uses.
 * Every ND4J array made here is closed here, so the off-heap memory is released at once rather than when the
 * garbage collector finds the Java object.
 */
final class BlockProducts {
    /** Default bound on one chunk's input, in bytes of doubles (see {@link ArmorState#chunkBytes}). */
    static final long DEFAULT_CHUNK_BYTES = 16L << 20;

    private BlockProducts() {}

    /** Blocks from .. to - 1 of [n][b*b] as an ND4J [to - from, b, b] array (the caller closes it). */
    static INDArray stack(double[][] blocks, int from, int to, int b) {
        double[] flat = new double[(to - from) * b * b];
        for (int k = from; k < to; k++) System.arraycopy(blocks[k], 0, flat, (k - from) * b * b, b * b);
        return Nd4j.create(flat, new long[] {to - from, b, b}, DataType.DOUBLE);
    }

    /** [n][b*b] blocks as an ND4J [n, b, b] array (the caller closes it). */
    static INDArray stack(double[][] blocks, int b) {
        return stack(blocks, 0, blocks.length, b);
    }

    /** X [rows, cols] as [rows / b, b, cols]: the row blocks A's blocks act on (the caller closes it). */
    static INDArray rowBlocks(double[] x, int rows, int cols, int b) {
        return Nd4j.create(x, new long[] {rows / b, b, cols}, DataType.DOUBLE);
    }

    /** X [rows, cols] as [cols / b, rows, b]: the column blocks B's blocks act on (the caller closes it). */
    static INDArray columnBlocks(double[] x, int rows, int cols, int b) {
        INDArray plain = Nd4j.create(x, new long[] {rows, cols / b, b}, DataType.DOUBLE);
        try {
            // dup('c'): a permuted view keeps the original buffer order, which native matmul and data() would read as is
            return plain.permute(1, 0, 2).dup('c');
        } finally {
            close(plain);
        }
    }

    /** The inverse of {@link #columnBlocks}: [cols / b, rows, b] back to row-major [rows, cols]. */
    static double[] fromColumnBlocks(INDArray blocks) {
        INDArray c = blocks.permute(1, 0, 2).dup('c');
        try {
            return c.data().asDouble();
        } finally {
            close(c);
        }
    }

    /**
     * A X for block-diagonal A given as its stacked blocks [rows / b, b, b]. Holds at most three copies of X at once
     * (the ND4J input and result, then the result and its Java copy), plus the caller's X.
     */
    static double[] left(INDArray aStack, int b, double[] x, int rows, int cols) {
        INDArray in = rowBlocks(x, rows, cols, b);
        INDArray out = null;
        try {
            out = Nd4j.matmul(aStack, in);
            close(in);
            in = null;
            return rowMajor(out);
        } finally {
            close(in, out);
        }
    }

    /** A X for block-diagonal A [rows, rows]. */
    static double[] left(double[][] a, int b, double[] x, int rows, int cols) {
        INDArray aStack = stack(a, b);
        try {
            return left(aStack, b, x, rows, cols);
        } finally {
            close(aStack);
        }
    }

    /**
     * X B for block-diagonal B given as its stacked blocks [cols / b, b, b]. Holds at most three copies of X at once
     * (the ND4J input and its permuted copy; the result, its permuted copy and the Java copy), plus the caller's X.
     */
    static double[] right(double[] x, int rows, int cols, INDArray bStack, int b) {
        INDArray in = columnBlocks(x, rows, cols, b);
        INDArray out = null;
        try {
            out = Nd4j.matmul(in, bStack);
            close(in);
            in = null;
            return fromColumnBlocks(out);
        } finally {
            close(in, out);
        }
    }

    /** X B for block-diagonal B [cols, cols]. */
    static double[] right(double[] x, int rows, int cols, double[][] bBlocks, int b) {
        INDArray bStack = stack(bBlocks, b);
        try {
            return right(x, rows, cols, bStack, b);
        } finally {
            close(bStack);
        }
    }

    /** X_k^T Y_k per batch k of two [n, r, c] arrays, as a row-major [n, c, c'] Java array. */
    static double[] batchedGram(INDArray x, INDArray y) {
        INDArray p = Nd4j.matmul(x, y, true, false, false);
        try {
            return rowMajor(p);
        } finally {
            close(p);
        }
    }

    /** X_k Y_k^T per batch k of two [n, r, c] arrays, as a row-major [n, r, r'] Java array. */
    static double[] batchedOuter(INDArray x, INDArray y) {
        INDArray p = Nd4j.matmul(x, y, false, true, false);
        try {
            return rowMajor(p);
        } finally {
            close(p);
        }
    }

    /** Columns from .. from + width - 1 of a row-major matrix, as a contiguous [rows, width] copy. */
    static double[] columns(double[] x, int rows, int cols, int from, int width) {
        double[] slice = new double[rows * width];
        for (int i = 0; i < rows; i++) System.arraycopy(x, i * cols + from, slice, i * width, width);
        return slice;
    }

    static double[] rowMajor(INDArray p) {
        if (p.ordering() == 'c' && !p.isView() && p.data().length() == p.length()) return p.data().asDouble();
        INDArray c = p.dup('c');
        try {
            return c.data().asDouble();
        } finally {
            close(c);
        }
    }

    /** Releases the off-heap buffers of arrays made here (views and nulls are skipped). */
    static void close(INDArray... arrays) {
        for (INDArray x : arrays) {
            if (x != null && x.closeable()) x.close();
        }
    }
}
