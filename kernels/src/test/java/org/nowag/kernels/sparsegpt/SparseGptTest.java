package org.nowag.kernels.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.prune.PruneMethod;
import org.nowag.kernels.prune.Pruner;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.norm.NoWagNormalizer;

class SparseGptTest {

    /** X [n, d] with correlated inputs (a random mixing of Gaussian sources), returned as X^T X. */
    static double[] correlatedGram(Random rnd, int n, int d, int deadColumn) {
        double[][] mix = new double[d][d];
        for (double[] row : mix) for (int k = 0; k < d; k++) row[k] = rnd.nextGaussian();
        double[] x = new double[n * d];
        for (int t = 0; t < n; t++) {
            double[] z = new double[d];
            for (int k = 0; k < d; k++) z[k] = rnd.nextGaussian();
            for (int j = 0; j < d; j++) {
                double v = 0.3 * rnd.nextGaussian();
                for (int k = 0; k < d; k++) v += mix[j][k] * z[k] / Math.sqrt(d);
                x[t * d + j] = j == deadColumn ? 0 : v * (1 + j % 3);
            }
        }
        double[] g = new double[d * d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) g[i * d + j] += x[t * d + i] * x[t * d + j];
            }
        }
        return g;
    }

    static float[] gaussian(Random rnd, int n) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) w[k] = (float) rnd.nextGaussian();
        return w;
    }

    private static void assertMatchesSlow(int rows, int cols, String pattern, int blockSize, int dead, long seed) {
        Random rnd = new Random(seed);
        float[] w = gaussian(rnd, rows * cols);
        double[] g = correlatedGram(rnd, 3 * cols, cols, dead);
        SparsityPattern p = SparsityPattern.parse(pattern, SparsityPattern.Group.MATRIX);
        SparseGptResult fast = SparseGpt.prune(w, rows, cols, g, p, blockSize, 0.01);
        SlowSparseGpt slow = SlowSparseGpt.prune(w, rows, cols, g, p, blockSize, 0.01);
        double scale = 0;
        for (float v : w) scale = Math.max(scale, Math.abs(v));
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int k = r * cols + j;
                assertEquals(slow.keep[r][j], fast.keep.get(k), "mask at [" + r + ", " + j + "]");
                assertEquals(slow.w[r][j], fast.pruned[k], 1e-4 * Math.max(1, scale), "value at [" + r + ", " + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} {2} blocksize {3}, dead column {4}")
    @CsvSource({
        "8, 16, unstructured:0.5, 4, -1",
        "8, 16, unstructured:0.5, 128, -1",
        "16, 32, unstructured:0.5, 8, 5",
        "16, 32, unstructured:0.3, 12, -1",
        "7, 20, unstructured:0.6, 6, 19",
        "8, 16, 2:4, 4, -1",
        "16, 32, 2:4, 8, 3",
        "16, 32, 1:4, 128, -1",
        "6, 24, 4:8, 16, -1",
    })
    void equalsSlowExplicitInverseReference(int rows, int cols, String pattern, int blockSize, int dead) {
        for (long seed = 1; seed <= 3; seed++) assertMatchesSlow(rows, cols, pattern, blockSize, dead, seed);
    }

    @ParameterizedTest(name = "{0}x{1} {2} blocksize {3}, dead column {4}, panel {5}, chunk {6} doubles")
    @CsvSource({
        "16, 37, unstructured:0.5, 8, 5, 8, 50",
        "9, 40, unstructured:0.4, 12, -1, 7, 1",
        "12, 32, 2:4, 8, 31, 8, 37",
        "5, 48, 4:8, 16, 0, 16, 100",
    })
    void smallFactorPanelsAndGemmChunksStillEqualTheSlowReference(int rows, int cols, String pattern, int blockSize,
                                                                   int dead, int panel, int chunkDoubles) {
        for (long seed = 1; seed <= 2; seed++) {
            Random rnd = new Random(seed);
            float[] w = gaussian(rnd, rows * cols);
            double[] g = correlatedGram(rnd, 3 * cols, cols, dead);
            SparsityPattern p = SparsityPattern.parse(pattern, SparsityPattern.Group.MATRIX);
            SparseGptResult fast = SparseGpt.pruneInPlace(w, rows, cols, g.clone(), p, blockSize, 0.01, panel,
                    chunkDoubles);
            SlowSparseGpt slow = SlowSparseGpt.prune(w, rows, cols, g, p, blockSize, 0.01);
            double scale = 0;
            for (float v : w) scale = Math.max(scale, Math.abs(v));
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int k = r * cols + j;
                    assertEquals(slow.keep[r][j], fast.keep.get(k), "mask at [" + r + ", " + j + "]");
                    assertEquals(slow.w[r][j], fast.pruned[k], 1e-4 * Math.max(1, scale), "value at [" + r + ", " + j + "]");
                }
            }
        }
    }

    @Test
    void pruneInPlaceLeavesWhatTheOutputLossNeedsAndEqualsPrune() {
        Random rnd = new Random(12);
        int rows = 20;
        int cols = 48;
        float[] w = gaussian(rnd, rows * cols);
        double[] g = correlatedGram(rnd, 150, cols, 6);
        SparsityPattern p = SparsityPattern.nOfM(2, 4);
        SparseGptResult copied = SparseGpt.prune(w, rows, cols, g, p, 16, 0.01);
        double[] a = g.clone();
        double[] diag = OutputLoss.diagonal(a, cols);
        SparseGptResult inPlace = SparseGpt.pruneInPlace(w, rows, cols, a, p, 16, 0.01);
        assertEquals(copied.keep, inPlace.keep);
        for (int k = 0; k < w.length; k++) assertEquals(copied.pruned[k], inPlace.pruned[k], "value " + k);
        double expected = OutputLoss.of(w, copied.pruned, rows, cols, g);
        assertEquals(expected, OutputLoss.ofLowerTriangle(w, inPlace.pruned, rows, cols, a, diag), 1e-12 * expected);
    }

    @ParameterizedTest(name = "chunk {0} doubles")
    @CsvSource({"1", "7", "64", "4194304"})
    void chunkedOutputLossEqualsTheDirectSumOverSamples(int chunkDoubles) {
        Random rnd = new Random(21);
        int rows = 11;
        int cols = 13;
        int n = 30;
        double[] x = new double[n * cols];
        for (int k = 0; k < x.length; k++) x[k] = rnd.nextGaussian();
        double[] g = new double[cols * cols];
        for (int t = 0; t < n; t++) for (int i = 0; i < cols; i++) for (int j = 0; j < cols; j++) g[i * cols + j] += x[t * cols + i] * x[t * cols + j];
        float[] w = gaussian(rnd, rows * cols);
        float[] h = gaussian(rnd, rows * cols);
        double direct = 0;
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                double y = 0;
                for (int j = 0; j < cols; j++) y += ((double) w[r * cols + j] - h[r * cols + j]) * x[t * cols + j];
                direct += y * y;
            }
        }
        double[] upperScrambled = g.clone();  // the upper triangle is not read
        for (int i = 0; i < cols; i++) for (int j = i; j < cols; j++) upperScrambled[i * cols + j] = Double.NaN;
        assertEquals(direct, OutputLoss.ofLowerTriangle(w, h, rows, cols, upperScrambled,
                OutputLoss.diagonal(g, cols), chunkDoubles), 1e-9 * direct);
    }

    @Test
    void withLossesEqualsNormalizingThenProxyLossToTheBit() {
        Random rnd = new Random(17);
        int rows = 24;
        int cols = 40;
        float[] w = gaussian(rnd, rows * cols);
        double[] g = correlatedGram(rnd, 100, cols, -1);
        float[] s = new float[cols];
        for (int j = 0; j < cols; j++) s[j] = (float) g[j * cols + j];
        float[] c = colNorms(w, rows, cols);
        SparseGptResult r = SparseGpt.prune(w, rows, cols, g, SparsityPattern.nOfM(2, 4), 8, 0.01);
        org.nowag.kernels.prune.PruneResult losses = r.withLosses(w, rows, cols, c, s);
        float[] rn = NoWagNormalizer.rowNorms(w, rows, cols, c);
        float[] wBar = NoWagNormalizer.normalize(w, rows, cols, c, rn);
        float[] hatBar = NoWagNormalizer.normalize(r.pruned, rows, cols, c, rn);
        assertEquals(org.nowag.kernels.loss.ProxyLoss.normalized(wBar, hatBar, rows, cols, s), losses.proxyLoss);
        assertEquals(org.nowag.kernels.loss.ProxyLoss.normalized(wBar, new float[w.length], rows, cols, s),
                losses.proxyEnergy);
        assertEquals(org.nowag.kernels.loss.ProxyLoss.dataAware(w, r.pruned, rows, cols, s), losses.dataAwareLoss);
    }

    @Test
    void upperFactorSquaresToTheInverseOfTheDampedHessian() {
        int d = 12;
        double[] g = correlatedGram(new Random(7), 40, d, -1);
        double[] u = InverseHessianFactor.of(g, d, 0.01, new boolean[d]);
        double mean = 0;
        for (int j = 0; j < d; j++) mean += g[j * d + j] / d;
        double[][] h = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) h[i][j] = g[i * d + j] + (i == j ? 0.01 * mean : 0);
        double[][] inv = SlowSparseGpt.inverse(h);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                if (i > j) assertEquals(0.0, u[i * d + j], "U is upper triangular");
                double utu = 0;
                for (int k = 0; k < d; k++) utu += u[k * d + i] * u[k * d + j];
                assertEquals(inv[i][j], utu, 1e-9 * Math.abs(inv[i][i]), "U^T U = H^-1 at " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource({"2, 4", "1, 4", "4, 8", "3, 8"})
    void nOfMKeepsExactlyNInEveryGroupAndZeroesTheRest(int n, int m) {
        Random rnd = new Random(11);
        int rows = 10;
        int cols = 64;
        float[] w = gaussian(rnd, rows * cols);
        SparseGptResult r = SparseGpt.prune(w, rows, cols, correlatedGram(rnd, 100, cols, 9),
                SparsityPattern.nOfM(n, m), 16, 0.01);
        for (int g = 0; g < rows * cols; g += m) {
            int kept = 0;
            for (int k = g; k < g + m; k++) {
                if (r.keep.get(k)) {
                    kept++;
                } else {
                    assertEquals(0, Float.floatToRawIntBits(r.pruned[k]), "pruned weight " + k + " is +0.0");
                }
            }
            assertEquals(n, kept, "group at " + g);
        }
        assertEquals((long) rows * cols / m * n, r.keptCount);
    }

    @ParameterizedTest(name = "p={0} blocksize {1}")
    @CsvSource({"0.5, 128", "0.5, 7", "0.3, 10", "0.77, 3", "0.0, 5"})
    void unstructuredKeepsExactlyTheRoundedCountOfTheWholeMatrix(double p, int blockSize) {
        Random rnd = new Random(3);
        int rows = 9;
        int cols = 31;
        float[] w = gaussian(rnd, rows * cols);
        SparseGptResult r = SparseGpt.prune(w, rows, cols, correlatedGram(rnd, 80, cols, -1),
                SparsityPattern.unstructured(p, SparsityPattern.Group.MATRIX), blockSize, 0.01);
        long expected = Math.round((1 - p) * rows * cols);
        assertEquals(expected, r.keptCount);
        assertEquals(expected, r.keep.cardinality());
        for (int k = 0; k < w.length; k++) {
            if (!r.keep.get(k)) assertEquals(0, Float.floatToRawIntBits(r.pruned[k]));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unstructured:0.5", "2:4"})
    void outputLossOnCorrelatedDataIsBelowWandaAndMagnitude(String pattern) {
        for (long seed = 1; seed <= 5; seed++) {
            Random rnd = new Random(seed);
            int rows = 32;
            int cols = 64;
            float[] w = gaussian(rnd, rows * cols);
            double[] g = correlatedGram(rnd, 256, cols, -1);
            float[] s = new float[cols];
            for (int j = 0; j < cols; j++) s[j] = (float) g[j * cols + j];
            float[] colNorms = colNorms(w, rows, cols);
            double sgpt = OutputLoss.of(w, SparseGpt.prune(w, rows, cols, g,
                    SparsityPattern.parse(pattern, SparsityPattern.Group.MATRIX), 16, 0.01).pruned, rows, cols, g);
            double wanda = OutputLoss.of(w, Pruner.prune(PruneMethod.WANDA,
                    SparsityPattern.parse(pattern, SparsityPattern.Group.ROW), w, rows, cols, colNorms, s).pruned, rows, cols, g);
            double magnitude = OutputLoss.of(w, Pruner.prune(PruneMethod.MAGNITUDE,
                    SparsityPattern.parse(pattern, SparsityPattern.Group.MATRIX), w, rows, cols, colNorms, s).pruned, rows, cols, g);
            assertTrue(sgpt < wanda, "seed " + seed + ": SparseGPT " + sgpt + " vs Wanda " + wanda);
            assertTrue(sgpt < magnitude, "seed " + seed + ": SparseGPT " + sgpt + " vs magnitude " + magnitude);
        }
    }

    @Test
    void outputLossEqualsTheDirectSumOverSamples() {
        Random rnd = new Random(5);
        int rows = 3;
        int cols = 5;
        int n = 7;
        double[] x = new double[n * cols];
        for (int k = 0; k < x.length; k++) x[k] = rnd.nextGaussian();
        double[] g = new double[cols * cols];
        for (int t = 0; t < n; t++) for (int i = 0; i < cols; i++) for (int j = 0; j < cols; j++) g[i * cols + j] += x[t * cols + i] * x[t * cols + j];
        float[] w = gaussian(rnd, rows * cols);
        float[] h = gaussian(rnd, rows * cols);
        double direct = 0;
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rows; r++) {
                double y = 0;
                for (int j = 0; j < cols; j++) y += ((double) w[r * cols + j] - h[r * cols + j]) * x[t * cols + j];
                direct += y * y;
            }
        }
        assertEquals(direct, OutputLoss.of(w, h, rows, cols, g), 1e-9 * direct);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        SparsityPattern half = SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX);
        float[] w = new float[4 * 6];
        double[] g6 = correlatedGram(new Random(1), 20, 6, -1);
        String nonSquare = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(w, 4, 6, new double[6 * 5], half, 128, 0.01)).getMessage();
        assertTrue(nonSquare.contains("square") && nonSquare.contains("d_in=6"), nonSquare);
        String shape = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(new float[23], 4, 6, g6, half, 128, 0.01)).getMessage();
        assertTrue(shape.contains("does not match shape"), shape);
        double[] indefinite = {1, 2, 2, 1};  // eigenvalues 3 and -1: no damping of 1% can fix that
        String pd = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(new float[4], 2, 2, indefinite, half, 128, 0.01)).getMessage();
        assertTrue(pd.contains("not positive definite"), pd);
        double[] nan = g6.clone();
        nan[7] = Double.NaN;
        String finite = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(w, 4, 6, nan, half, 128, 0.01)).getMessage();
        assertTrue(finite.contains("[1, 1]") && finite.contains("finite"), finite);
        String block = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(new float[4 * 8], 4, 8, correlatedGram(new Random(1), 20, 8, -1),
                        SparsityPattern.nOfM(2, 4), 6, 0.01)).getMessage();
        assertTrue(block.contains("multiple of M=4"), block);
        String nm = assertThrows(IllegalArgumentException.class,
                () -> SparseGpt.prune(w, 4, 6, g6, SparsityPattern.nOfM(2, 4), 128, 0.01)).getMessage();
        assertTrue(nm.contains("not divisible by M=4"), nm);
    }

    private static float[] colNorms(float[] w, int rows, int cols) {
        double[] sums = new double[cols];
        NoWagNormalizer.accumulateColumnSumSquares(w, rows, cols, sums);
        return NoWagNormalizer.columnNorms(sums);
    }
}
