package org.nowag.kernels.armor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.ParallelBlocks;

/**
 * The block products run a chunk of row or column blocks at a time, and the S sweep runs output blocks on several
 * threads; neither may change a single bit. "Unchunked" is chunkBytes = Long.MAX_VALUE: every product is then one
 * batched matmul over the whole matrix, the code path before chunking existed. The shapes have 6 row blocks and 8
 * column blocks, and the chunk sizes below split them into single blocks and into uneven chunks (4 + 2 rows, 5 + 3
 * columns), so a chunk boundary falls inside every product.
 */
class ArmorChunksAndThreadsTest {
    static final int ROWS = 48;
    static final int COLS = 64;
    static final int B = 8;
    /** One row block is 8 * B * COLS = 4096 bytes, one column block 8 * B * ROWS = 3072: 4 + 2 and 5 + 3 blocks. */
    static final long UNEVEN = 16384;

    static ArmorState state(long seed, long chunkBytes) {
        Random rnd = new Random(seed);
        float[] w = new float[ROWS * COLS];
        for (int k = 0; k < w.length; k++) w[k] = (float) rnd.nextGaussian();
        double[] s = new double[COLS];
        for (int j = 0; j < COLS; j++) s[j] = Math.exp(rnd.nextGaussian());
        int groups = ROWS * COLS / 4;
        byte[] pair = new byte[groups];
        double[] values = new double[2 * groups];
        for (int g = 0; g < groups; g++) {
            pair[g] = (byte) rnd.nextInt(6);
            values[2 * g] = rnd.nextGaussian();
            values[2 * g + 1] = rnd.nextGaussian();
        }
        ArmorState st = new ArmorState(w, ROWS, COLS, s, B, pair, values);
        for (double[] blk : st.a) for (int x = 0; x < blk.length; x++) blk[x] += 0.3 * rnd.nextGaussian();
        for (double[] blk : st.bm) for (int x = 0; x < blk.length; x++) blk[x] += 0.3 * rnd.nextGaussian();
        st.chunkBytes = chunkBytes;
        return st;
    }

    @Test
    void chunkSizesSplitTheTestShapes() {
        assertEquals(1, state(1, 1).rowBlocksPerChunk());
        assertEquals(1, state(1, 1).columnBlocksPerChunk());
        assertEquals(4, state(1, UNEVEN).rowBlocksPerChunk());
        assertEquals(5, state(1, UNEVEN).columnBlocksPerChunk());
        assertEquals(ROWS / B, state(1, Long.MAX_VALUE).rowBlocksPerChunk());
        assertEquals(COLS / B, state(1, Long.MAX_VALUE).columnBlocksPerChunk());
    }

    @Test
    void chunkedResidualAndLossHaveTheBitsOfOneWholeMatrixProduct() {
        for (long chunk : new long[] {1, UNEVEN}) {
            ArmorState st = state(2, chunk);
            // The whole-matrix product exactly as before chunking: one batched matmul for S B, one for A (S B).
            double[] whole = BlockProducts.left(st.a, B, BlockProducts.right(st.denseCore(), ROWS, COLS, st.bm, B), ROWS, COLS);
            double[] e = st.residual();
            double sum = 0;
            for (int i = 0, k = 0; i < ROWS; i++) {
                for (int j = 0; j < COLS; j++, k++) {
                    double d = st.wBar[k] - whole[k];
                    assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(e[k]), "residual " + k + " chunk " + chunk);
                    sum += st.s[j] * d * d;
                }
            }
            assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(st.loss()), "loss, chunk " + chunk);
        }
    }

    @Test
    void chunkedCandidatesEqualTheWholeMatrixCandidatesBitForBit() {
        ArmorState st = state(3, 1);
        double[] m = BlockProducts.right(st.denseCore(), ROWS, COLS, st.bm, B);
        double[][] whole = st.candidateA(m);
        for (int k = 0; k < ROWS / B; k++) {
            double[] rows = BlockProducts.columns(m, ROWS, COLS, 0, COLS);
            double[] slab = new double[B * COLS];
            System.arraycopy(rows, k * B * COLS, slab, 0, B * COLS);
            assertArrayEquals(whole[k], st.candidateA(slab, k, k + 1)[0], 0.0, "A block " + k);
        }
        double[] n = BlockProducts.left(st.a, B, st.denseCore(), ROWS, COLS);
        double[][] wholeB = st.candidateB(n);
        for (int m0 = 0; m0 < COLS / B; m0 += 3) {
            int m1 = Math.min(COLS / B, m0 + 3);
            double[][] part = st.candidateB(BlockProducts.columns(n, ROWS, COLS, m0 * B, (m1 - m0) * B), m0, m1);
            for (int m1i = m0; m1i < m1; m1i++) assertArrayEquals(wholeB[m1i], part[m1i - m0], 0.0, "B block " + m1i);
        }
    }

    @Test
    void everyStepGivesTheSameBitsChunkedOrWholeOnOneOrThreeThreads() {
        for (long chunk : new long[] {1, UNEVEN}) {
            ArmorState whole = state(4, Long.MAX_VALUE);
            ArmorState split = state(4, chunk);
            split.threads = 3;
            for (int it = 0; it < 2; it++) {
                assertEquals(whole.stepA(), split.stepA());
                assertEquals(whole.stepB(), split.stepB());
                assertEquals(whole.stepS(), split.stepS());
                for (int k = 0; k < whole.a.length; k++) assertArrayEquals(whole.a[k], split.a[k], 0.0, "A block " + k);
                for (int m = 0; m < whole.bm.length; m++) assertArrayEquals(whole.bm[m], split.bm[m], 0.0, "B block " + m);
                assertArrayEquals(whole.pair, split.pair, "pairs after iteration " + it);
                assertArrayEquals(whole.values, split.values, 0.0, "values after iteration " + it);
                assertEquals(Double.doubleToRawLongBits(whole.loss()), Double.doubleToRawLongBits(split.loss()));
            }
        }
    }

    static void assertSameResult(ArmorResult x, ArmorResult y) {
        assertArrayEquals(x.wHat(), y.wHat(), 0f, "W_hat");
        assertArrayEquals(x.aBlocks, y.aBlocks, 0f);
        assertArrayEquals(x.bBlocks, y.bBlocks, 0f);
        assertArrayEquals(x.values, y.values, 0f);
        assertArrayEquals(x.positions, y.positions);
        assertArrayEquals(x.rowNorms, y.rowNorms, 0f);
        assertArrayEquals(x.colNorms, y.colNorms, 0f);
        assertArrayEquals(x.losses, y.losses, 0.0, "losses");
        assertEquals(Double.doubleToRawLongBits(x.proxyLoss), Double.doubleToRawLongBits(y.proxyLoss));
        assertEquals(Double.doubleToRawLongBits(x.dataAwareLoss), Double.doubleToRawLongBits(y.dataAwareLoss));
        assertEquals(x.stepsRejected, y.stepsRejected);
    }

    @Test
    void wholeRunGivesTheSameWHatPartsAndLossesForOneAndThreeThreadsAndAnyChunkSize() {
        Random rnd = new Random(5);
        float[] w = ArmorPropertiesTest.randomMatrix(rnd, ROWS, COLS);
        float[] s = ArmorPropertiesTest.randomDiagonal(rnd, COLS);
        ArmorConfig one = ArmorConfig.of(B, 3, true);
        ArmorResult reference = Armor.compress(w, ROWS, COLS, s, one, null, Long.MAX_VALUE);
        assertTrue(reference.endLoss() < reference.startLoss(), "the run does something");
        assertSameResult(reference, Armor.compress(w, ROWS, COLS, s, one.withThreads(3), null, Long.MAX_VALUE));
        assertSameResult(reference, Armor.compress(w, ROWS, COLS, s, one.withThreads(3), null, 1));
        assertSameResult(reference, Armor.compress(w, ROWS, COLS, s, one, null, UNEVEN));
        assertSameResult(reference, Armor.compress(w, ROWS, COLS, s, one.withThreads(2), null));
    }

    @Test
    void threadsMustBePositiveAndSurviveTheCopy() {
        assertThrows(IllegalArgumentException.class, () -> ArmorConfig.defaults().withThreads(0));
        ArmorConfig c = ArmorConfig.of(16, 4, false).withThreads(5);
        assertEquals(5, c.threads());
        assertEquals(16, c.blockSize());
        assertEquals(4, c.iterations());
        assertEquals(false, c.halfStorage());
        assertEquals(1, ArmorConfig.defaults().threads());
    }

    @Test
    void aFailingBlockFailsTheWholeParallelLoopWithItsOwnException() {
        IllegalStateException boom = new IllegalStateException("block 5");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> ParallelBlocks.sum(10, 3, k -> { if (k == 5) throw boom; return 1; }));
        assertSame(boom, thrown);
        assertEquals(45, ParallelBlocks.sum(10, 3, k -> k));
        assertEquals(45, ParallelBlocks.sum(10, 1, k -> k));
    }
}
