package org.nowag.kernels.quant;

/** What round-to-nearest stores for one [rows, cols] matrix, and the weights it decodes to. */
public final class RtnResult {
    public final int rows;
    public final int cols;
    public final RtnConfig config;
    /** One code in [0, 2^bits - 1] per weight, row-major [rows, cols] (unpacked, one byte each). */
    public final byte[] codes;
    /** Step of each group, a binary16 value kept as float; [rows, groupsPerRow]. */
    public final float[] scales;
    /** Integer zero point of each group, in [0, 2^bits - 1]; [rows, groupsPerRow]. */
    public final short[] zeros;

    RtnResult(int rows, int cols, RtnConfig config, byte[] codes, float[] scales, short[] zeros) {
        this.rows = rows;
        this.cols = cols;
        this.config = config;
        this.codes = codes;
        this.scales = scales;
        this.zeros = zeros;
    }

    public int groupsPerRow() { return config.groupsPerRow(cols); }

    /** Code of weight (r, c) as an int in [0, 2^bits - 1]. */
    public int code(int r, int c) { return codes[r * cols + c] & 0xFF; }

    /** W_hat = scale * (code - zero) per weight; exact in float (an 11-bit scale times an integer below 2^9). */
    public float[] dequantize() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        int g = config.groupSize();
        int groups = groupsPerRow();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int k = r * groups + c / g;
                out[r * cols + c] = scales[k] * ((codes[r * cols + c] & 0xFF) - zeros[k]);
            }
        }
        return out;
    }

    /** Stored bits per weight with every overhead ({@link RtnConfig#bitsPerWeight}). */
    public double bitsPerWeight() { return config.bitsPerWeight(rows, cols); }
}
