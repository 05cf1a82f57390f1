package org.nowag.io.imatrix;

/** A tensor's entry in a GGUF header: shape in row-major order (GGUF stores it innermost first). */
final class GgufTensorInfo {
    final String name;
    final long[] shape;
    final int ggmlType;
    final long dataOffset;

    GgufTensorInfo(String name, long[] shape, int ggmlType, long dataOffset) {
        this.name = name;
        this.shape = shape;
        this.ggmlType = ggmlType;
        this.dataOffset = dataOffset;
    }

    long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
