package org.nowag.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adam with global-norm clipping against the textbook update written out per scalar in double precision. */
class AdamOptimizerTest {
    @Test
    void matchesAScalarReferenceWithAndWithoutClipping() {
        Random r = new Random(1);
        double[][] p = {new double[6], new double[4]};
        for (double[] a : p) for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("a", Nd4j.createFromArray(p[0].clone()).reshape(2, 3));
        params.put("b", Nd4j.createFromArray(p[1].clone()));
        double clip = 1.5;
        AdamOptimizer adam = new AdamOptimizer(params, 0.9, 0.95, 1e-8, clip);
        double[][] m = {new double[6], new double[4]};
        double[][] v = {new double[6], new double[4]};
        LrSchedule lr = new LrSchedule(0.1, 2, 10, 0.1);
        for (int t = 1; t <= 10; t++) {
            double[][] g = {new double[6], new double[4]};
            double scale = t % 2 == 0 ? 0.1 : 3.0; // odd steps exceed the clip norm, even steps do not
            double sq = 0;
            for (double[] a : g) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextGaussian() * scale;
                    sq += a[i] * a[i];
                }
            }
            Map<String, INDArray> grads = new LinkedHashMap<>();
            grads.put("a", Nd4j.createFromArray(g[0].clone()).reshape(2, 3));
            grads.put("b", Nd4j.createFromArray(g[1].clone()));
            double norm = adam.step(params, grads, t, lr.at(t));
            assertEquals(Math.sqrt(sq), norm, 1e-12);
            double c = Math.sqrt(sq) > clip ? clip / Math.sqrt(sq) : 1;
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double gi = g[k][i] * c;
                    m[k][i] = 0.9 * m[k][i] + 0.1 * gi;
                    v[k][i] = 0.95 * v[k][i] + 0.05 * gi * gi;
                    double mh = m[k][i] / (1 - Math.pow(0.9, t));
                    double vh = v[k][i] / (1 - Math.pow(0.95, t));
                    p[k][i] -= lr.at(t) * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            INDArray a = params.get("a").reshape(6);
            for (int i = 0; i < 6; i++) assertEquals(p[0][i], a.getDouble(i), 1e-12, "a[" + i + "] at step " + t);
            for (int i = 0; i < 4; i++) assertEquals(p[1][i], params.get("b").getDouble(i), 1e-12, "b[" + i + "] at step " + t);
        }
        assertEquals(DataType.DOUBLE, params.get("a").dataType());
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosineToTheFloor() {
        LrSchedule s = new LrSchedule(1e-3, 10, 110, 0.1);
        assertEquals(1e-4, s.at(1), 1e-15);
        assertEquals(1e-3, s.at(10), 1e-15);
        assertEquals(1e-4 + 0.9e-3 * 0.5, s.at(60), 1e-15); // half way through the decay
        assertEquals(1e-4, s.at(110), 1e-15);
        for (int t = 11; t <= 110; t++) assertEquals(true, s.at(t) <= s.at(t - 1), "monotone after warm-up at " + t);
    }
}
