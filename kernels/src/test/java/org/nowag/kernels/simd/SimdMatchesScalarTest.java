package org.nowag.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nowag.kernels.vq.SimdProbe;

/**
 * The Vector API paths give the scalar loops' exact bits. The tests run with --add-modules jdk.incubator.vector
 * (Surefire's argLine), so in this JVM the kernels take the vector path; child JVMs on the same class path take the
 * scalar path, once forced by -Dnowag.simd=false and once because the module is absent (a plain java -jar).
 */
class SimdMatchesScalarTest {

    @Test
    void vectorPathIsActiveInTheTestJvm() {
        assertTrue(Simd.ENABLED, "the Surefire JVM must have jdk.incubator.vector, or these tests test nothing");
    }

    @Test
    void kernelsGiveTheSameBitsWithAndWithoutTheVectorModule() throws Exception {
        List<String> vector = new ArrayList<>();
        vector.add("mode vector");
        vector.addAll(SimdProbe.lines());
        List<String> forced = runProbe(List.of("--add-modules", "jdk.incubator.vector", "-Dnowag.simd=false"));
        List<String> absent = runProbe(List.of());
        assertEquals("mode scalar", forced.get(0));
        assertEquals("mode scalar", absent.get(0));
        assertEquals(vector.subList(1, vector.size()), forced.subList(1, forced.size()));
        assertEquals(vector.subList(1, vector.size()), absent.subList(1, absent.size()));
    }

    @Test
    void elementLoopsEqualTheScalarFormulasForEveryLength() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n < 70; n++) {
            float[] w = new float[n];
            float[] c = new float[n];
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = (float) (rnd.nextDouble() * 8 - 4);
                c[i] = (float) (rnd.nextDouble() * 2 + 1e-5);
                f[i] = (float) (rnd.nextDouble() * 100);
            }
            float r = 0.37f;
            float[] out = new float[n];
            for (int j = VectorLoops.normalizedSquareTimes(w, 0, n, c, r, f, out); j < n; j++) {
                float wb = w[j] / c[j] / r;
                out[j] = wb * wb * f[j];
            }
            float[] expected = new float[n];
            for (int j = 0; j < n; j++) {
                float wb = w[j] / c[j] / r;
                expected[j] = wb * wb * f[j];
            }
            assertArrayEquals(expected, out);
            double[] acc = new double[n];
            double[] accExpected = new double[n];
            for (int j = VectorLoops.accumulateSquares(w, 0, n, acc); j < n; j++) {
                acc[j] += (double) w[j] * w[j];
            }
            for (int j = 0; j < n; j++) {
                accExpected[j] += (double) w[j] * w[j];
            }
            assertArrayEquals(accExpected, acc);
            double[] sq = new double[n];
            for (int j = VectorLoops.scaledSquares(w, 0, n, c, sq); j < n; j++) {
                float scaled = w[j] / c[j];
                sq[j] = (double) scaled * scaled;
            }
            for (int j = 0; j < n; j++) {
                float scaled = w[j] / c[j];
                assertEquals((double) scaled * scaled, sq[j]);
            }
            int lanes = VectorLoops.bits() / Float.SIZE;
            assertEquals(n - n % lanes, VectorLoops.finitePrefix(w), "all finite: every whole vector");
            if (n > 0) {
                float[] bad = w.clone();
                bad[n - 1] = Float.POSITIVE_INFINITY;
                assertTrue(VectorLoops.finitePrefix(bad) <= n - 1, "stops before the vector holding the infinity");
            }
        }
    }

    @Test
    void columnSquaresStopBeforeANonFiniteVector() {
        float[] w = new float[64];
        Arrays.fill(w, 1f);
        w[40] = Float.NaN;
        double[] acc = new double[64];
        int stop = VectorLoops.accumulateSquares(w, 0, 64, acc);
        assertTrue(stop <= 40, "stopped at " + stop);
        for (int j = stop; j < 64; j++) {
            assertEquals(0.0, acc[j], "nothing added from the vector holding the NaN on");
        }
    }

    private static List<String> runProbe(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SimdProbe.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), text);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("WARNING")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
