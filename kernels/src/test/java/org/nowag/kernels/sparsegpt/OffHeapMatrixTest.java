package org.nowag.kernels.sparsegpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffHeapMatrixTest {

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "7, 5", "8, 3", "17, 9", "24, 40"})
    void blockedTransposeEqualsTheElementwiseOne(int rows, int cols) {
        Random rnd = new Random(rows * 31L + cols);
        int stride = cols + 3;  // a sub-matrix of a wider array
        double[] src = new double[2 + rows * stride];
        for (int k = 0; k < src.length; k++) src[k] = rnd.nextGaussian();
        double[] dst = new double[cols * (rows + 1)];
        OffHeapMatrix.transpose(src, 2, stride, rows, cols, dst, rows + 1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(src[2 + r * stride + c], dst[c * (rows + 1) + r], "[" + r + ", " + c + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} times {1}x{2}")
    @CsvSource({"1, 1, 1", "3, 5, 2", "13, 8, 21", "64, 33, 7"})
    void productTransposedIsTheTransposeOfTheProduct(int m, int k, int n) {
        Random rnd = new Random(m * 1000L + k * 10L + n);
        double[] x = new double[m * k];
        double[] y = new double[k * n];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = rnd.nextGaussian();
        try (OffHeapMatrix xm = OffHeapMatrix.zeros(m, k); OffHeapMatrix ym = OffHeapMatrix.zeros(k, n)) {
            xm.put(0, 0, x, 0, x.length);
            ym.put(0, 0, y, 0, y.length);
            try (OffHeapMatrix pt = OffHeapMatrix.productTransposed(xm, ym)) {
                assertEquals(n, pt.rows);
                assertEquals(m, pt.cols);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int t = 0; t < k; t++) s += x[i * k + t] * y[t * n + j];
                        assertEquals(s, pt.get(j, i), 1e-12 * (1 + Math.abs(s)), "(X Y)[" + i + ", " + j + "]");
                    }
                }
            }
        }
    }
}
