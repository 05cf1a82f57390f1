package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.vq.CodePacking;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.cli.NowagCli;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;

/**
 * compress --recipe on real MiniLM weights: one run, one model, three methods and a skip rule; each output tensor is
 * checked against the rule that decided it, and bad recipes are refused before anything is written.
 */
class RecipeMiniLmTest {
    /** First rule wins: layers 0 and 5 untouched, two attention matrices of layer 1 by VQ, its MLP by ARMOR, the rest 2:4. */
    static final String RECIPE = """
            # skip the first and the last layer
            rules:
              - match: 'encoder\\.layer\\.(0|5)\\..*'
                method: skip
              - match: 'encoder\\.layer\\.1\\.attention\\.self\\.(query|value)\\.weight'
                method: nowag-vq
                vq-dim: 4
                vq-bits: 1
                vq-iters: 5
              - match: 'encoder\\.layer\\.1\\.(intermediate|output)\\.dense\\.weight'
                method: armor
                armor-iters: 1
              - match: 'encoder\\.layer\\.[1-4]\\..*\\.weight'
                method: wanda
                pattern: 2:4
            """;
    static final VqConfig VQ = VqConfig.ofBits(4, 1, 5, 0);
    static final ArmorConfig ARMOR = ArmorConfig.of(32, 1, true);

    static Path model;
    static Map<String, byte[]> input;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        input = Fixtures.rawTensors(model);
    }

    @Test
    void oneRunCompressesEachTensorAsItsRuleSaysAndKeepsTheRecipe() throws IOException {
        Path recipe = write("recipe.yaml", RECIPE);
        Path out = tmp.resolve("mixed");
        assertEquals(0, compress(recipe, out));

        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertEquals("recipe", report.method);
        Map<String, byte[]> output = Fixtures.rawTensors(out);
        ModelDirectory in = ModelDirectory.open(model.toUri().toString(), new Configuration());
        int vq = 0;
        int armor = 0;
        int nOfM = 0;
        for (TensorInfo t : in.tensors()) {
            String n = t.name();
            boolean matrix = t.shape().length == 2;
            if (!matrix || n.matches("encoder\\.layer\\.(0|5)\\..*") || !n.matches("encoder\\.layer\\.[1-4]\\..*\\.weight")) {
                assertArrayEquals(input.get(n), output.get(n), n + ": skipped or unselected, copied unchanged");
                assertEquals(null, report.tensor(n));
            } else if (n.matches("encoder\\.layer\\.1\\.attention\\.self\\.(query|value)\\.weight")) {
                assertFalse(output.containsKey(n), n + ": VQ replaces the dense weight by its codes");
                VqResult expected = NoWagVq.quantize(Fixtures.floats(model, n), (int) t.rows(), (int) t.cols(), null, VQ);
                assertArrayEquals(CodePacking.pack(expected.codes, VqTensors.codeBits(VQ.codebookSize)),
                        output.get(n + VqTensors.CODES), n + ": the kernel's codes");
                assertArrayEquals(f16(expected.codebook), output.get(n + VqTensors.CODEBOOK));
                assertEquals("nowag-vq", report.tensor(n).method);
                vq++;
            } else if (n.matches("encoder\\.layer\\.1\\.(intermediate|output)\\.dense\\.weight")) {
                ArmorResult expected = Armor.compress(Fixtures.floats(model, n), (int) t.rows(), (int) t.cols(), null, ARMOR, null);
                assertArrayEquals(f32(expected.wHat()), output.get(n), n + ": ARMOR's W_hat");
                assertArrayEquals(CodePacking.pack(expected.positions, 2), output.get(n + ArmorTensors.POSITIONS));
                assertEquals(t.numel() / 2 * 2, output.get(n + ArmorTensors.VALUES).length,
                        n + ": the 2:4 core keeps half the weights (f16 each)");
                assertEquals("armor", report.tensor(n).method);
                armor++;
            } else {
                float[] before = Fixtures.floats(model, n);
                float[] after = Fixtures.floats(out, n);
                for (int g = 0; g < after.length; g += 4) {
                    int kept = 0;
                    for (int i = g; i < g + 4; i++) {
                        if (after[i] != 0f) {
                            kept++;
                            assertEquals(before[i], after[i], n + ": a kept weight keeps its value");
                        }
                    }
                    assertEquals(2, kept, n + ": 2 of every 4 weights along the input dimension");
                }
                assertEquals("wanda", report.tensor(n).method);
                nOfM++;
            }
        }
        assertEquals(2, vq);
        assertEquals(2, armor);
        assertEquals(20, nOfM, "layer 1's other two matrices and layers 2-4's six each");

        assertEquals(RECIPE, Files.readString(out.resolve("recipe.yaml")), "the recipe as written, in the output");
        JsonNode rules = report.recipe.get("rules");
        assertEquals(4, rules.size());
        int[] decided = {12, 2, 2, 20};
        String[] methods = {"skip", "nowag-vq", "armor", "wanda"};
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, rules.get(i).get("rule").asInt());
            assertEquals(methods[i], rules.get(i).get("method").asText());
            assertEquals(decided[i], rules.get(i).get("tensors").asInt(), "rule " + (i + 1));
        }
        assertEquals("2:4", rules.get(3).get("settings").get("pattern").asText());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));

        // Same recipe again: complete, nothing to do. A changed recipe into the same output: refused, untouched.
        assertEquals(0, compress(recipe, out));
        Path changed = write("changed.yaml", RECIPE.replace("vq-iters: 5", "vq-iters: 6"));
        String before = Files.readString(out.resolve("report.json"));
        assertNotEquals(0, compress(changed, out), "the recipe is part of the run's fingerprint");
        assertEquals(before, Files.readString(out.resolve("report.json")));
    }

    @Test
    void badRecipesAndRecipeWithRuleOptionsAreRefusedWithExitTwoAndNothingWritten() throws IOException {
        String[][] bad = {
            {"rules:\n  - match: '.*'\n    method: wanda\n    sparsty: 0.5\n"},
            {"rules:\n  - match: '.*'\n    method: gptq\n"},
            {"rules:\n  - match: '(.*'\n    method: wanda\n"},
            {"rules:\n  - match: '.*'\n    method: nowag-vq\n    pattern: 2:4\n"},
            {"rules:\n  - match: '.*'\n    method: wanda\n    pattern: 2:4\n    sparsity: 0.5\n"},
        };
        for (int i = 0; i < bad.length; i++) {
            Path recipe = write("bad" + i + ".yaml", bad[i][0]);
            Path out = tmp.resolve("out" + i);
            assertEquals(2, compress(recipe, out), bad[i][0]);
            assertFalse(Files.exists(out), "nothing written for " + bad[i][0]);
        }
        Path good = write("good.yaml", RECIPE);
        Path out = tmp.resolve("both");
        assertEquals(2, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe",
                good.toString(), "--method", "wanda"));
        assertEquals(2, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe",
                good.toString(), "--include", ".*"));
        assertFalse(Files.exists(out));
        assertEquals(1, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe",
                tmp.resolve("missing.yaml").toString()));
        assertFalse(Files.exists(out));

        // The dry run lists each rule with the tensors it decides, from the headers only.
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe",
                    good.toString(), "--dry-run");
        } finally {
            System.setOut(old);
        }
        String printed = text.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("plan     24 tensors"), printed);
        assertTrue(printed.contains("rule 1  skip"), printed);
        assertTrue(printed.contains("rule 4  wanda"), printed);
        assertTrue(printed.contains(": 20 tensors"), printed);
        assertFalse(Files.exists(out), "a dry run writes nothing");
    }

    private int compress(Path recipe, Path out) {
        return NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe", recipe.toString(),
                "--master", "local[2]");
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static byte[] f16(float[] v) {
        byte[] b = new byte[v.length * 2];
        FloatCodec.encode(v, 0, DType.F16, b, 0, v.length);
        return b;
    }

    private static byte[] f32(float[] v) {
        byte[] b = new byte[v.length * 4];
        FloatCodec.encode(v, 0, DType.F32, b, 0, v.length);
        return b;
    }
}
