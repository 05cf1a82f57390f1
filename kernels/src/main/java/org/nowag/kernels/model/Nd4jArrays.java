package org.nowag.kernels.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies ND4J results back to Java arrays in row-major order. */
final class Nd4jArrays {
    private Nd4jArrays() {}

    /** The values of a matrix in row-major order; a strided view or a Fortran-order result is copied to 'c' first. */
    static float[] toFloats(INDArray a, long expectedLength) {
        INDArray c = a;
        if (a.ordering() != 'c' || a.isView() || a.data().length() != a.length()) {
            c = a.dup('c');
        }
        float[] out = c.data().asFloat();
        if (out.length != expectedLength) {
            throw new IllegalStateException("ND4J returned " + out.length + " values, expected " + expectedLength);
        }
        return out;
    }
}
