package org.nowag.job.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.arrow.TensorArrowFile;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.commit.OutputClaim;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.exec.ShardTask;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.Recipe;
import org.nowag.job.spark.KryoClasses;
import org.nowag.job.spark.SparkContexts;

/**
 * The run on its own, with a method made for the test (DoublingMethod: factor x W, and row sums as a part tensor)
 * on a small hand-written model: a fresh run, a resumed one, a complete one, a conflicting one, duplicate attempts,
 * a claimed output, a task that fails once, NaN weights. Every byte of the output is checked against values
 * computed here.
 */
class CompressionRunTest {
    static final String[] WEIGHTS = {"layers.0.q.weight", "layers.0.k.weight", "layers.1.q.weight", "layers.1.k.weight"};
    /** 8 x 16 float32 = 512 bytes per weight; 256-byte blocks: two row blocks each, and one tensor per shard. */
    static final long BLOCK_BYTES = 256;

    @TempDir static Path shared;
    @TempDir Path tmp;
    static Path model;
    static SparkContexts.Handle spark;
    static Map<String, float[]> input = new TreeMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        // the test's own method is not in the registry: its classes are registered beside KryoClasses' list
        System.setProperty("spark.kryo.classesToRegister",
                "org.nowag.job.run.DoublingMethod,org.nowag.job.run.DoublingMethod$Params");
        spark = SparkContexts.getOrCreate("local[2,4]");
        model = shared.resolve("model");
        writeModel(model, Float.NaN, null);
    }

    @AfterAll
    static void tearDown() {
        spark.close();
        System.clearProperty("spark.kryo.classesToRegister");
    }

    @AfterEach
    void faultsOff() {
        System.clearProperty("nowag.fault.duplicateTasks");
        System.clearProperty("nowag.fault.throwOnce");
    }

    /** Four 8 x 16 weights (one BF16), a bias and an embedding that no rule selects, config.json, a tokenizer. */
    static void writeModel(Path dir, float bad, String badTensor) throws IOException {
        Files.createDirectories(dir);
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, byte[]> bytes = new TreeMap<>();
        java.util.Random random = new java.util.Random(7);
        for (String name : new String[] {"embed", WEIGHTS[0], "layers.0.bias", WEIGHTS[1], WEIGHTS[2], WEIGHTS[3]}) {
            DType dtype = name.equals(WEIGHTS[2]) ? DType.BF16 : DType.F32;
            long[] shape = name.equals("layers.0.bias") ? new long[] {16} : new long[] {name.equals("embed") ? 4 : 8, 16};
            int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
            if (name.equals(badTensor)) v[3 * 16 + 5] = bad;
            byte[] b = new byte[n * dtype.bytes()];
            FloatCodec.encode(v, 0, dtype, b, 0, n);
            FloatCodec.decode(b, 0, dtype, v, 0, n);  // what the file holds (BF16 rounds)
            if (badTensor == null) input.put(name, v);
            specs.add(new TensorSpec(name, dtype, shape));
            bytes.put(name, b);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
            SafetensorsWriter.write(out, specs, Map.of("format", "pt"), (s, o) -> o.write(bytes.get(s.name())));
        }
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"test\"}");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}}");
    }

    static CompressOptions options(Path modelDir, Path out) {
        return new CompressOptions().model(modelDir.toUri().toString()).out(out.toUri().toString())
                .include(".*\\.weight").blockBytes(BLOCK_BYTES);
    }

    static CompressionReport run(Path out, float factor) throws IOException {
        return run(options(model, out), factor);
    }

    static CompressionReport run(CompressOptions opts, float factor) throws IOException {
        Recipe recipe = new Recipe(List.of(new Recipe.Rule(opts.include(), new DoublingMethod(factor), opts)));
        return new CompressionRun(spark.context, System.err::println).run(recipe, opts);
    }

    /** Every file of a directory (not _staging), by name. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.startsWith(".")) all.put(name, Files.readAllBytes(p));
            }
        }
        return all;
    }

    /** factor x W, the row sums as the part tensor, everything else unchanged, a manifest that holds, no staging. */
    static void assertOutput(Path out, float factor) throws IOException {
        Configuration conf = new Configuration();
        ModelDirectory m = ModelDirectory.open(out.toUri().toString(), conf);
        for (Map.Entry<String, float[]> e : input.entrySet()) {
            float[] got = read(m, e.getKey());
            float[] want = e.getValue().clone();
            boolean target = List.of(WEIGHTS).contains(e.getKey());
            DType dtype = m.tensor(e.getKey()).dtype();
            float[] sums = new float[want.length / 16];
            for (int i = 0; i < want.length; i++) {
                if (target) {
                    want[i] *= factor;
                    sums[i / 16] += want[i];
                }
            }
            byte[] rounded = new byte[want.length * dtype.bytes()];
            FloatCodec.encode(want, 0, dtype, rounded, 0, want.length);
            FloatCodec.decode(rounded, 0, dtype, want, 0, want.length);
            assertArrayEquals(want, got, e.getKey());
            if (target) assertArrayEquals(sums, read(m, e.getKey() + DoublingMethod.SUMS), e.getKey() + " row sums");
        }
        FileSystem fs = FileSystem.getLocal(conf);
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out.toUri());
        assertEquals(List.of(), OutputManifest.verify(fs, dir), "the manifest matches every file");
        assertFalse(Files.exists(out.resolve(OutputLayout.STAGING)), "staging is gone once published");
        assertTrue(Files.exists(out.resolve("report.html")), "report.html for every method");
        assertTrue(Files.readString(out.resolve("nowag_provenance.json")).contains("\"factor\""), "the method's description");
        assertEquals("{\"model\": {}}", Files.readString(out.resolve("tokenizer.json")));
        // Each shard's part tensors also sit in its Arrow file, the same bytes.
        int arrows = 0;
        for (String name : files(out).keySet()) {
            if (!name.endsWith(".parts.arrow")) continue;
            arrows++;
            String shard = name.replace(".parts.arrow", ".safetensors");
            try (FileChannel ch = FileChannel.open(out.resolve(name), StandardOpenOption.READ);
                 SafetensorsFile f = SafetensorsFile.open(fs, new org.apache.hadoop.fs.Path(out.resolve(shard).toUri()))) {
                for (TensorArrowFile.Entry e : TensorArrowFile.readAll(ch)) {
                    assertTrue(e.name.endsWith(DoublingMethod.SUMS), e.name);
                    assertArrayEquals(f.readBytes(e.name, 0, e.data.length), e.data, e.name);
                }
            }
        }
        assertEquals(WEIGHTS.length, arrows, "one Arrow file per shard with a part tensor");
    }

    static float[] read(ModelDirectory m, String name) throws IOException {
        TensorInfo t = m.tensor(name);
        assertNotNull(t, name + " is in the output");
        try (SafetensorsFile f = SafetensorsFile.open(m.fileSystem(), m.shardOf(name))) {
            return f.readRowsAsFloat(name, 0, Math.toIntExact(t.shape()[0]));
        }
    }

    @Test
    void aFreshRunWritesEveryShardOnceAndPublishesAManifestThatHolds() throws IOException {
        Path out = tmp.resolve("fresh");
        CompressionReport r = run(out, 2f);
        assertOutput(out, 2f);
        assertEquals(4, r.tensorsCompressed);
        assertEquals(2, r.tensorsCopied);
        assertEquals(8, r.kernelTasksRun, "two row blocks per weight");
        assertEquals(0, r.partsReused);
        assertTrue(r.shardsWritten >= 4, "one shard per weight at this block size: " + r.shardsWritten);
        assertEquals(4, r.arrowPartFilesWritten);
        assertEquals("doubling", r.method);
        assertEquals("x2.0", r.pattern);
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
    }

    @Test
    void aResumedRunWritesOnlyTheShardsWithoutARecordAndTheSameBytes() throws IOException {
        Path clean = tmp.resolve("clean");
        run(clean, 2f);
        Path out = tmp.resolve("resumed");
        assertThrows(IllegalStateException.class, () -> run(options(model, out).failAfterParts(true), 2f));
        Path records = out.resolve(OutputLayout.STAGING).resolve("shards");
        List<Path> committed;
        try (Stream<Path> s = Files.list(records)) {
            committed = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(committed.size() >= 4);
        // As if the driver had died before these two shards' tasks finished.
        Files.delete(committed.get(1));
        Files.delete(out.resolve(committed.get(2).getFileName().toString().replace(".json", "")));
        CompressionReport r = run(out, 2f);
        assertEquals(2, r.shardsWritten, "only the two shards without a committed record");
        assertEquals(committed.size() - 2, r.shardsReused);
        assertEquals(8, r.kernelTasksRun + r.partsReused, "every block is counted once, computed or reused");
        assertOutput(out, 2f);
        Map<String, byte[]> want = files(clean);
        Map<String, byte[]> got = files(out);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            if (org.nowag.io.model.ModelFingerprint.RUN_FILES.contains(name)) continue;  // times and paths
            assertArrayEquals(want.get(name), got.get(name), name + " differs from the clean run");
        }
    }

    @Test
    void aCompleteOutputIsAnsweredWithoutChangingAByte() throws IOException {
        Path out = tmp.resolve("complete");
        run(out, 2f);
        Map<String, byte[]> before = files(out);
        CompressionReport again = run(out, 2f);
        assertTrue(again.alreadyComplete);
        assertEquals(0, again.kernelTasksRun);
        assertEquals(0, again.shardsWritten);
        Map<String, byte[]> after = files(out);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) assertArrayEquals(before.get(name), after.get(name), name);
        assertFalse(Files.exists(out.resolve(OutputLayout.STAGING)), "no staging left in a finished output");
    }

    @Test
    void anOutputOfOtherArgumentsIsRefusedAndLeftAsItWas() throws IOException {
        Path out = tmp.resolve("conflict");
        run(out, 2f);
        Map<String, byte[]> before = files(out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(out, 3f));
        assertTrue(e.getMessage().contains("holds no run with these arguments"), e.getMessage());
        Map<String, byte[]> after = files(out);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) assertArrayEquals(before.get(name), after.get(name), name);
    }

    @Test
    void duplicateConcurrentAttemptsOfEveryTaskGiveTheSameOutput() throws IOException {
        System.setProperty("nowag.fault.duplicateTasks", "true");
        Path out = tmp.resolve("twice");
        run(out, 2f);
        assertOutput(out, 2f);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheOutputIsComplete() throws IOException {
        System.setProperty("nowag.fault.throwOnce", WEIGHTS[2]);
        Path out = tmp.resolve("retried");
        run(out, 2f);
        assertOutput(out, 2f);
    }

    @Test
    void aRunThatFindsTheOutputClaimedByALiveRunStopsWithoutWritingAnything() throws IOException {
        Path out = tmp.resolve("claimed");
        Files.createDirectories(out);
        Configuration conf = new Configuration();
        FileSystem fs = FileSystem.getLocal(conf);
        OutputLayout layout = new OutputLayout(fs, fs.makeQualified(new org.apache.hadoop.fs.Path(out.toUri())));
        try (OutputClaim held = OutputClaim.acquire(layout, conf, s -> { })) {
            OutputClaim.Busy e = assertThrows(OutputClaim.Busy.class, () -> run(out, 2f));
            assertTrue(e.getMessage().contains("being written by another run"), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
            assertFalse(Files.exists(out.resolve(OutputLayout.STAGING).resolve("run.fingerprint")));
            assertEquals(Map.of(), files(out), "no file written by the refused run");
        }
        run(out, 2f);  // once released, the claim is free
        assertOutput(out, 2f);
    }

    @Test
    void aClaimLeftByARunThatIsGoneIsTakenOver() throws IOException {
        Path out = tmp.resolve("abandoned");
        Path claims = out.resolve(OutputLayout.STAGING).resolve("claims");
        Files.createDirectories(claims);
        // A claim of this host by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
        Files.writeString(claims.resolve("claim-000001"), "token=x\nhost=" + java.net.InetAddress.getLocalHost()
                .getHostName() + "\npid=4194305\npidStart=2026-01-01T00:00:00Z\nsince=2026-01-01T00:00:00Z\n",
                StandardCharsets.UTF_8);
        run(out, 2f);
        assertOutput(out, 2f);
    }

    @Test
    void nanWeightsAreRefusedNamingTheWeightAndLeaveNoOutput() throws IOException {
        Path bad = tmp.resolve("nan-model");
        writeModel(bad, Float.NaN, WEIGHTS[3]);
        Path out = tmp.resolve("nan-out");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(options(bad, out), 2f));
        assertTrue(e.getMessage().contains(WEIGHTS[3]) && e.getMessage().contains("[3, 5]")
                && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(out), "nothing of a refused run is kept");
    }

    @Test
    void withSkipNonFiniteATensorWithInfinityIsCopiedUnchangedAndReported() throws IOException {
        Path bad = tmp.resolve("inf-model");
        writeModel(bad, Float.POSITIVE_INFINITY, WEIGHTS[1]);
        Path out = tmp.resolve("inf-out");
        CompressionReport r = run(options(bad, out).skipNonFinite(true), 2f);
        assertEquals(List.of(WEIGHTS[1]), r.skippedNonFinite);
        assertEquals(3, r.tensorsCompressed);
        ModelDirectory in = ModelDirectory.open(bad.toUri().toString(), new Configuration());
        ModelDirectory got = ModelDirectory.open(out.toUri().toString(), new Configuration());
        assertArrayEquals(read(in, WEIGHTS[1]), read(got, WEIGHTS[1]), "copied bit for bit");
        assertNull(got.tensor(WEIGHTS[1] + DoublingMethod.SUMS), "no outputs of a tensor that was not compressed");
        assertEquals(List.of(), OutputManifest.verify(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(out.toUri())));
    }

    @Test
    void everyKryoClassOfTheRunIsRegistered() {
        List<Class<?>> all = KryoClasses.all();
        for (Class<?> c : List.of(ShardTask.class, ShardTask.Entry.class, TensorWork.class, ShardRecord.class)) {
            assertTrue(all.contains(c), c.getName());
        }
        for (CompressionMethod m : CompressionMethod.values()) {
            assertTrue(all.contains(m.plugin().getClass()), m.cliName());
            assertTrue(all.containsAll(m.plugin().kryoClasses()), m.cliName());
        }
        assertEquals(all.size(), new java.util.HashSet<>(all).size(), "each class once");
        JavaSparkContext sc = spark.context;
        assertEquals("org.apache.spark.serializer.KryoSerializer", sc.getConf().get("spark.serializer"));
        assertEquals(KryoClasses.class.getName(), sc.getConf().get("spark.kryo.registrator"));
    }
}
