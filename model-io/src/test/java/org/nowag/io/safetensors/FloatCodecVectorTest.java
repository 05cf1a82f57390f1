package org.nowag.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bulk BF16 conversion (Vector API path in this JVM: Surefire adds jdk.incubator.vector) gives, element for element,
 * the bits of the scalar per-value functions, for every BF16 pattern and for floats around every rounding case.
 */
class FloatCodecVectorTest {

    @Test
    void vectorPathIsActiveInTheTestJvm() {
        assertTrue(VectorSupport.ENABLED, "the Surefire JVM must have jdk.incubator.vector, or this tests nothing");
    }

    @Test
    void bulkDecodeOfEveryBf16PatternEqualsTheScalarDecode() {
        byte[] bytes = new byte[2 * 65536 + 6]; // + 3 values: a tail after the last whole vector
        for (int h = 0; h < 65536 + 3; h++) {
            bytes[2 * h] = (byte) h;
            bytes[2 * h + 1] = (byte) (h >>> 8);
        }
        float[] out = new float[65536 + 3];
        FloatCodec.decode(bytes, 0, DType.BF16, out, 0, out.length);
        for (int h = 0; h < out.length; h++) {
            assertEquals(Float.floatToRawIntBits(FloatCodec.bf16BitsToFloat((short) h)), Float.floatToRawIntBits(out[h]),
                    "pattern " + h);
        }
    }

    @Test
    void bulkEncodeEqualsTheScalarRoundingIncludingTiesNaNAndOffsets() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 10_007;
        float[] src = new float[n];
        for (int i = 0; i < n; i++) {
            int bits = rnd.nextInt();
            switch (i % 5) {
                case 0: bits = (bits & 0xffff0000) | 0x8000; break; // exact tie
                case 1: bits = (bits & 0xffff0000) | 0x7fff; break; // just below a tie
                default: break;
            }
            src[i] = Float.intBitsToFloat(bits);
        }
        src[5000] = Float.NaN;
        src[5001] = Float.intBitsToFloat(0x7f800001); // NaN whose payload is in the low bits only
        src[6000] = Float.POSITIVE_INFINITY;
        src[6001] = Float.intBitsToFloat(0x7f7fffff); // largest float: rounds to Inf
        for (int offset : new int[] {0, 3}) {
            int count = n - offset - 2;
            byte[] dst = new byte[2 * count + 4];
            FloatCodec.encode(src, offset, DType.BF16, dst, 2, count);
            for (int i = 0; i < count; i++) {
                short got = (short) ((dst[2 + 2 * i] & 0xff) | (dst[3 + 2 * i] << 8));
                assertEquals(FloatCodec.floatToBf16Bits(src[offset + i]), got, "element " + (offset + i));
            }
        }
    }

    @Test
    void childJvmsWithoutTheVectorPathGiveTheSameBytesAndFloats() throws Exception {
        String here = FloatCodecProbe.digest();
        assertEquals(List.of("mode scalar", here), probe(List.of()), "module absent (plain java -jar)");
        assertEquals(List.of("mode scalar", here),
                probe(List.of("--add-modules", "jdk.incubator.vector", "-Dnowag.simd=false")), "forced scalar");
    }

    private static List<String> probe(List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FloatCodecProbe.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), text);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("WARNING")) lines.add(line);
        }
        return lines;
    }
}
