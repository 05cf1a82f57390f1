package org.nowag.io.onnx;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the transpose of a row-major [rows, cols] matrix of fixed-size elements, one output row at a time. */
final class Transpose {
    private Transpose() {}

    /**
     * Output row j is input column j. Only one output row is buffered (at most 1536 x 4 bytes here), so a weight is
     * never duplicated in memory; the strided reads cost little at these sizes (a 2.4 MB matrix fits in cache).
     */
    static void write(ByteSlice matrix, int rows, int cols, int elementBytes, OutputStream out) throws IOException {
        long expected = (long) rows * cols * elementBytes;
        if (rows < 0 || cols < 0 || elementBytes <= 0 || matrix.length() != expected) {
            throw new IllegalArgumentException("a [" + rows + ", " + cols + "] matrix of " + elementBytes
                    + "-byte elements needs " + expected + " bytes, the slice has " + matrix.length());
        }
        byte[] src = matrix.array();
        int base = matrix.offset();
        int srcRowBytes = cols * elementBytes;
        byte[] row = new byte[rows * elementBytes];
        for (int j = 0; j < cols; j++) {
            int s = base + j * elementBytes;
            for (int i = 0, d = 0; i < rows; i++, s += srcRowBytes) {
                for (int b = 0; b < elementBytes; b++) row[d++] = src[s + b];
            }
            out.write(row);
        }
    }
}
