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
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.calib.StatisticsFileWriter;
import org.nowag.job.calib.TextSource;
import org.nowag.job.calib.TokenWindows;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.StatisticsCollector;
import org.nowag.kernels.model.TokenBatch;

/**
 * {@code calibrate --full} with 8 partitions on MiniLM, summed on executors: the two files are byte for byte what
 * the driver-side sum wrote before (whole collectors per share of windows, merged in partition order on one JVM,
 * written by {@link StatisticsFileWriter}), and no task sends the driver more than a small, fixed amount: Spark's
 * own task result sizes, seen by a listener, stay far below one X^T X of the narrowest weight.
 */
class CalibrationOnExecutorsTest {
    static final int PARTITIONS = 8;
    static final int WINDOWS = 8;
    static final int SEQ_LEN = 32;
    static final long SEED = 11;
    /** Far below the narrowest MiniLM X^T X (384^2 floats = 576 KiB), and it does not grow with d_in or partitions. */
    static final long RESULT_BOUND = 64 << 10;

    @TempDir Path tmp;

    @Test
    void eightPartitionsOnMiniLmWriteTheDriverSumsBytesAndSendTheDriverOnlyNamesAndSizes() throws Exception {
        Path model = Fixtures.miniLm();
        List<String> texts = Corpora.uris(Corpora.sotu(1990, 1999));
        Path out = tmp.resolve("stats.safetensors");
        CalibrateOptions o = new CalibrateOptions();
        o.model = model.toUri().toString();
        o.texts = texts;
        o.samples = WINDOWS;
        o.seqLen = SEQ_LEN;
        o.seed = SEED;
        o.partitions = PARTITIONS;
        o.full = true;
        o.out = out.toString();

        ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>();  // {stage, result bytes}
        SparkListener listener = new SparkListener() {
            @Override public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) results.add(new long[] {end.stageId(), end.taskMetrics().resultSize()});
            }
        };
        Fixtures.spark().sc().addSparkListener(listener);
        Calibrator.Result r;
        try {
            r = new Calibrator(Fixtures.spark(), line -> { }).run(o);
            Fixtures.spark().sc().listenerBus().waitUntilEmpty();
        } finally {
            Fixtures.spark().sc().removeSparkListener(listener);
        }
        assertEquals(36, r.inputWidths.size());
        assertTrue(results.size() >= PARTITIONS + PARTITIONS + 2, "map, reduce and write tasks all reported: " + results.size());
        long largest = results.stream().mapToLong(x -> x[1]).max().orElseThrow();
        assertTrue(largest < RESULT_BOUND, "largest task result " + largest + " bytes");

        Path reference = tmp.resolve("reference").resolve("stats.safetensors");
        Files.createDirectories(reference.getParent());
        driverSum(o, reference);
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(out), "statistics file");
        Path full = tmp.resolve("stats.xtx.safetensors");
        Path referenceFull = reference.resolveSibling("stats.xtx.safetensors");
        assertEquals(Files.size(referenceFull), Files.size(full));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(referenceFull), Files.readAllBytes(full)), "X^T X file");
        try (var left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().endsWith(".sums")), "staging removed");
        }
    }

    /** The pre-executor calibration, kept here as the reference: whole collectors per share, summed in order. */
    static void driverSum(CalibrateOptions o, Path target) throws IOException {
        Configuration conf = new Configuration();
        ModelWeights m = ModelWeights.open(o.model, conf);
        Tokenizer tokenizer = TokenizerLoader.load(m.directory().fileSystem(), m.directory().root());
        List<int[]> windows = TokenWindows.of(tokenizer, TextSource.read(o.texts, conf)).sample(o.samples, o.seqLen, o.seed);
        StatisticsCollector total = new StatisticsCollector(o.full);
        for (int p = 0; p < o.partitions; p++) {
            List<int[]> share = new ArrayList<>(windows.subList(p * windows.size() / o.partitions,
                    (p + 1) * windows.size() / o.partitions));
            StatisticsCollector partial = new StatisticsCollector(o.full);
            BertEncoder.streamLayers(m.source(), m.bertConfig(), TokenBatch.of(share.toArray(new int[0][])), partial);
            total.merge(partial);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("statistic", "diag(X^T X): sum of x^2 over all calibration tokens, per input of each linear weight");
        meta.put("model", o.model);
        meta.put("text", String.join(",", o.texts));
        meta.put("samples", Integer.toString(o.samples));
        meta.put("seq_len", Integer.toString(o.seqLen));
        meta.put("seed", Long.toString(o.seed));
        meta.put("tokens", Long.toString((long) windows.size() * o.seqLen));
        // The run's fingerprint (model, text bytes, settings), by which a re-run finds the file complete.
        meta.put(org.nowag.job.commit.FileOutput.METADATA_KEY, org.nowag.job.calib.CalibrationOutput.fingerprint(o, conf));
        StatisticsFileWriter.write(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(target.toUri()), total, meta);
    }
}
