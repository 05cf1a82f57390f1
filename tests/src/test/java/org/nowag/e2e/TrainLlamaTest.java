package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nowag.tools.train.LlamaTrainer;
import org.nowag.tools.train.LossLog;
import org.nowag.tools.train.TensorFiles;
import org.nowag.tools.train.TrainSettings;

/**
 * train-llama on a micro config and real text (State of the Union 1790-1796, held out 2000-2001): 50 steps lower
 * the loss, a run interrupted after step 20 and resumed ends with exactly the weights of an uninterrupted run (so
 * two runs agree bit for bit), and bad input is refused before anything is written.
 */
class TrainLlamaTest {
    static final int STEPS = 50;

    @TempDir
    Path dir;

    private TrainSettings micro(Path out) throws Exception {
        List<String> text = Corpora.uris(Corpora.sotu(1790, 1796)).stream().map(u -> Path.of(java.net.URI.create(u)).toString()).toList();
        String heldout = "sotu-2000=" + Corpora.root().resolve("sotu/data/2000_*.txt");
        return new TrainSettings(text, List.of(heldout), out, 320, 32, 64, 2, 4, 2, 16, 4, STEPS, 5, 1e-2, 0.1, 1.0, 42,
                25, 256, 10, 10000.0, 1e-5, 10);
    }

    @Test
    void fiftyStepsLowerTheLossAndAResumedRunEqualsAnUninterruptedOne() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(progress, true, StandardCharsets.UTF_8);
        LlamaTrainer.Result whole = new LlamaTrainer(micro(dir.resolve("whole")), p).run();

        List<LossLog.Row> rows = whole.log().rows();
        assertEquals(STEPS, rows.size());
        double first = mean(rows.subList(0, 5));
        double last = mean(rows.subList(STEPS - 5, STEPS));
        assertTrue(last < first - 0.5, "training loss " + first + " -> " + last);
        assertTrue(first > Math.log(320) - 0.3, "an untrained model is near uniform: " + first);
        double heldoutMid = rows.get(24).heldout()[0];
        double heldoutEnd = rows.get(STEPS - 1).heldout()[0];
        assertTrue(heldoutEnd < Math.log(320) - 0.5, "held-out loss at the end " + heldoutEnd);
        assertTrue(heldoutEnd < heldoutMid, "held-out loss " + heldoutMid + " -> " + heldoutEnd);
        String out = progress.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("step 50/50 loss") && out.contains("tok/s") && out.contains("eta"), out);

        Path resumedDir = dir.resolve("resumed");
        LlamaTrainer.Result stopped = new LlamaTrainer(micro(resumedDir), p).run(20);
        assertEquals(20, stopped.log().rows().size());
        assertFalse(Files.exists(resumedDir.resolve("model")), "no model before the last step");
        LlamaTrainer.Result resumed = new LlamaTrainer(micro(resumedDir), p).run();
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("resuming after step 20"));

        for (Map.Entry<String, INDArray> e : whole.params().entrySet()) {
            assertArrayEquals(e.getValue().data().asFloat(), resumed.params().get(e.getKey()).data().asFloat(), 0f, e.getKey());
        }
        // Same loss curve, step for step (the seconds column aside).
        assertEquals(withoutSeconds(dir.resolve("whole/loss.csv")), withoutSeconds(resumedDir.resolve("loss.csv")));
        assertEquals(STEPS + 1, withoutSeconds(resumedDir.resolve("loss.csv")).size());

        // The exported model: the BF16 weights of the final parameters, HF files beside them.
        Path model = whole.modelDir();
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "loss.csv", "loss.svg")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        Map<String, INDArray> bf16 = TensorFiles.read(model.resolve("model.safetensors"));
        assertEquals(whole.params().keySet(), bf16.keySet());
        INDArray w = whole.params().get("lm_head.weight");
        INDArray b = bf16.get("lm_head.weight");
        assertTrue(w.sub(b).amaxNumber().doubleValue() <= w.amaxNumber().doubleValue() / 128, "BF16 keeps 8 bits of mantissa");
        String svg = Files.readString(model.resolve("loss.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("polyline") && svg.contains("held out: sotu-2000"), svg);
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(model.resolve("loss.svg").toFile());
    }

    @Test
    void badInputIsRefusedWithAClearMessageBeforeAnythingIsWritten() throws Exception {
        Path text = Corpora.sotu(1790, 1790).get(0);
        Path out = dir.resolve("bad");
        String[][] cases = {
                {"--text", dir.resolve("missing.txt").toString(), "missing.txt: no such file or directory"},
                {"--text", dir.resolve("nothing-*.txt").toString(), "matches no text file"},
                {"--hidden", "30", "--hidden 30 is not a multiple of --heads 8"},
                {"--kv-heads", "3", "--heads 8 is not a multiple of --kv-heads 3"},
                {"--hidden", "20", "--heads", "4", "head size --hidden / --heads = 5"},
                {"--vocab", "4096", "the training text yields only"},
                {"--vocab", "9000", "--vocab must be in 258..8192"},
                {"--steps", "0", "--steps must be > 0"},
                {"--steps", "10", "--warmup", "10", "--warmup must be in 0..9"},
                {"--layers", "-1", "--layers must be > 0"},
                {"--lr", "0", "--lr must be > 0"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train-llama", "--out", out.toString()));
            if (!List.of(c).contains("--text")) args.addAll(List.of("--text", text.toString()));
            args.addAll(List.of(c).subList(0, c.length - 1));
            CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(args.toArray(String[]::new));
            String expected = c[c.length - 1];
            assertEquals(1, run.code, args + ": " + run.err);
            assertTrue(run.err.contains(expected), args + " -> " + run.err);
            assertFalse(Files.exists(out), "nothing written for " + args);
        }
        CliAndCalibrationTest.Run noText = CliAndCalibrationTest.cli("train-llama", "--out", out.toString());
        assertEquals(2, noText.code);
        assertTrue(noText.err.contains("--text"), noText.err);
    }

    private static List<String> withoutSeconds(Path csv) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            List<String> f = new ArrayList<>(List.of(line.split(",", -1)));
            f.remove(5);
            out.add(String.join(",", f));
        }
        return out;
    }

    private static double mean(List<LossLog.Row> rows) {
        return rows.stream().mapToDouble(LossLog.Row::trainLoss).average().orElseThrow();
    }
}
