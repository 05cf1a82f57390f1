package org.nowag.kernels.armor;

/** One matrix compressed by ARMOR: what is stored, and the proxy loss along the way. */
public final class ArmorResult {
    public final int rows;
    public final int cols;
    public final int blockSize;
    /** A's blocks stacked [d_out / b, b, b] row-major, as stored (binary16-rounded when halfStorage). */
    public final float[] aBlocks;
    /** B's blocks stacked [d_in / b, b, b]. */
    public final float[] bBlocks;
    /** The 2:4 core's kept values, two per group of four inputs, row-major [d_out, d_in / 2]. */
    public final float[] values;
    /** Each kept value's position 0..3 within its group (the lower first). */
    public final int[] positions;
    public final float[] rowNorms;
    public final float[] colNorms;
    public final boolean halfStorage;
    /** Proxy loss at the NoWag-P 2:4 start, then after each outer iteration (length iterations + 1). */
    public final double[] losses;
    /** The NoWag-P 2:4 start's proxy loss as the pruner reports it (equals losses[0] up to rounding). */
    public final double nowagPLoss;
    /** sum s_j (W_bar - A S B)^2 with the parts as stored. */
    public final double proxyLoss;
    /** sum s_j W_bar^2. */
    public final double proxyEnergy;
    /** sum s_j (W - W_hat)^2 in the original space, with the parts as stored. */
    public final double dataAwareLoss;
    /** Steps kept / rejected over all iterations (A, B, S; a step whose loss would rise is rejected). */
    public final int stepsRejected;
    /** Wall seconds of each outer iteration (for benchmarks; not part of the deterministic output). */
    public double[] iterationSeconds = new double[0];

    ArmorResult(int rows, int cols, int blockSize, float[] aBlocks, float[] bBlocks, float[] values, int[] positions,
                float[] rowNorms, float[] colNorms, boolean halfStorage, double[] losses, double nowagPLoss,
                double proxyLoss, double proxyEnergy, double dataAwareLoss, int stepsRejected) {
        this.rows = rows;
        this.cols = cols;
        this.blockSize = blockSize;
        this.aBlocks = aBlocks;
        this.bBlocks = bBlocks;
        this.values = values;
        this.positions = positions;
        this.rowNorms = rowNorms;
        this.colNorms = colNorms;
        this.halfStorage = halfStorage;
        this.losses = losses;
        this.nowagPLoss = nowagPLoss;
        this.proxyLoss = proxyLoss;
        this.proxyEnergy = proxyEnergy;
        this.dataAwareLoss = dataAwareLoss;
        this.stepsRejected = stepsRejected;
    }

    public float[] wHat() {
        return ArmorDecoder.decode(rows, cols, blockSize, aBlocks, bBlocks, values, positions, rowNorms, colNorms);
    }

    /** The optimiser's loss at the start (NoWag-P 2:4) and at the end. */
    public double startLoss() { return losses[0]; }
    public double endLoss() { return losses[losses.length - 1]; }

    private double weights() { return (double) rows * cols; }
    private int floatBits() { return halfStorage ? 16 : 32; }

    /** The 2:4 core: one value plus a 2-bit position per kept weight, half the weights kept. */
    public double coreBitsPerWeight() { return values.length * (floatBits() + 2.0) / weights(); }
    /** The wrappers A and B: b * (d_out + d_in) values. */
    public double wrapperBitsPerWeight() { return (double) (aBlocks.length + bBlocks.length) * floatBits() / weights(); }
    public double normBitsPerWeight() { return (double) (rows + cols) * floatBits() / weights(); }
    public double bitsPerWeight() { return coreBitsPerWeight() + wrapperBitsPerWeight() + normBitsPerWeight(); }
}
