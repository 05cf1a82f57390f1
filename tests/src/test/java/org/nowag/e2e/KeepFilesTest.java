package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `--keep-file GLOB` copies input files the output rules leave out (here an ONNX export), byte for byte and listed
 * in the manifest; without it they stay out, with their reason in report.json. The globs are part of the run's
 * identity (a re-run without them is another run), and a glob that cannot match a file name is refused up front.
 */
class KeepFilesTest {
    @TempDir Path tmp;

    @Test
    void keepFileCopiesAnOnnxExportTheRulesLeaveOut() throws IOException {
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        try (Stream<Path> files = Files.list(Fixtures.miniLm())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, model.resolve(f.getFileName()));
        }
        byte[] onnx = "an ONNX export of the dense model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(model.resolve("model.onnx"), onnx);
        Files.writeString(model.resolve("notes.txt"), "not part of the model");

        Path kept = tmp.resolve("kept");
        CliAndCalibrationTest.Run run = compress(model, kept, "--keep-file", "*.onnx");
        assertEquals(0, run.code, run.err);
        assertArrayEquals(onnx, Files.readAllBytes(kept.resolve("model.onnx")));
        assertFalse(Files.exists(kept.resolve("notes.txt")));
        assertTrue(manifestNames(kept).contains("model.onnx"), "the kept file is part of the published output");
        List<String> leftOut = leftOut(kept);
        assertTrue(leftOut.stream().anyMatch(s -> s.startsWith("notes.txt")), leftOut.toString());
        assertFalse(leftOut.stream().anyMatch(s -> s.startsWith("model.onnx")), leftOut.toString());

        Path plain = tmp.resolve("plain");
        run = compress(model, plain);
        assertEquals(0, run.code, run.err);
        assertFalse(Files.exists(plain.resolve("model.onnx")));
        assertTrue(leftOut(plain).stream().anyMatch(s -> s.startsWith("model.onnx: weights in another format")),
                leftOut(plain).toString());

        // Another run's identity: the finished output with the ONNX file is not taken for a run without it.
        run = compress(model, kept);
        assertNotEquals(0, run.code, "a run without --keep-file must not reuse the output made with it");
        assertTrue(run.err.contains("holds no run with these arguments"), run.err);
        assertArrayEquals(onnx, Files.readAllBytes(kept.resolve("model.onnx")), "the finished output is untouched");

        // Globs that cannot match an entry's file name are bad usage (exit 2), refused before anything is written.
        for (String bad : new String[] {"sub/*.onnx", "[a-", " "}) {
            Path out = tmp.resolve("bad" + bad.hashCode());
            run = compress(model, out, "--keep-file", bad);
            assertEquals(2, run.code, bad + ": " + run.err);
            assertTrue(run.err.contains("--keep-file"), run.err);
            assertFalse(Files.exists(out), bad);
        }
        run = CliAndCalibrationTest.cli("decompress", "--model", kept.toString(), "--out", tmp.resolve("d").toString(),
                "--keep-file", "a/b");
        assertEquals(2, run.code, run.err);
        assertTrue(run.err.contains("--keep-file a/b"), run.err);
    }

    private static CliAndCalibrationTest.Run compress(Path model, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("compress", "--model", model.toString(), "--out", out.toString(),
                "--method", "magnitude", "--include", VqMiniLmTest.LAYER0));
        args.addAll(List.of(more));
        return CliAndCalibrationTest.cli(args.toArray(String[]::new));
    }

    private static List<String> manifestNames(Path out) throws IOException {
        List<String> names = new ArrayList<>();
        JsonNode files = new ObjectMapper().readTree(Files.readString(out.resolve("_MANIFEST.json"))).get("files");
        for (JsonNode f : files) names.add(f.get("name").asText());
        return names;
    }

    private static List<String> leftOut(Path out) throws IOException {
        List<String> left = new ArrayList<>();
        for (JsonNode n : new ObjectMapper().readTree(Files.readString(out.resolve("report.json"))).get("leftOut")) {
            left.add(n.asText());
        }
        return left;
    }
}
