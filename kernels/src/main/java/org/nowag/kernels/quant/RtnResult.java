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

    /**
     * A stored result read back (what {@code decompress} decodes): codes one per byte, binary16 scales and zero points
     * per group, each checked against the configuration so a damaged file is refused rather than decoded.
     */
    public static RtnResult stored(int rows, int cols, RtnConfig config, byte[] codes, float[] scales, short[] zeros) {
        long groups = (long) rows * config.groupsPerRow(cols);
        if (codes.length != (long) rows * cols || scales.length != groups || zeros.length != groups) {
            throw new IllegalArgumentException("RTN parts hold " + codes.length + " codes, " + scales.length + " scales, "
                    + zeros.length + " zero points; a [" + rows + ", " + cols + "] matrix at " + config + " needs "
                    + (long) rows * cols + ", " + groups + ", " + groups);
        }
        for (int i = 0; i < codes.length; i++) {
            if ((codes[i] & 0xFF) > config.maxCode()) throw new IllegalArgumentException("RTN code " + i + " is " + (codes[i] & 0xFF) + ", above " + config.maxCode());
        }
        for (int k = 0; k < zeros.length; k++) {
            if (zeros[k] < 0 || zeros[k] > config.maxCode()) throw new IllegalArgumentException("RTN zero point " + k + " is " + zeros[k] + ", outside [0, " + config.maxCode() + "]");
            if (!(scales[k] > 0) || !Float.isFinite(scales[k])) throw new IllegalArgumentException("RTN scale " + k + " is " + scales[k] + "; it must be positive and finite");
        }
        return new RtnResult(rows, cols, config, codes, scales, zeros);
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
