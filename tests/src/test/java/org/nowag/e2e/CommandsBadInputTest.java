package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.vq.VqTensors;

/**
 * The commands other than compress refuse bad input the same way (HostileInputTest covers compress): exit 1 for an
 * input or output that is wrong, 2 for an option value that is, one error line naming the file or option and the
 * problem, no stack trace, nothing written, Spark not asked for anything (the checks run before it starts).
 */
class CommandsBadInputTest {
    static Path miniLm;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        miniLm = Fixtures.miniLm();
        Fixtures.spark();
    }

    static CliAndCalibrationTest.Run cli(String... args) {
        return CliAndCalibrationTest.cli(args);
    }

    /** A model directory sharing MiniLM's weights by a hard link (no 90 MB copy), with its own side files. */
    Path linkedMiniLm(String name, boolean config, boolean tokenizer) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.createLink(dir.resolve("model.safetensors"), miniLm.resolve("model.safetensors"));
        if (config) Files.copy(miniLm.resolve("config.json"), dir.resolve("config.json"));
        if (tokenizer) Files.copy(miniLm.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    Path text(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    Path goodText() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 40; i++) s.append("Paragraph ").append(i).append(" says something about the union.\n\n");
        return text("good.txt", s.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void evaluateAgainstAModelLackingATensorIsRefusedBeforeSparkRuns() throws IOException {
        // A copy of MiniLM without one weight, written by streaming the rest (the kind of model the battery used).
        Path lacking = Files.createDirectories(tmp.resolve("lacking"));
        Files.copy(miniLm.resolve("config.json"), lacking.resolve("config.json"));
        String dropped = "encoder.layer.3.output.dense.weight";
        ModelDirectory m = ModelDirectory.open(miniLm.toUri().toString(), new Configuration());
        List<TensorSpec> kept = new ArrayList<>();
        for (TensorInfo t : m.tensors()) if (!t.name().equals(dropped)) kept.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
        try (SafetensorsFile in = SafetensorsFile.open(m.fileSystem(), m.shardOf(dropped));
             OutputStream out = Files.newOutputStream(lacking.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, kept, Map.of(), (spec, o) -> in.copyBytes(spec.name(), 0, spec.byteSize(), o));
        }
        Path json = tmp.resolve("evaluation.json");
        CliAndCalibrationTest.Run run = cli("evaluate", "--model", miniLm.toString(), "--compare", lacking.toString(),
                "--text", goodText().toString(), "--out", json.toString());
        Refusals.assertRefused(run, 1, new String[] {"--compare", "lacking", "lacks tensor '" + dropped + "'"}, json);
    }

    @Test
    void textThatIsNotUtf8IsRefusedAtItsByteForEvaluateAndCalibrate() throws IOException {
        byte[] latin1 = "Na\u00efve caf\u00e9 text.\n\nMore text here.".getBytes(StandardCharsets.ISO_8859_1);
        Path bad = text("latin1.txt", latin1);
        Path json = tmp.resolve("evaluation.json");
        CliAndCalibrationTest.Run run = cli("evaluate", "--model", miniLm.toString(), "--compare", miniLm.toString(),
                "--text", bad.toString(), "--out", json.toString());
        Refusals.assertRefused(run, 1, new String[] {"--text", "latin1.txt", "not valid UTF-8", "byte offset 2"}, json);

        Path stats = tmp.resolve("stats.safetensors");
        run = cli("calibrate", "--model", miniLm.toString(), "--text", bad.toString(), "--out", stats.toString());
        Refusals.assertRefused(run, 1, new String[] {"--text", "latin1.txt", "byte offset 2"}, stats);
    }

    @Test
    void calibrateRefusesAMissingConfigABrokenTokenizerAndADirectoryAsItsOutput() throws IOException {
        Path stats = tmp.resolve("stats.safetensors");
        Path noConfig = linkedMiniLm("no-config", false, true);
        CliAndCalibrationTest.Run run = cli("calibrate", "--model", noConfig.toString(), "--text", goodText().toString(),
                "--out", stats.toString());
        Refusals.assertRefused(run, 1, new String[] {"config.json", "missing", "calibrate needs it"}, stats);

        Path badTokenizer = linkedMiniLm("bad-tokenizer", true, false);
        byte[] tokenizer = Files.readAllBytes(miniLm.resolve("tokenizer.json"));
        int at = new String(tokenizer, StandardCharsets.ISO_8859_1).indexOf("\"[CLS]\"") + 3;
        tokenizer[at] = (byte) 0xc3;  // a lead byte followed by ASCII: malformed
        Files.write(badTokenizer.resolve("tokenizer.json"), tokenizer);
        run = cli("calibrate", "--model", badTokenizer.toString(), "--text", goodText().toString(), "--out", stats.toString());
        Refusals.assertRefused(run, 1, new String[] {"tokenizer.json", "not valid UTF-8", "byte offset " + at}, stats);

        Path dir = Files.createDirectories(tmp.resolve("a-directory.safetensors"));
        run = cli("calibrate", "--model", miniLm.toString(), "--text", goodText().toString(), "--out", dir.toString());
        Refusals.assertRefused(run, 1, new String[] {"--out", "a-directory.safetensors", "is a directory"});

        run = cli("calibrate", "--model", miniLm.toString(), "--text", goodText().toString(), "--out", stats.toString(),
                "--samples", "0");
        Refusals.assertRefused(run, 2, new String[] {"--samples 0: must be at least 1"}, stats);
    }

    /** A tiny but complete NoWag-VQ model: one 8 x 12 weight as d=4, K=16 parts, and config.json's compression block (format version 0, still read). */
    Path vqModel(String name, long codesBytes) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Random r = new Random(5);
        int rows = 8;
        int cols = 12;
        int[] codes = new int[(int) VqTensors.codeCount(rows, cols, 4)];
        for (int i = 0; i < codes.length; i++) codes[i] = r.nextInt(16);
        float[] codebook = new float[16 * 4];
        for (int i = 0; i < codebook.length; i++) codebook[i] = (float) r.nextGaussian();
        float[] ones = new float[cols];
        java.util.Arrays.fill(ones, 1f);
        VqTensors vq = new VqTensors(rows, cols, 4, codes, codebook, java.util.Arrays.copyOf(ones, rows), ones, DType.F32);
        String w = "model.layers.0.mlp.down_proj.weight";
        List<TensorSpec> specs = new ArrayList<>();
        for (TensorSpec s : vq.specs(w)) {
            specs.add(s.name().endsWith(VqTensors.CODES) ? new TensorSpec(s.name(), DType.U8, new long[] {codesBytes}) : s);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, specs, Map.of(), (spec, o) -> o.write(java.util.Arrays.copyOf(vq.bytes(spec.name()),
                    Math.toIntExact(spec.byteSize()))));
        }
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"compression\": {\"format\": \"nowag-vq-v1\", "
                + "\"tensors\": {\"" + w + "\": {\"dtype\": \"F32\", \"shape\": [" + rows + ", " + cols + "]}}}}");
        return dir;
    }

    @Test
    void decompressOfTruncatedVqCodesIsRefusedNamingTheFileAndTensorBeforeSparkRuns() throws IOException {
        Path good = vqModel("vq", 12);  // 24 codes of 4 bits
        Path dense = tmp.resolve("dense");
        CliAndCalibrationTest.Run ok = cli("decompress", "--model", good.toString(), "--out", dense.toString());
        assertEquals(0, ok.code, ok.err);
        assertTrue(Files.exists(dense.resolve("_SUCCESS")));

        Path truncated = vqModel("vq-truncated", 10);
        Path out = tmp.resolve("never");
        CliAndCalibrationTest.Run run = cli("decompress", "--model", truncated.toString(), "--out", out.toString());
        Refusals.assertRefused(run, 1, new String[] {"vq-truncated", "model.safetensors",
                "model.layers.0.mlp.down_proj.weight.vq.codes' is U8 [10]", "needs U8 [12]"}, out);

        run = cli("decompress", "--model", good.toString(), "--out", out.toString(), "--shard-mb", "0");
        Refusals.assertRefused(run, 2, new String[] {"--shard-mb 0: must be a positive number"}, out);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        run = cli("decompress", "--model", good.toString(), "--out", file.toString());
        Refusals.assertRefused(run, 1, new String[] {"--out", "is a regular file"});
    }

    @Test
    void inspectRefusesAModelWithoutConfigUnlessNoConfigIsGiven() throws IOException {
        Path noConfig = linkedMiniLm("inspect-no-config", false, false);
        CliAndCalibrationTest.Run run = cli("inspect", "--model", noConfig.toString());
        Refusals.assertRefused(run, 1, new String[] {"config.json", "missing", "--no-config"});
        run = cli("inspect", "--model", noConfig.toString(), "--no-config");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.contains("36 to compress"), run.out);
    }

    @Test
    void commandsThatMakeADirectoryRefuseARegularFileInItsPlace() throws IOException {
        Path file = Files.writeString(tmp.resolve("occupied"), "keep");
        Refusals.assertRefused(cli("import-minilm", "--out", file.toString()), 1, new String[] {"--out", "occupied", "is a regular file"});
        Refusals.assertRefused(cli("demo", "--dir", file.toString()), 1, new String[] {"--dir", "occupied", "is a regular file"});
        Refusals.assertRefused(cli("import-minilm", "--out", file.resolve("below").toString()), 1,
                new String[] {"--out", "occupied is a regular file, not a directory"});
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void aBogusMasterIsBadUsageForEveryCommandThatStartsSpark() throws IOException {
        Path out = tmp.resolve("never");
        String text = goodText().toString();
        String[][] commands = {
                {"compress", "--model", miniLm.toString(), "--out", out.toString()},
                {"calibrate", "--model", miniLm.toString(), "--text", text, "--out", out.toString()},
                {"evaluate", "--model", miniLm.toString(), "--compare", miniLm.toString(), "--text", text, "--out", out.toString()},
                {"decompress", "--model", miniLm.toString(), "--out", out.toString()},
                {"demo", "--dir", out.toString()},
                {"bench", "--dir", out.toString()},
        };
        for (String[] c : commands) {
            List<String> args = new ArrayList<>(List.of(c));
            args.addAll(List.of("--master", "spark//nohost"));
            Refusals.assertRefused(cli(args.toArray(new String[0])), 2,
                    new String[] {"--master 'spark//nohost': not a Spark master URL"}, out);
        }
    }
}
