package org.nowag.kernels.armor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Products with block-diagonal matrices stored as their stacked square blocks (block k = rows and columns
 * k*b .. k*b + b - 1), in double. Each product is ONE batched ND4J matmul over all blocks: with b = 32 a loop of
 * per-block GEMM calls spends its time crossing into native code, not multiplying.
 * Arrays in and out are row-major Java arrays.
 */
final class BlockProducts {
    private BlockProducts() {}

    /** [n][b*b] blocks as an ND4J [n, b, b] array. */
    static INDArray stack(double[][] blocks, int b) {
        double[] flat = new double[blocks.length * b * b];
        for (int k = 0; k < blocks.length; k++) System.arraycopy(blocks[k], 0, flat, k * b * b, b * b);
        return Nd4j.create(flat, new long[] {blocks.length, b, b}, DataType.DOUBLE);
    }

    static double[][] unstack(INDArray batch, int n, int b) {
        double[] flat = rowMajor(batch);
        double[][] out = new double[n][b * b];
        for (int k = 0; k < n; k++) System.arraycopy(flat, k * b * b, out[k], 0, b * b);
        return out;
    }

    /** X [rows, cols] as [rows / b, b, cols]: the row blocks A's blocks act on. */
    static INDArray rowBlocks(double[] x, int rows, int cols, int b) {
        return Nd4j.create(x, new long[] {rows / b, b, cols}, DataType.DOUBLE);
    }

    /** X [rows, cols] as [cols / b, rows, b]: the column blocks B's blocks act on (a permuted view). */
    static INDArray columnBlocks(double[] x, int rows, int cols, int b) {
        // dup('c'): a permuted view keeps the original buffer order, which native matmul and data() would read as is
        return Nd4j.create(x, new long[] {rows, cols / b, b}, DataType.DOUBLE).permute(1, 0, 2).dup('c');
    }

    /** The inverse of {@link #columnBlocks}: [cols / b, rows, b] back to row-major [rows, cols]. */
    static double[] fromColumnBlocks(INDArray blocks) {
        return blocks.permute(1, 0, 2).dup('c').data().asDouble();
    }

    /** A X for block-diagonal A [rows, rows]. */
    static double[] left(double[][] a, int b, double[] x, int rows, int cols) {
        return rowMajor(Nd4j.matmul(stack(a, b), rowBlocks(x, rows, cols, b)));
    }

    /** X B for block-diagonal B [cols, cols]. */
    static double[] right(double[] x, int rows, int cols, double[][] bBlocks, int b) {
        return fromColumnBlocks(Nd4j.matmul(columnBlocks(x, rows, cols, b), stack(bBlocks, b)));
    }

    /** Columns from .. from + width - 1 of a row-major matrix, as a contiguous [rows, width] copy. */
    static double[] columns(double[] x, int rows, int cols, int from, int width) {
        double[] slice = new double[rows * width];
        for (int i = 0; i < rows; i++) System.arraycopy(x, i * cols + from, slice, i * width, width);
        return slice;
    }

    static double[] rowMajor(INDArray p) {
        INDArray c = p;
        if (p.ordering() != 'c' || p.isView() || p.data().length() != p.length()) c = p.dup('c');
        return c.data().asDouble();
    }
}
