package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.nowag.job.cli.NowagCli;

/**
 * compress --budget-sparsity on real MiniLM weights: the loss curves computed on the executors, the Lagrangian
 * allocation, and its per-matrix sparsities written by the pruner, to the weight; the dry run and the refusals.
 */
class BudgetCompressTest {
    static Path model;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
    }

    @Test
    void anOverallSparsityIsMetToTheWeightWithEveryMatrixWithinItsLimitsAndTheCurvesPredictTheLoss() throws IOException {
        Path out = tmp.resolve("p60");
        // --block-mb 0.5 splits every matrix in row blocks: two-pass curves and the pruner's blocked threshold.
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--method",
                "nowag-p", "--budget-sparsity", "0.6", "--block-mb", "0.5", "--master", "local[2]"));
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        JsonNode b = report.budget;
        assertEquals(36, b.get("matrices_allocated").asInt());
        long weights = 0;
        long kept = 0;
        Set<String> sparsities = new HashSet<>();
        for (JsonNode m : b.get("matrices")) {
            TensorReport t = report.tensor(m.get("name").asText());
            assertEquals(m.get("kept").asLong(), t.kept, t.name + ": the pruner keeps exactly what the allocation chose");
            assertEquals(t.numel, m.get("weights").asLong());
            double sparsity = 1.0 - (double) t.kept / t.numel;
            assertTrue(sparsity >= 0.2 - 1.0 / t.numel && sparsity <= 0.9 + 1.0 / t.numel, t.name + " " + sparsity);
            double predicted = m.get("predictedLoss").asDouble();
            double bound = m.get("lossErrorBound").asDouble();
            assertTrue(Math.abs(t.dataAwareLoss - predicted) <= bound + 1e-9 * Math.abs(predicted),
                    t.name + ": loss " + t.dataAwareLoss + " within the curve's bound " + bound + " of " + predicted);
            weights += t.numel;
            kept += t.kept;
            sparsities.add(m.get("pattern").asText());
        }
        assertEquals(Math.round(0.4 * weights), kept, "exactly round((1 - 0.6) N) weights kept over all matrices");
        assertEquals(kept, b.get("kept").asLong());
        assertEquals(0, b.get("slack").asLong());
        assertTrue(b.get("lambda").asDouble() > 0, "the budget binds");
        assertTrue(b.get("predictedLoss").asDouble() <= b.get("uniformPredictedLoss").asDouble(),
                "the allocation loses no more than uniform on the curves");
        assertTrue(b.get("predictedLoss").asDouble() >= b.get("lowerBound").asDouble() - 1e-9);
        assertTrue(sparsities.size() > 1, "the matrices got different sparsities");
        assertEquals(kept, Math.round((1 - report.overallSparsity) * weights));

        // Same arguments again: the same curves, the same allocation, the same fingerprint: nothing to do.
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--method",
                "nowag-p", "--budget-sparsity", "0.6", "--block-mb", "0.5", "--master", "local[2]"));
        assertTrue(CompressionReport.fromJson(Files.readString(out.resolve("report.json"))).budget.get("lambda").asDouble() > 0);
    }

    @Test
    void uniformRuleRecipeBudgetAndDryRun() throws IOException {
        Path recipe = tmp.resolve("r.yaml");
        Files.writeString(recipe, """
                rules:
                  - match: 'encoder\\.layer\\.0\\..*'
                    method: skip
                  - match: 'encoder\\.layer\\.1\\..*\\.weight'
                    method: wanda
                    pattern: 2:4
                  - match: 'encoder\\.layer\\.[2-5]\\..*\\.weight'
                    method: magnitude
                budget:
                  sparsity: 0.7
                  rule: uniform
                """);
        Path out = tmp.resolve("uniform");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", out.toString(), "--recipe",
                recipe.toString(), "--master", "local[2]"));
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertEquals(24, report.budget.get("matrices_allocated").asInt(), "layers 2-5; layer 1 has its own 2:4");
        for (TensorReport t : report.tensors) {
            if (t.name.startsWith("encoder.layer.1.")) {
                assertEquals(t.numel / 2, t.kept, t.name + ": 2:4 as its rule says");
            } else {
                assertEquals(Math.round(0.3 * t.numel), t.kept, t.name + ": uniform 70%");
            }
        }

        Path dry = tmp.resolve("dry");
        Printed run = printing("compress", "--model", model.toString(), "--out", dry.toString(), "--method", "wanda",
                "--budget-sparsity", "0.5", "--dry-run", "--master", "local[2]");
        String printed = run.text;
        assertEquals(0, run.code, printed);
        assertTrue(printed.contains("budget   overall sparsity 0.5"), printed);
        assertTrue(printed.contains("lambda = "), printed);
        assertTrue(printed.contains("encoder.layer.3.intermediate.dense.weight"), printed);
        assertFalse(Files.exists(dry), "a dry run writes nothing");

        // OWL, the named baseline: layers of equal size, so the target holds up to rounding per matrix.
        run = printing("compress", "--model", model.toString(), "--out", dry.toString(), "--method", "nowag-p",
                "--budget-sparsity", "0.5", "--budget-rule", "owl", "--dry-run", "--master", "local[2]");
        printed = run.text;
        assertEquals(0, run.code, printed);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("owl\\): kept (\\d+) of (\\d+) weights").matcher(printed);
        assertTrue(m.find(), printed);
        long owlKept = Long.parseLong(m.group(1));
        long owlWeights = Long.parseLong(m.group(2));
        assertTrue(Math.abs(owlKept - 0.5 * owlWeights) <= 36, printed);
        assertEquals(6, printed.split("owl layer encoder\\.layer\\.").length - 1, printed);
        assertFalse(Files.exists(dry), "a dry run writes nothing");
    }

    /**
     * compress --budget-bits for NoWag-VQ on layer 0's attention of MiniLM (four 384 x 384 matrices, d = 2: K = 4, 16,
     * 64, 256; one k-means iteration, so the test stays short): the dry run
     * prints each matrix's width and lambda; the run stores exactly the chosen K per matrix, its stored bits are what
     * the allocation counted, the total is within floor(B * N), and no loss-lowering width of any matrix fits what
     * is left.
     */
    @Test
    void aBitBudgetStoresTheChosenCodebookPerMatrixWithinTheTotal() throws IOException {
        String[] args = {"compress", "--model", model.toString(), "--method", "nowag-vq", "--vq-dim", "2",
            "--vq-iters", "1", "--include", "encoder\\.layer\\.0\\.attention\\..*\\.weight", "--budget-bits", "2.5",
            "--master", "local[2]"};
        Path dry = tmp.resolve("dry-bits");
        Printed run = printing(concat(args, "--out", dry.toString(), "--dry-run"));
        String printed = run.text;
        assertEquals(0, run.code, printed);
        assertTrue(printed.contains("budget   bits per weight 2.5") && printed.contains("lambda = "), printed);
        assertTrue(printed.contains("encoder.layer.0.attention.self.query.weight") && printed.contains("(K="), printed);
        assertFalse(Files.exists(dry), "a dry run writes nothing");

        Path out = tmp.resolve("b25");
        assertEquals(0, NowagCli.run(concat(args, "--out", out.toString())));
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        JsonNode b = report.budget;
        assertEquals(4, b.get("matrices_allocated").asInt());
        java.util.Map<String, long[]> stored = new java.util.HashMap<>();
        for (org.nowag.io.safetensors.TensorInfo t : org.nowag.io.model.ModelDirectory.open(out.toUri().toString(),
                new org.apache.hadoop.conf.Configuration()).tensors()) {
            stored.put(t.name(), t.shape());
        }
        long weights = 0;
        long bits = 0;
        Set<Integer> widths = new HashSet<>();
        for (JsonNode m : b.get("matrices")) {
            String name = m.get("name").asText();
            TensorReport t = report.tensor(name);
            int k = m.get("codebookSize").asInt();
            assertEquals(1 << (2 * m.get("bits").asInt()), k);
            assertEquals(k, t.vq.codebookSize, name + ": the run used the chosen K");
            assertTrue(java.util.Arrays.equals(new long[] {k, 2}, stored.get(name + ".vq.codebook")),
                    name + ": the output stores a " + k + " x 2 codebook");
            assertEquals(m.get("storedBits").asDouble(), t.bitsPerWeight * t.numel, 1e-6 * t.numel,
                    name + ": stored bits as the allocation counted them");
            weights += t.numel;
            bits += m.get("storedBits").asLong();
            widths.add(m.get("bits").asInt());
        }
        long budget = (long) Math.floor(2.5 * weights);
        assertEquals(budget, b.get("budgetBits").asLong());
        assertEquals(bits, b.get("storedBits").asLong());
        assertTrue(bits <= budget, bits + " stored bits over the budget " + budget);
        long slack = budget - bits;
        for (JsonNode m : b.get("matrices")) {
            for (JsonNode p : m.get("curve")) {
                boolean fits = p.get("storedBits").asLong() > m.get("storedBits").asLong()
                        && p.get("storedBits").asLong() - m.get("storedBits").asLong() <= slack;
                assertFalse(fits && p.get("loss").asDouble() < m.get("predictedLoss").asDouble(),
                        m.get("name").asText() + " could take " + p.get("bits") + " bits within the slack " + slack);
            }
        }
        assertTrue(widths.size() > 1, "the matrices got different widths: " + widths);
        assertTrue(b.get("lambda").asDouble() > 0, "the budget binds");
    }

    /** A command's exit code and what it printed on System.out. */
    static final class Printed {
        int code;
        String text;
    }

    static Printed printing(String... args) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(text, true, StandardCharsets.UTF_8));
        Printed p = new Printed();
        try {
            p.code = NowagCli.run(args);
        } finally {
            System.setOut(old);
        }
        p.text = text.toString(StandardCharsets.UTF_8);
        return p;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void budgetOptionsThatCannotBeRightExitTwoBeforeAnythingIsWritten() {
        String[][] bad = {
            {"--method", "nowag-p", "--budget-sparsity", "1.2"},
            {"--method", "nowag-p", "--budget-sparsity", "0.6", "--sparsity", "0.5"},
            {"--method", "nowag-p", "--budget-min", "0.3"},
            {"--method", "nowag-vq", "--budget-sparsity", "0.6"},
            {"--method", "nowag-p", "--budget-sparsity", "0.95"},
            {"--method", "nowag-p", "--budget-sparsity", "0.6", "--budget-rule", "best"},
            {"--method", "nowag-p", "--budget-sparsity", "0.6", "--budget-max", "0.5"},
            {"--method", "nowag-vq", "--budget-bits", "2.5", "--vq-bits", "2"},
            {"--method", "nowag-vq", "--vq-dim", "2", "--budget-bits", "0.5"},
            {"--method", "nowag-vq", "--budget-bits", "2.5", "--budget-rule", "owl"},
            {"--method", "nowag-p", "--budget-bits", "2.5"},
        };
        for (int i = 0; i < bad.length; i++) {
            Path out = tmp.resolve("bad" + i);
            String[] args = new String[bad[i].length + 7];
            System.arraycopy(new String[] {"compress", "--model", model.toString(), "--out", out.toString(), "--master",
                "local[2]"}, 0, args, 0, 7);
            System.arraycopy(bad[i], 0, args, 7, bad[i].length);
            assertEquals(2, NowagCli.run(args), String.join(" ", bad[i]));
            assertFalse(Files.exists(out), String.join(" ", bad[i]));
        }
    }
}
