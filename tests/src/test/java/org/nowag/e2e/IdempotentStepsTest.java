package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step of the orchestrators' pipelines (deploy/airflow_nowag_dag.py: calibrate, compress, evaluate; then a
 * NoWag-VQ compress and decompress, and import-minilm) run through the CLI entry point in this JVM, on the local
 * SparkSession, into one run folder, twice: the second run of every step exits 0, says the output is already
 * complete, and leaves every byte of the folder as the first run wrote it. The same outputs given other settings or
 * other inputs are refused (exit 1) naming the output and the ways on, and left untouched.
 */
class IdempotentStepsTest {
    @TempDir static Path run;
    static Path model;
    static String text;
    static String heldOut;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        Fixtures.spark();
        text = Corpora.sotu(1990, 1990).get(0).toString();
        heldOut = Corpora.sotu(2000, 2000).get(0).toString();
    }

    static String[] calibrate(String... extra) {
        return args(List.of("calibrate", "--model", model.toString(), "--text", text, "--samples", "4", "--seq-len", "32",
                "--seed", "1", "--out", run.resolve("calibration.safetensors").toString()), extra);
    }

    static String[] compress(String... extra) {
        return args(List.of("compress", "--model", model.toString(), "--out", run.resolve("model").toString(),
                "--method", "nowag-p", "--sparsity", "0.5", "--calibration", run.resolve("calibration.safetensors").toString()), extra);
    }

    static String[] evaluate(String... extra) {
        return args(List.of("evaluate", "--model", model.toString(), "--compare", run.resolve("model").toString(),
                "--text", heldOut, "--max-chunks", "8", "--out", run.resolve("evaluation.json").toString()), extra);
    }

    static String[] compressVq(String... extra) {
        return args(List.of("compress", "--model", model.toString(), "--out", run.resolve("vq").toString(),
                "--method", "nowag-vq", "--vq-dim", "2", "--vq-bits", "2", "--vq-iters", "2",
                "--calibration", run.resolve("calibration.safetensors").toString()), extra);
    }

    static String[] decompress(String... extra) {
        return args(List.of("decompress", "--model", run.resolve("vq").toString(), "--out", run.resolve("vq-dense").toString()), extra);
    }

    static String[] importMiniLm() {
        return new String[] {"import-minilm", "--out", run.resolve("minilm").toString()};
    }

    /** base with each (option, value) of changes given that value: replaced where base has it, else appended. */
    static String[] args(List<String> base, String... changes) {
        List<String> all = new ArrayList<>(base);
        for (int i = 0; i < changes.length; i++) {
            int at = all.indexOf(changes[i]);
            boolean flag = i + 1 == changes.length || changes[i + 1].startsWith("--");
            if (at >= 0 && !flag) {
                all.set(at + 1, changes[++i]);
            } else {
                all.add(changes[i]);
                if (!flag) all.add(changes[++i]);
            }
        }
        return all.toArray(new String[0]);
    }

    static List<String[]> pipeline() {
        return List.of(calibrate(), compress(), evaluate(), compressVq(), decompress(), importMiniLm());
    }

    @Test
    void everyStepRunTwiceExitsZeroAndLeavesTheSameBytes_andOtherSettingsAreRefused() throws IOException {
        for (String[] step : pipeline()) {
            CliAndCalibrationTest.Run first = CliAndCalibrationTest.cli(step);
            assertEquals(0, first.code, String.join(" ", step) + "\n" + first.err);
        }
        Map<String, String> afterFirst = snapshot(run);
        assertTrue(afterFirst.containsKey("calibration.safetensors") && afterFirst.containsKey("evaluation.json")
                && afterFirst.containsKey("model/_SUCCESS") && afterFirst.containsKey("vq-dense/_SUCCESS")
                && afterFirst.containsKey("minilm/model.safetensors"), afterFirst.keySet().toString());

        for (String[] step : pipeline()) {
            CliAndCalibrationTest.Run again = CliAndCalibrationTest.cli(step);
            assertEquals(0, again.code, String.join(" ", step) + "\n" + again.err);
            assertTrue((again.err + again.out).contains("already complete"), String.join(" ", step) + "\n" + again.err);
        }
        assertEquals(afterFirst, snapshot(run), "a second run of every step changes nothing");

        // The same outputs asked for with other settings: refused, naming the output and what to do, untouched.
        refused(calibrate("--seed", "2"), "calibration.safetensors", "choose another --out, or delete it");
        refused(compress("--sparsity", "0.6"), "model", "choose another --out or remove it");
        refused(evaluate("--max-chunks", "6"), "evaluation.json", "choose another --out, or delete it");
        refused(compressVq("--vq-iters", "3"), "vq", "choose another --out or remove it");
        refused(decompress("--shard-mb", "1"), "vq-dense", "choose another --out or remove it");
        refused(new String[] {"import-minilm", "--out", run.resolve("model").toString()}, "model",
                "choose a new directory or delete it first");
        assertEquals(afterFirst, snapshot(run), "refusals write nothing");
    }

    @Test
    void otherTextBytesAtTheSamePathAreOtherInputs_andAMissingFullSiblingIsAllARerunWrites(@TempDir Path dir) throws IOException {
        Path copy = Files.copy(Path.of(text), dir.resolve("text.txt"));
        Path out = dir.resolve("stats.safetensors");
        String[] cmd = {"calibrate", "--model", model.toString(), "--text", copy.toString(), "--samples", "2",
                "--seq-len", "32", "--out", out.toString()};
        assertEquals(0, CliAndCalibrationTest.cli(cmd).code);
        byte[] stats = Files.readAllBytes(out);

        // --full after a run without it: the statistics file is this run's already; only the X^T X sibling is missing.
        String[] full = args(List.of(cmd), "--full");
        CliAndCalibrationTest.Run withFull = CliAndCalibrationTest.cli(full);
        assertEquals(0, withFull.code, withFull.err);
        assertTrue(Files.exists(dir.resolve("stats.xtx.safetensors")));
        assertTrue(java.util.Arrays.equals(stats, Files.readAllBytes(out)), "the statistics file is left as it was");
        assertTrue(CliAndCalibrationTest.cli(full).err.contains("already complete"));

        // The same path with other text in it is another input.
        Files.writeString(copy, Files.readString(copy) + "\nOne more paragraph at the end.\n");
        refused(cmd, out, "choose another --out, or delete it");
        assertTrue(java.util.Arrays.equals(stats, Files.readAllBytes(out)));
    }

    static void refused(String[] cmd, String output, String howOn) {
        refused(cmd, run.resolve(output), howOn);
    }

    static void refused(String[] cmd, Path output, String howOn) {
        CliAndCalibrationTest.Run r = CliAndCalibrationTest.cli(cmd);
        String line = Refusals.assertRefused(r, 1, new String[] {howOn});
        assertTrue(line.contains(output.toString()), "names " + output + ": " + line);
    }

    /** Every file under dir (relative path with '/') and the SHA-256 of its bytes. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isRegularFile(p)) continue;
                files.put(dir.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
