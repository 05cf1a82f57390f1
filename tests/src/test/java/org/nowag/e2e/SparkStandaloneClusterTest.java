package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.nowag.io.fs.FileDigest;
import org.nowag.job.cli.NowagCli;
import org.nowag.job.commit.OutputManifest;

/**
 * nowag on a real multi-JVM Spark cluster: a standalone Master and two one-core Workers started from the test
 * classpath ({@link SparkStandalone}), every job submitted through Spark's own SparkSubmit with the thin jar, model,
 * text and output on the in-process HDFS (the cluster's JVMs share no folder with the driver's output). Task
 * descriptions, results and shuffles cross process boundaries with Kryo (registration required), executors load
 * ND4J's native code from the thin jar, and outputs are committed by tasks in other JVMs. For calibrate (--full),
 * every compression method and evaluate, the output is byte for byte what {@code --master local[2]} writes; an
 * executor killed mid-run is replaced and the bytes do not change; a driver killed mid-run is resumed by the next
 * submission, which computes only what was missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkStandaloneClusterTest {
    /** Layer 0 of MiniLM (6 of its 36 matrices): every code path, a fraction of the time. */
    static final String INCLUDE = "encoder\\.layer\\.0\\..*\\.weight";
    /** Layers 0 and 1 for the runs that are killed, written into 4 MB shards: enough shards to stop a run part-way. */
    static final String INCLUDE_KILLED = "encoder\\.layer\\.[01]\\..*\\.weight";
    static SparkStandalone cluster;
    static Path dir;
    static Configuration conf;
    static String model;
    static String text;
    static String hdfs;
    static String stats;
    /** Every run after the first: the thin jar at a path every node has, on the classpath, copied nowhere. */
    static SparkStandalone.AppJar thinJar;
    static final String JAR_NAME = "nowag-spark-thin.jar";
    static final Map<String, Double> seconds = new LinkedHashMap<>();

    @BeforeAll
    static void startClusterAndUpload() throws Exception {
        long t0 = System.nanoTime();
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "standalone");
        conf = Fixtures.spark().hadoopConfiguration();
        hdfs = Stores.hdfs().toString();
        Stores.upload(Fixtures.miniLm(), new org.apache.hadoop.fs.Path(hdfs + "/cluster/minilm"), conf);
        model = hdfs + "/cluster/minilm";
        Path textDir = Files.createDirectories(dir.resolve("text"));
        for (Path p : Corpora.sotu(1995, 1999)) Files.copy(p, textDir.resolve(p.getFileName()));
        Stores.upload(textDir, new org.apache.hadoop.fs.Path(hdfs + "/cluster/text"), conf);
        text = hdfs + "/cluster/text";
        thinJar = SparkStandalone.AppJar.onClasspath(SparkStandalone.thinJar());
        cluster = SparkStandalone.start(dir, 2, "2g");
        seconds.put("start HDFS upload and cluster", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) cluster.close();
        System.out.println("cluster test timings (s): " + seconds);
        SparkStandalone.deleteTree(dir);
    }

    /** The settings a cluster run needs, as deploy/nowag-submit.sh gives them; extra executor options appended. */
    static List<String> conf(String executorOptions) throws IOException {
        String opens = String.join(" ", SparkStandalone.jvmOpens());
        return List.of(
                "--conf", "spark.executor.memory=1g",
                "--conf", "spark.driver.extraJavaOptions=" + opens,
                "--conf", "spark.executor.extraJavaOptions=" + opens + " " + executorOptions,
                "--conf", "spark.serializer=org.apache.spark.serializer.KryoSerializer",
                "--conf", "spark.kryo.registrationRequired=true",
                "--conf", "spark.kryoserializer.buffer.max=256m",
                "--conf", "spark.task.maxFailures=4",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.ui.showConsoleProgress=false",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1");
    }

    /** Runs NowagCli on the cluster to completion; its output (the driver's) when it succeeds. */
    static String onCluster(String label, SparkStandalone.AppJar jar, String executorOptions, List<String> args) throws Exception {
        Path log = dir.resolve("logs").resolve(label + ".log");
        long t0 = System.nanoTime();
        long copiesBefore = cluster.jarCopies(JAR_NAME);
        Process p = cluster.submit(jar, List.of(), conf(executorOptions), args, log);
        boolean done = p.waitFor(8, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly().waitFor();
        seconds.put(label, (System.nanoTime() - t0) / 1e9);
        String output = Files.readString(log);
        assertTrue(done && p.exitValue() == 0, label + " on the cluster failed (" + (done ? "exit " + p.exitValue()
                : "timed out") + "):\n" + output);
        if (jar == thinJar) assertEquals(copiesBefore, cluster.jarCopies(JAR_NAME), "a jar on the classpath is copied nowhere");
        return output;
    }

    /** The same command in this JVM's local Spark (two cores). */
    static void locally(String label, List<String> args) {
        long t0 = System.nanoTime();
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--master", "local[2]"));
        assertEquals(0, NowagCli.run(all.toArray(new String[0])), label + " in local[2]");
        seconds.put(label + " (local[2])", (System.nanoTime() - t0) / 1e9);
    }

    /** The files that name the run (its Spark master, paths and timings, and the manifest that lists their digests). */
    static boolean namesTheRun(String file) {
        return org.nowag.io.model.ModelFingerprint.RUN_FILES.contains(file);
    }

    /**
     * Same files, byte for byte, except what names the run; the manifests list the same digests for every other
     * file, and each matches its own folder.
     */
    static void assertSameFiles(String expectedDir, String actualDir) throws IOException {
        org.apache.hadoop.fs.Path expectedPath = new org.apache.hadoop.fs.Path(expectedDir);
        org.apache.hadoop.fs.Path actualPath = new org.apache.hadoop.fs.Path(actualDir);
        Map<String, byte[]> expected = Stores.files(expectedPath, conf);
        Map<String, byte[]> actual = Stores.files(actualPath, conf);
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), actualDir);
        List<String> differ = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!namesTheRun(name) && !java.util.Arrays.equals(expected.get(name), actual.get(name))) differ.add(name);
        }
        assertEquals(List.of(), differ, "files that differ from local[2]'s in " + actualDir);
        assertTrue(expected.keySet().stream().filter(n -> !namesTheRun(n)).count() >= 3, "files compared: " + expected.keySet());
        FileSystem fs = actualPath.getFileSystem(conf);
        assertEquals(manifestOfModel(expectedPath), manifestOfModel(actualPath), "manifest entries");
        assertEquals(List.of(), OutputManifest.verify(fs, actualPath), "the manifest matches the files");
    }

    static List<String> manifestOfModel(org.apache.hadoop.fs.Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        for (FileDigest d : OutputManifest.read(dir.getFileSystem(conf), dir)) {
            if (!namesTheRun(d.name)) entries.add(d.toString());
        }
        return entries;
    }

    static List<String> compress(String out, String... methodArgs) {
        return compress(INCLUDE, out, methodArgs);
    }

    static List<String> compress(String include, String out, String... methodArgs) {
        List<String> args = new ArrayList<>(List.of("compress", "--model", model, "--out", out, "--include", include));
        args.addAll(List.of(methodArgs));
        return args;
    }

    @Test
    @Order(1)
    void calibrateFullSumsOnExecutorsAndWritesTheLocalBytesWithTheJarShippedToExecutors() throws Exception {
        List<String> args = new ArrayList<>(List.of("calibrate", "--model", model, "--text", text, "--samples", "4",
                "--seq-len", "32", "--seed", "3", "--full", "--partitions", "2"));
        List<String> clusterArgs = new ArrayList<>(args);
        clusterArgs.addAll(List.of("--out", hdfs + "/cluster/c/stats.safetensors"));
        // The one submission whose jar is shipped (a plain path): what every submission costs without a shared path.
        long before = cluster.jarCopies(JAR_NAME);
        onCluster("calibrate", SparkStandalone.AppJar.shipped(SparkStandalone.thinJar().toString()), "", clusterArgs);
        assertEquals(before + 2, cluster.jarCopies(JAR_NAME),
                "the shipped jar is copied into each of the two executors' work folders");
        List<String> local = new ArrayList<>(args);
        local.addAll(List.of("--out", hdfs + "/cluster/l/stats.safetensors"));
        locally("calibrate", local);
        for (String name : List.of("stats.safetensors", "stats.xtx.safetensors")) {
            assertArrayEquals(Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/l"), conf).get(name),
                    Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/c"), conf).get(name), name);
        }
        stats = hdfs + "/cluster/c/stats.safetensors";
    }

    @Test
    @Order(2)
    void magnitudeTwoFour() throws Exception {
        compareMethod("magnitude", "--method", "magnitude", "--pattern", "2:4");
    }

    @Test
    @Order(3)
    void sparseGpt() throws Exception {
        compareMethod("sparsegpt", "--method", "sparsegpt", "--pattern", "2:4", "--calibration", stats);
    }

    @Test
    @Order(4)
    void nowagVqWholeMatrix() throws Exception {
        compareMethod("nowag-vq", "--method", "nowag-vq", "--vq-bits", "1", "--vq-iters", "2");
    }

    @Test
    @Order(5)
    void nowagVqRowBlocks() throws Exception {
        // One matrix cut into three row blocks: each k-means iteration is a Spark job of its own.
        compareMethodOn("encoder\\.layer\\.0\\.attention\\.self\\.query\\.weight", "nowag-vq-rows", "--method", "nowag-vq",
                "--vq-bits", "1", "--vq-iters", "2", "--vq-row-blocks", "--block-mb", "0.25");
    }

    @Test
    @Order(6)
    void armor() throws Exception {
        // b = 32 (the default before 128) keeps this test's cost: it checks the cluster, not the block size.
        compareMethod("armor", "--method", "armor", "--armor-iters", "1", "--armor-block", "32", "--calibration", stats);
    }

    static void compareMethod(String label, String... methodArgs) throws Exception {
        compareMethodOn(INCLUDE, label, methodArgs);
    }

    static void compareMethodOn(String include, String label, String... methodArgs) throws Exception {
        String out = hdfs + "/cluster/c/" + label;
        String expected = hdfs + "/cluster/l/" + label;
        onCluster(label, thinJar, "", compress(include, out, methodArgs));
        locally(label, compress(include, expected, methodArgs));
        assertSameFiles(expected, out);
    }

    /**
     * nowag-p, with one executor killed while tasks run: its tasks are run again elsewhere, same bytes. Submitted with
     * deploy/log4j2.properties as docs/cluster.md says: Spark's report of the lost task (or executor) reaches the
     * driver's output in that file's pattern, and Spark's INFO lines do not.
     */
    @Test
    @Order(7)
    void nowagPWithAnExecutorKilledMidRun() throws Exception {
        String[] method = {"--method", "nowag-p", "--sparsity", "0.5", "--calibration", stats, "--block-mb", "0.4", "--shard-mb", "4"};
        String out = hdfs + "/cluster/c/nowag-p";
        String expected = hdfs + "/cluster/l/nowag-p";
        Path log = dir.resolve("logs").resolve("nowag-p.log");
        long t0 = System.nanoTime();
        Path log4j = ProcessRun.repoRoot().resolve("deploy/log4j2.properties");
        List<String> conf = new ArrayList<>(conf("-Dnowag.fault.taskDelayMs=400 -Dlog4j2.configurationFile=log4j2.properties"));
        conf.addAll(List.of("--files", log4j.toString()));
        Process p = cluster.submit(thinJar, List.of("-Dlog4j2.configurationFile=" + log4j), conf, compress(INCLUDE_KILLED, out, method), log);
        try {
            awaitOrFail(() -> committedShards(out) >= 3, p, log, "three committed shards");
            List<ProcessHandle> executors = cluster.executors();
            assertEquals(2, executors.size(), "two executors run the application");
            executors.get(0).destroyForcibly();
            assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the run ends after losing an executor");
        } finally {
            p.destroyForcibly().waitFor();
        }
        seconds.put("nowag-p, one executor killed", (System.nanoTime() - t0) / 1e9);
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d (WARN TaskSetManager: Lost task|ERROR TaskSchedulerImpl: Lost executor) .*")),
                "Spark's report of the lost task or executor, in deploy/log4j2.properties' pattern:\n" + output);
        assertFalse(output.contains(" INFO "), "Spark's INFO lines are kept out:\n" + output);
        locally("nowag-p", compress(INCLUDE_KILLED, expected, method));
        assertSameFiles(expected, out);
    }

    /** Wanda, with the driver killed mid-run: the next submission reuses the committed shards, same bytes. */
    @Test
    @Order(8)
    void wandaWithTheDriverKilledMidRunAndResumed() throws Exception {
        String[] method = {"--method", "wanda", "--sparsity", "0.5", "--calibration", stats, "--block-mb", "0.4", "--shard-mb", "4"};
        String out = hdfs + "/cluster/c/wanda";
        String expected = hdfs + "/cluster/l/wanda";
        Path log = dir.resolve("logs").resolve("wanda-killed.log");
        long t0 = System.nanoTime();
        Process p = cluster.submit(thinJar, List.of(), conf("-Dnowag.fault.taskDelayMs=400"), compress(INCLUDE_KILLED, out, method), log);
        int committed;
        try {
            awaitOrFail(() -> committedShards(out) >= 3, p, log, "three committed shards");
        } finally {
            p.destroyForcibly();  // SIGKILL: no shutdown hook, no cleanup
            p.waitFor(60, TimeUnit.SECONDS);
        }
        committed = committedShards(out);
        seconds.put("wanda, driver killed", (System.nanoTime() - t0) / 1e9);
        FileSystem fs = new org.apache.hadoop.fs.Path(out).getFileSystem(conf);
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out, "_SUCCESS")), "the killed run published nothing");
        String resumed = onCluster("wanda, resumed", thinJar, "", compress(INCLUDE_KILLED, out, method));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(\\d+ to write, (\\d+) committed\\)").matcher(resumed);
        assertTrue(m.find(), resumed);
        assertTrue(Integer.parseInt(m.group(1)) >= committed && committed >= 3, "reused " + m.group(1) + ", " + committed + " seen");
        locally("wanda", compress(INCLUDE_KILLED, expected, method));
        assertSameFiles(expected, out);
    }

    @Test
    @Order(9)
    void evaluateOfTheNowagPModel() throws Exception {
        List<String> args = List.of("evaluate", "--model", model, "--compare", hdfs + "/cluster/l/nowag-p", "--text", text,
                "--max-chunks", "12", "--partitions", "2");
        List<String> clusterArgs = new ArrayList<>(args);
        clusterArgs.addAll(List.of("--out", hdfs + "/cluster/c/evaluation.json"));
        onCluster("evaluate", thinJar, "", clusterArgs);
        List<String> local = new ArrayList<>(args);
        local.addAll(List.of("--out", hdfs + "/cluster/l/evaluation.json"));
        locally("evaluate", local);
        assertEquals(Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/l"), conf).get("evaluation.json").length,
                Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/c"), conf).get("evaluation.json").length);
        assertEquals(new String(Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/l"), conf).get("evaluation.json")),
                new String(Stores.files(new org.apache.hadoop.fs.Path(hdfs + "/cluster/c"), conf).get("evaluation.json")));
    }

    /** Shards the run committed: their records under OUT/_staging/shards on HDFS (a temp file is not one yet). */
    static int committedShards(String out) {
        try {
            org.apache.hadoop.fs.Path records = new org.apache.hadoop.fs.Path(out, "_staging/shards");
            FileSystem fs = records.getFileSystem(conf);
            if (!fs.exists(records)) return 0;
            int n = 0;
            for (var st : fs.listStatus(records)) {
                String name = st.getPath().getName();
                if (name.endsWith(".json") && !name.contains(org.nowag.io.fs.AtomicFiles.TEMP_MARKER)) n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    static void awaitOrFail(BooleanSupplier condition, Process p, Path log, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(p.isAlive(), "the run ended before " + what + ":\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no " + what + " after 5 minutes:\n" + Files.readString(log));
            Thread.sleep(100);
        }
    }
}
