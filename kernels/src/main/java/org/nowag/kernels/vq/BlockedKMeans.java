package org.nowag.kernels.vq;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The driver's side of weighted k-means over row blocks: it holds the codebook and the loss history, and turns the
 * blocks' partial results of one iteration (in block order) into the next codebook. Blocks may be computed in one
 * task ({@link WeightedKMeans#run}) or by executors that each hold only their rows; both hand the same partials in
 * the same order, and every sum here is taken in that order, so the two give the same codebook bit for bit.
 */
public final class BlockedKMeans {
    /** One block's share of an iteration: codes moved, loss, and the w-weighted sums per centroid coordinate. */
    public static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        public int changed;
        public double loss;
        /** sum over members of w_t * v_t, K x d. */
        public double[] numerator;
        /** sum over members of w_t, K x d. */
        public double[] denominator;

        public Partial() {}

        public Partial(int changed, double loss, double[] numerator, double[] denominator) {
            this.changed = changed;
            this.loss = loss;
            this.numerator = numerator;
            this.denominator = denominator;
        }
    }

    private final float[] codebook;
    private final int k;
    private final int d;
    private final int maxIterations;
    private final double[] losses;
    private int iterations;
    private boolean converged;

    public BlockedKMeans(float[] initialCodebook, int k, int d, int maxIterations) {
        if (initialCodebook.length != k * d) {
            throw new IllegalArgumentException("initial codebook holds " + initialCodebook.length + " values, not k * d = " + k * d);
        }
        this.codebook = initialCodebook.clone();
        this.k = k;
        this.d = d;
        this.maxIterations = maxIterations;
        this.losses = new double[maxIterations];
    }

    /** The codebook the next assignment uses (after the last step: the final one). */
    public float[] codebook() { return codebook; }

    public boolean done() { return converged || iterations == maxIterations; }

    public int iterations() { return iterations; }

    /**
     * Takes one iteration's partials in block order: records the loss; stops when no code moved (after the first
     * iteration), otherwise moves each centroid coordinate to the w-weighted mean of its members. An empty cluster,
     * or a coordinate whose members' weights sum to 0 (padding included), keeps its value.
     */
    public void step(List<Partial> partials) {
        if (done()) throw new IllegalStateException("k-means already finished after " + iterations + " iterations");
        double loss = 0;
        long changed = 0;
        double[] num = new double[k * d];
        double[] den = new double[k * d];
        for (Partial p : partials) {
            loss += p.loss;
            changed += p.changed;
            for (int i = 0; i < num.length; i++) {
                num[i] += p.numerator[i];
                den[i] += p.denominator[i];
            }
        }
        losses[iterations] = loss;
        iterations++;
        if (iterations > 1 && changed == 0) {
            converged = true;
            return;
        }
        for (int i = 0; i < num.length; i++) {
            if (den[i] > 0) {
                codebook[i] = (float) (num[i] / den[i]);
            }
        }
    }

    /** The result once done, with the codes of the last assignment and their loss under the final codebook. */
    public KMeansResult result(int[] codes, double finalLoss) {
        return new KMeansResult(codes, codebook.clone(), k, d, Arrays.copyOf(losses, iterations), finalLoss, iterations,
                converged);
    }
}
