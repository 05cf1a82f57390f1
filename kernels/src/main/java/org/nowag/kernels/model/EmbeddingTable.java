package org.nowag.kernels.model;

/** Row lookup in an embedding matrix [rows x width], with a clear error for an id out of range. */
final class EmbeddingTable {
    private EmbeddingTable() {}

    static void copyRow(Tensor table, int id, float[] dst, int dstRow, String what) {
        int rows = table.dim(0);
        int width = table.dim(1);
        if (id < 0 || id >= rows) {
            throw new IllegalArgumentException(what + " " + id + " is outside " + table.name() + " (" + rows + " rows)");
        }
        System.arraycopy(table.values(), id * width, dst, dstRow * width, width);
    }

    static void addRow(Tensor table, int id, float[] dst, int dstRow, String what) {
        int rows = table.dim(0);
        int width = table.dim(1);
        if (id < 0 || id >= rows) {
            throw new IllegalArgumentException(what + " " + id + " is outside " + table.name() + " (" + rows + " rows)");
        }
        float[] src = table.values();
        int s = id * width;
        int d = dstRow * width;
        for (int j = 0; j < width; j++) dst[d + j] += src[s + j];
    }
}
