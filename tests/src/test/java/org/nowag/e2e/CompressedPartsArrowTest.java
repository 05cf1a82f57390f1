package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.arrow.TensorArrowFile;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.commit.OutputManifest;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.VqConfig;

/**
 * VQ and ARMOR outputs carry their compressed parts a second time as Arrow IPC files (read back here with Arrow's
 * own reader), and a manifest that covers every published file, on a real SparkContext and real MiniLM weights.
 */
class CompressedPartsArrowTest {
    private static final String ONE_MATRIX = "encoder\\.layer\\.0\\.attention\\.self\\.query\\.weight";

    @TempDir Path tmp;

    @Test
    void vqPartsAreWrittenAsArrowEqualToTheShardsTensorsAndTheManifestCoversEveryFile() throws IOException {
        Path out = tmp.resolve("vq");
        CompressOptions opts = options(out).method(CompressionMethod.NOWAG_VQ).vq(VqConfig.ofBits(6, 1, 5, 3));
        checkArrowAndManifest(out, opts, ".vq.");
    }

    @Test
    void armorPartsAreWrittenAsArrowEqualToTheShardsTensorsAndTheManifestCoversEveryFile() throws IOException {
        Path out = tmp.resolve("armor");
        CompressOptions opts = options(out).method(CompressionMethod.ARMOR).pattern(SparsityPattern.nOfM(2, 4))
                .armor(ArmorConfig.of(32, 1, true));
        checkArrowAndManifest(out, opts, ".armor.");
    }

    private static CompressOptions options(Path out) throws IOException {
        return new CompressOptions().model(Fixtures.miniLm().toUri().toString()).out(out.toUri().toString())
                .include(ONE_MATRIX);
    }

    /** What read-arrow-parts.mjs must print for these tensors: one line each, then the schema metadata. */
    private static List<String> expectedJsLines(List<TensorArrowFile.Entry> entries, Map<String, byte[]> shard)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (TensorArrowFile.Entry e : entries) {
            String shape = java.util.Arrays.stream(e.shape).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
            lines.add(String.join("\t", e.name, e.dtype, shape, sha256(shard.get(e.name))));
        }
        lines.add("metadata\t{\"format\":\"" + TensorArrowFile.FORMAT + "\",\"source_shard\":\"model.safetensors\"}");
        return lines;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs read-arrow-parts.mjs with node against the apache-arrow package the build installed from npm. */
    private static List<String> readWithArrowJs(Path arrow) throws IOException {
        Path dir = Path.of(System.getProperty("nowag.arrowjs.dir", "target/arrowjs"));
        assertTrue(Files.exists(dir.resolve("node_modules/apache-arrow/package.json")), "apache-arrow installed in " + dir);
        Path script = dir.resolve("read-arrow-parts.mjs");  // beside node_modules, so node resolves the import
        try (var in = CompressedPartsArrowTest.class.getResourceAsStream("/read-arrow-parts.mjs")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("node", script.toString(), arrow.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), "node exit code; output:\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return List.of(out.strip().split("\n"));
    }

    private static void checkArrowAndManifest(Path out, CompressOptions opts, String partMarker) throws IOException {
        CompressionReport report = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertEquals(1, report.tensorsCompressed);
        assertEquals(1, report.arrowPartFilesWritten);

        Path arrow = out.resolve("model.parts.arrow");
        assertTrue(Files.exists(arrow), "Arrow parts beside model.safetensors");
        List<TensorArrowFile.Entry> entries;
        try (FileChannel ch = FileChannel.open(arrow, StandardOpenOption.READ)) {
            entries = TensorArrowFile.readAll(ch);
        }
        Map<String, byte[]> shard = Fixtures.rawTensors(out);
        TreeSet<String> parts = shard.keySet().stream().filter(n -> n.contains(partMarker))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(parts.size() >= 4, "the compressed weight has its parts in the shard: " + parts);
        assertEquals(parts, entries.stream().map(e -> e.name).collect(Collectors.toCollection(TreeSet::new)),
                "the Arrow file holds exactly the shard's compressed parts");
        ModelDirectory published = ModelDirectory.open(out.toUri().toString(), new Configuration());
        for (TensorArrowFile.Entry e : entries) {
            TensorInfo t = published.tensor(e.name);
            assertEquals(t.dtype().name(), e.dtype, e.name);
            assertArrayEquals(t.shape(), e.shape, e.name);
            assertArrayEquals(shard.get(e.name), e.data, e.name + ": same bytes as in the safetensors shard");
        }

        assertEquals(expectedJsLines(entries, shard), readWithArrowJs(arrow),
                "Apache Arrow's JavaScript reader sees the same names, dtypes, shapes and bytes");

        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<String> problems = OutputManifest.verify(fs, new org.apache.hadoop.fs.Path(out.toUri()));
        assertEquals(List.of(), problems, "the manifest lists every published file, the Arrow file included");
        String manifest = Files.readString(out.resolve(OutputManifest.FILE));
        assertTrue(manifest.contains("model.parts.arrow") && manifest.contains("model.safetensors")
                && manifest.contains("report.json"), manifest);

        // Complete outputs are left alone by a second identical run.
        CompressionReport again = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertEquals(0, again.kernelTasksRun);
        assertEquals(List.of(), OutputManifest.verify(fs, new org.apache.hadoop.fs.Path(out.toUri())));
    }
}
