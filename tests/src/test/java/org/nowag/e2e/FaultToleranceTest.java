package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.apache.spark.TaskEndReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nowag.io.fs.FileDigest;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;

/**
 * Failures a cluster has: a task that throws, an executor that dies mid-write, duplicate (speculative) attempts, a
 * run interrupted and resumed, a driver killed mid-job, a store that refuses the write. Each ends with the clean
 * run's bytes or a clear error, for every method (they all go through the same run and shard task).
 */
class FaultToleranceTest {
    static final String TENSOR = MethodCase.TENSOR;
    /**
     * For the killed driver: 400 KiB row blocks, so MiniLM's 36 weights become 120 blocks (in 8 shard tasks), and
     * each task sleeps 3 s first, so a run can be stopped part-way. N:M is row-separable, so the tensors equal the
     * clean run's.
     */
    static final long BLOCK_BYTES = 400 << 10;

    @TempDir static Path shared;
    @TempDir Path tmp;
    static Path model;
    static Configuration conf;
    /** The clean run's files, per method case, made when a test first needs them. */
    static final Map<MethodCase, Map<String, byte[]>> clean = new java.util.EnumMap<>(MethodCase.class);
    static final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        conf = Fixtures.spark().hadoopConfiguration();
        Fixtures.spark().sc().addSparkListener(new SparkListener() {
            @Override public void onTaskEnd(SparkListenerTaskEnd end) {
                TaskEndReason reason = end.reason();
                if (!(reason instanceof org.apache.spark.Success$)) failedTasks.incrementAndGet();
            }
        });
    }

    @BeforeEach
    void resetCount() { failedTasks.set(0); }

    @AfterEach
    void faultsOff() {
        System.clearProperty("nowag.fault.throwOnce");
        System.clearProperty("nowag.fault.dieMidWrite");
        System.clearProperty("nowag.fault.duplicateTasks");
    }

    /** Listener events arrive asynchronously: give the bus a few seconds. */
    static boolean sawFailedTask() throws InterruptedException {
        for (int i = 0; i < 100 && failedTasks.get() == 0; i++) Thread.sleep(50);
        return failedTasks.get() > 0;
    }

    static CompressionReport compress(MethodCase c, String out) throws IOException {
        return new Compressor(Fixtures.spark(), System.err::println).run(c.options(model.toUri().toString(), out));
    }

    static synchronized Map<String, byte[]> clean(MethodCase c) throws IOException {
        if (!clean.containsKey(c)) {
            Path out = shared.resolve("clean-" + c);
            compress(c, out.toUri().toString());
            clean.put(c, Stores.files(new org.apache.hadoop.fs.Path(out.toUri()), conf));
        }
        return clean.get(c);
    }

    /** Same files as the clean run, byte for byte, and a manifest that matches them. */
    static void assertSameAsClean(MethodCase c, String out) throws IOException {
        Map<String, byte[]> want = clean(c);
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out);
        Map<String, byte[]> got = Stores.files(dir, conf);
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), c + ": the clean run's files");
        for (String name : want.keySet()) {
            if (org.nowag.io.model.ModelFingerprint.RUN_FILES.contains(name)) continue;  // times, paths, master
            assertArrayEquals(want.get(name), got.get(name), c + ": " + name + " differs from the clean run");
        }
        assertEquals(List.of(), OutputManifest.verify(dir.getFileSystem(conf), dir), c + ": manifest matches the files");
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void aTaskThatThrowsOnItsFirstAttemptIsRetriedAndTheOutputIsTheCleanRunsBytes(MethodCase c) throws Exception {
        clean(c);
        System.setProperty("nowag.fault.throwOnce", TENSOR);
        String out = tmp.resolve("retried").toUri().toString();
        compress(c, out);
        assertTrue(sawFailedTask(), "the injected failure happened");
        assertSameAsClean(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void anExecutorThatDiesMidWriteOnLocalDiskLeavesNoTraceInTheOutput(MethodCase c) throws Exception {
        clean(c);
        System.setProperty("nowag.fault.dieMidWrite", TENSOR);
        String out = tmp.resolve("died").toUri().toString();
        compress(c, out);
        assertTrue(sawFailedTask(), "the injected death happened");
        assertSameAsClean(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void anExecutorThatDiesMidWriteOnHdfsLeavesNoTraceInTheOutput(MethodCase c) throws Exception {
        clean(c);
        System.setProperty("nowag.fault.dieMidWrite", TENSOR);
        String out = Stores.hdfs() + "/faults/died-" + c;
        compress(c, out);
        assertTrue(sawFailedTask(), "the injected death happened");
        assertSameAsClean(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void duplicateConcurrentAttemptsOfEveryTaskGiveTheCleanRunsBytes(MethodCase c) throws IOException {
        clean(c);
        // What speculation does: a second attempt of a task runs while the first still writes. Spark's local mode
        // never launches speculative attempts (spark.speculation is ignored there), so every task is submitted twice.
        System.setProperty("nowag.fault.duplicateTasks", "true");
        String out = tmp.resolve("twice").toUri().toString();
        compress(c, out);
        assertSameAsClean(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void anInterruptedRunIsResumedWritingOnlyTheShardsItHadNotCommitted(MethodCase c) throws IOException {
        clean(c);
        Path out = tmp.resolve("interrupted");
        CompressOptions opts = c.options(model.toUri().toString(), out.toUri().toString());
        assertThrows(IllegalStateException.class,
                () -> new Compressor(Fixtures.spark(), System.err::println).run(opts.failAfterParts(true)));
        // As if the driver had died before the last shard's task finished: its record is gone, its file too.
        Path records = out.resolve("_staging").resolve("shards");
        Path last;
        try (var files = Files.list(records)) {
            last = files.filter(f -> f.toString().endsWith(".json")).sorted().reduce((x, y) -> y).orElseThrow();
        }
        ShardRecord lost = ShardRecord.fromJson(Files.readString(last));
        Files.delete(last);
        Files.delete(out.resolve(lost.shard));
        CompressionReport resumed = new Compressor(Fixtures.spark(), System.err::println).run(opts.failAfterParts(false));
        assertEquals(1, resumed.shardsWritten, c + ": only the lost shard is written");
        assertEquals(lost.blocksComputed, resumed.kernelTasksRun, c + ": only its blocks are computed");
        assertSameAsClean(c, out.toUri().toString());
    }

    @Test
    void aDriverKilledMidJobIsResumedDoingOnlyTheMissingWorkAndItsUiHidesTheS3Secret() throws Exception {
        Path out = tmp.resolve("killed");
        Path records = out.resolve("_staging").resolve("shards");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dorg.bytedeco")
                    || arg.startsWith("-Djava.io.tmpdir")) cmd.add(arg);
        }
        int uiPort = Stores.freePorts(1)[0];
        // The S3 key given the way spark-submit users give it (spark.hadoop.*), with the UI on: its environment page
        // must redact it, and the child's output must not show it.
        cmd.addAll(List.of("-Dspark.ui.enabled=true", "-Dspark.ui.port=" + uiPort,
                "-Dspark.hadoop.fs.s3a.access.key=" + Stores.ACCESS_KEY, "-Dspark.hadoop.fs.s3a.secret.key=" + Stores.SECRET_KEY));
        cmd.addAll(List.of("-Xmx2g", "-Dnowag.fault.taskDelayMs=3000", "-cp", System.getProperty("java.class.path"),
                "org.nowag.job.cli.NowagCli", "compress", "--model", model.toString(), "--out", out.toString(),
                "--method", "magnitude", "--pattern", "2:4", "--block-mb", Double.toString(BLOCK_BYTES / 1048576.0),
                "--master", "local[2]"));
        Path log = tmp.resolve("child.log");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            String environment = null;
            while (countRecords(records) < 2 || environment == null) {
                if (environment == null) {
                    try {
                        environment = uiEnvironment(uiPort);
                    } catch (IOException notUpYet) {
                        // the UI starts with the context; try again
                    }
                }
                assertTrue(child.isAlive(), "the child run ended before it could be killed:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no shards after 4 minutes:\n" + Files.readString(log));
                Thread.sleep(100);
            }
        } finally {
            child.destroyForcibly();  // SIGKILL: no shutdown hooks, no cleanup
            child.waitFor(60, TimeUnit.SECONDS);
        }
        String childOutput = Files.readString(log);
        assertFalse(childOutput.contains(Stores.SECRET_KEY), "the S3 secret in the child's output");
        int committed = countRecords(records);
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        CompressOptions opts = MethodCase.MAGNITUDE.options(model.toUri().toString(), out.toUri().toString())
                .blockBytes(BLOCK_BYTES);
        int shards = Compressor.plan(opts, conf).plan.outputLayout.shardCount();
        assertTrue(committed >= 2 && committed < shards, "killed part-way: " + committed + " of " + shards + " shards");

        CompressionReport resumed = new Compressor(Fixtures.spark(), System.err::println).run(opts);
        assertEquals(shards - committed, resumed.shardsWritten, "only the missing shards are written");
        assertEquals(committed, resumed.shardsReused);
        assertEquals(120, resumed.kernelTasksRun + resumed.partsReused, "every block counted once");
        clean(MethodCase.MAGNITUDE);
        Map<String, byte[]> want = Fixtures.rawTensors(shared.resolve("clean-" + MethodCase.MAGNITUDE));
        Map<String, byte[]> got = Fixtures.rawTensors(out);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) assertArrayEquals(want.get(name), got.get(name), name);
        assertEquals(List.of(), OutputManifest.verify(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(out.toUri())));
    }

    /** The Spark UI's environment page, as its REST API serves it. */
    static String uiEnvironment(int port) throws IOException {
        String base = "http://127.0.0.1:" + port + "/api/v1/applications";
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(get(base));
        if (!id.find()) throw new IOException("no application listed by the UI yet");
        String env = get(base + "/" + id.group(1) + "/environment");
        assertTrue(env.contains("spark.hadoop.fs.s3a.secret.key"), "the key's name is on the page");
        assertFalse(env.contains(Stores.SECRET_KEY), "the S3 secret on the Spark UI environment page");
        assertTrue(env.contains("redacted"), env);
        return env;
    }

    static String get(String url) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static int countRecords(Path records) throws IOException {
        if (!Files.exists(records)) return 0;
        try (var files = Files.list(records)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".safetensors.json")).count();
        }
    }

    @Test
    void aWriteRefusedByAnHdfsSpaceQuotaEndsWithAClearErrorAndLeavesTheInputUntouched() throws Exception {
        DistributedFileSystem dfs = Stores.hdfsCluster().getFileSystem();
        org.apache.hadoop.fs.Path quota = new org.apache.hadoop.fs.Path("/quota");
        dfs.mkdirs(quota);
        dfs.setQuota(quota, HdfsConstants.QUOTA_DONT_SET, 12L << 20);  // 12 MiB: far less than the model
        List<FileDigest> before = inputDigests();
        String out = Stores.hdfs() + "/quota/out";

        IOException e = assertThrows(IOException.class, () -> compress(MethodCase.MAGNITUDE, out));
        String message = Stores.describe(e);
        assertTrue(message.toLowerCase().contains("quota"), message);
        assertTrue(message.contains("/quota"), "names where: " + message);
        assertEquals(before, inputDigests(), "the input model is untouched");
        org.apache.hadoop.fs.Path success = new org.apache.hadoop.fs.Path(out, "_SUCCESS");
        assertFalse(dfs.exists(success), "no model was published");
    }

    static List<FileDigest> inputDigests() throws IOException {
        FileSystem local = FileSystem.getLocal(conf);
        List<FileDigest> d = new ArrayList<>();
        try (var files = Files.list(model)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                d.add(FileDigest.of(local, new org.apache.hadoop.fs.Path(f.toUri())));
            }
        }
        return d;
    }
}
