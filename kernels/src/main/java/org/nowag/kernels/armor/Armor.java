package org.nowag.kernels.armor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nowag.kernels.Checks;
import org.nowag.kernels.loss.ProxyLoss;
import org.nowag.kernels.norm.NoWagNormalizer;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.PruneResult;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.HalfPrecision;

/**
 * ARMOR (Liu et al., "ARMOR: High-Performance Semi-Structured Pruning via Adaptive Matrix Factorization", 2025) on
 * one weight matrix W [d_out, d_in]: W_bar (NoWag-normalized) ~ A S B with A, B block diagonal and S 2:4, minimising
 * the NoWag proxy loss sum_ij s_j (W_bar - A S B)_ij^2 by block coordinate descent from A = I, B = I,
 * S = NoWag-P 2:4. Each outer iteration runs an A step, a B step and an S step ({@link ArmorState}); a step whose
 * recomputed loss would exceed the loss before it is undone, so the loss never rises and ends <= the NoWag-P start.
 * No randomness: the same input gives the same output.
 *
 * <p>Where this differs from the reference (LawrenceRLiu/ARMOR, src/ARMOR_compress.py): the reference moves A, B
 * and S's values together by Adam (lr 1e-4, 3000 iterations) and re-chooses the positions of one group per block
 * pair per iteration by the same exact six-pair search our S step runs; we solve A and B exactly per block
 * (weighted least squares) and sweep every group each iteration.
 */
public final class Armor {
    private Armor() {}

    /**
     * @param s the diagonal of X^T X (length cols), or null for data-free (all ones)
     * @param progress receives the loss after each outer iteration (may be null)
     */
    public static ArmorResult compress(float[] w, int rows, int cols, float[] s, ArmorConfig config,
                                       Consumer<double[]> progress) {
        return compress(w, rows, cols, s, config, progress, BlockProducts.DEFAULT_CHUNK_BYTES);
    }

    /** As above, with the bound on one block-product chunk in bytes (tests force tiny and unbounded chunks). */
    static ArmorResult compress(float[] w, int rows, int cols, float[] s, ArmorConfig config,
                                Consumer<double[]> progress, long chunkBytes) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        Checks.matrix(w, rows, cols, "w");
        Checks.activationDiagonal(s, cols);
        int b = config.blockSizeFor(rows, cols);
        double[] colSs = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, colSs);
        float[] c = NoWagNormalizer.columnNorms(colSs);
        float[] r = NoWagNormalizer.rowNorms(w, rows, cols, c);
        float[] wBarF = NoWagNormalizer.normalize(w, rows, cols, c, r);
        PruneResult start = Pruner.prune(PruneMethod.NOWAG_P, SparsityPattern.nOfM(2, 4), w, rows, cols, c, s);

        double[] sd = new double[cols];
        for (int j = 0; j < cols; j++) sd[j] = s == null ? 1.0 : s[j];
        ArmorState st = initialState(wBarF, rows, cols, sd, b, start);
        st.threads = config.threads();
        st.chunkBytes = chunkBytes;
        double[] startLosses = {start.proxyLoss, start.proxyEnergy};
        start = null; // its pruned copy of W (4 bytes per weight) is not needed any more

        List<Double> losses = new ArrayList<>();
        double[] seconds = new double[config.iterations()];
        double loss = st.loss();
        losses.add(loss);
        int rejected = 0;
        for (int it = 0; it < config.iterations(); it++) {
            long t0 = System.nanoTime();
            for (int step = 0; step < 3; step++) {
                ArmorState.Snapshot before = st.snapshot(step);
                if (step == 0) st.stepA();
                else if (step == 1) st.stepB();
                else st.stepS();
                double next = st.loss();
                if (next <= loss) {
                    loss = next;
                } else {
                    before.restore(st);
                    rejected++;
                }
            }
            losses.add(loss);
            seconds[it] = (System.nanoTime() - t0) / 1e9;
            if (progress != null) progress.accept(toArray(losses));
        }
        Parts parts = new Parts(st);
        st = null; // the core's double values (4 bytes per weight) are not needed once copied into parts
        ArmorResult result = finish(w, wBarF, rows, cols, s, config, parts, r, c, toArray(losses), startLosses, rejected);
        result.iterationSeconds = seconds;
        return result;
    }

    /** A = I, B = I, S = the NoWag-P 2:4 mask with W_bar's values where kept. */
    static ArmorState initialState(float[] wBar, int rows, int cols, double[] s, int b, PruneResult start) {
        int groups = rows * cols / 4;
        byte[] pair = new byte[groups];
        double[] values = new double[2 * groups];
        for (int g = 0; g < groups; g++) {
            int first = -1;
            int second = -1;
            for (int t = 0; t < 4; t++) {
                if (start.keep.get(4 * g + t)) {
                    if (first < 0) first = t;
                    else second = t;
                }
            }
            pair[g] = (byte) TwoOfFour.code(first, second);
            values[2 * g] = wBar[4 * g + first];
            values[2 * g + 1] = wBar[4 * g + second];
        }
        return new ArmorState(wBar, rows, cols, s, b, pair, values);
    }

    /** What is stored, copied out of the optimiser's state (A, B stacked; values and positions as float and int). */
    private static final class Parts {
        final int b;
        final float[] aBlocks;
        final float[] bBlocks;
        final float[] values;
        final int[] positions;

        Parts(ArmorState st) {
            b = st.b;
            aBlocks = stack(st.a, b);
            bBlocks = stack(st.bm, b);
            int kept = st.rows * st.cols / 2;
            values = new float[kept];
            positions = new int[kept];
            for (int g = 0; g < kept / 2; g++) {
                int code = st.pair[g];
                values[2 * g] = (float) st.values[2 * g];
                values[2 * g + 1] = (float) st.values[2 * g + 1];
                positions[2 * g] = TwoOfFour.FIRST[code];
                positions[2 * g + 1] = TwoOfFour.SECOND[code];
            }
        }
    }

    private static ArmorResult finish(float[] w, float[] wBarF, int rows, int cols, float[] s, ArmorConfig config,
                                      Parts parts, float[] r, float[] c, double[] losses, double[] startLosses,
                                      int rejected) {
        int b = parts.b;
        float[] aBlocks = parts.aBlocks;
        float[] bBlocks = parts.bBlocks;
        float[] values = parts.values;
        int[] positions = parts.positions;
        float[] rowNorms = r.clone();
        float[] colNorms = c.clone();
        if (config.halfStorage()) {
            HalfPrecision.roundAll(aBlocks, "ARMOR A");
            HalfPrecision.roundAll(bBlocks, "ARMOR B");
            HalfPrecision.roundAll(values, "ARMOR core values");
            HalfPrecision.roundAll(rowNorms, "row norms");
            HalfPrecision.roundAll(colNorms, "column norms");
        }
        float[] q = ArmorDecoder.normalized(rows, cols, b, aBlocks, bBlocks, values, positions);
        double proxyLoss = ProxyLoss.normalized(wBarF, q, rows, cols, s);
        float[] wHat = NoWagNormalizer.denormalize(q, rows, cols, rowNorms, colNorms);
        double dataAware = ProxyLoss.dataAware(w, wHat, rows, cols, s);
        return new ArmorResult(rows, cols, b, aBlocks, bBlocks, values, positions, rowNorms, colNorms,
                config.halfStorage(), losses, startLosses[0], proxyLoss, startLosses[1], dataAware, rejected);
    }

    private static float[] stack(double[][] blocks, int b) {
        float[] out = new float[blocks.length * b * b];
        for (int k = 0; k < blocks.length; k++) {
            for (int x = 0; x < b * b; x++) out[k * b * b + x] = (float) blocks[k][x];
        }
        return out;
    }

    private static double[] toArray(List<Double> xs) {
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
        return out;
    }
}
