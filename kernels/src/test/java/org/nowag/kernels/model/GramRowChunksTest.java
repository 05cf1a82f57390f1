package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Bands of X^T X: together they are the whole matrix of {@link GramAccumulator} bit for bit (what keeps
 * {@code calibrate --full}'s output bytes the same when the matrix is summed band by band on executors), and they
 * equal plain double loops.
 */
class GramRowChunksTest {

    static void assertBandsAreTheWholeMatrix(int tokens, int d, long seed) {
        float[] x = GramAccumulatorTest.rows(tokens, d, seed);
        GramAccumulator whole = new GramAccumulator(d, true);
        whole.add(x, tokens, d);
        double[] full = whole.full();
        GramRowChunks chunks = new GramRowChunks(x, tokens, d);
        int per = GramRowChunks.bandRows(d);
        int covered = 0;
        for (int b = 0; b < GramRowChunks.bands(d); b++) {
            double[] band = chunks.band(b);
            int rows = band.length / d;
            assertEquals(b * per, covered, "bands are contiguous");
            for (int i = 0; i < band.length; i++) {
                assertEquals(Double.doubleToRawLongBits(full[covered * d + i]), Double.doubleToRawLongBits(band[i]),
                        "d=" + d + " tokens=" + tokens + " band " + b + " element " + i);
            }
            covered += rows;
        }
        assertEquals(d, covered, "bands cover every row");
        double[] diag = chunks.diagonal();
        double[] expected = whole.diagonal();
        for (int j = 0; j < d; j++) {
            assertEquals(Double.doubleToRawLongBits(expected[j]), Double.doubleToRawLongBits(diag[j]), "diagonal " + j);
        }
    }

    @Test
    void bandsEqualTheWholeMatrixBitForBitAtMiniLmAndOddWidths() {
        assertBandsAreTheWholeMatrix(120, 384, 1);    // MiniLM attention width: one band
        assertBandsAreTheWholeMatrix(256, 1536, 2);   // MiniLM MLP width: bands of 640, 640, 256
        assertBandsAreTheWholeMatrix(97, 2000, 3);    // bands of 512 and a last band of 464
        assertBandsAreTheWholeMatrix(33, 7, 4);       // narrower than one alignment unit
    }

    @Test
    void bandsEqualPlainDoubleLoops() {
        int d = 150;
        int tokens = 41;
        float[] x = GramAccumulatorTest.rows(tokens, d, 9);
        double[] expected = GramAccumulatorTest.slowGram(x, tokens, d);
        GramRowChunks chunks = new GramRowChunks(x, tokens, d);
        double[] band = chunks.band(0);
        assertEquals(d * d, band.length);
        for (int i = 0; i < band.length; i++) assertEquals(expected[i], band[i], 1e-12 * Math.abs(expected[i]) + 1e-9);
    }

    @Test
    void bandsAreAlignedAndNearTheirTargetSize() {
        for (int d : new int[] {7, 64, 384, 1536, 2000, 8192, 28672}) {
            int rows = GramRowChunks.bandRows(d);
            assertTrue(rows == d || rows % GramRowChunks.ROW_ALIGN == 0, "d=" + d + " rows=" + rows);
            assertTrue((long) rows * d <= Math.max(GramRowChunks.BAND_DOUBLES, (long) GramRowChunks.ROW_ALIGN * d));
        }
        assertEquals(128, GramRowChunks.bandRows(8192));   // 8 MiB bands of Llama-70B's attention and MLP inputs
        assertEquals(64, GramRowChunks.bandRows(28672));   // 14 MiB bands of its down_proj input
        assertEquals(448, GramRowChunks.bands(28672));
    }
}
