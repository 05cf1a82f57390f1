package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Nowag;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.RowBlock;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.progress.ProgressLine;
import org.nowag.job.run.CompressionRun;

/** compress --dry-run through bin/nowag in its own JVM: the plan, memory and time, with nothing written and no Spark. */
class CompressDryRunTest {
    @TempDir Path tmp;

    ProcessRun dryRun(Path out, String master) throws Exception {
        return ProcessRun.run(tmp, List.of(ProcessRun.repoRoot().resolve("bin/nowag").toString(), "compress",
                        "--model", Fixtures.miniLm().toString(), "--out", out.toString(), "--method", "magnitude",
                        "--pattern", "2:4", "--master", master, "--dry-run"),
                Map.of("NOWAG_CLASSPATH", NotebooksTest.testClasspath(), "JAVA_HOME", System.getProperty("java.home")), 120);
    }

    @Test
    void dryRunPrintsThePlanTheLargestTaskAndATimeFromTheMeasuredRateAndWritesNothing() throws Exception {
        Path out = tmp.resolve("minilm-24");
        ProcessRun run = dryRun(out, "local[2]");
        assertEquals(0, run.exitCode, run.output);
        assertFalse(Files.exists(out), "nothing written");
        assertTrue(run.output.contains("dry run: nothing written, Spark not started\n"), run.output);

        // The same plan, made here from the headers, and the memory formula of its largest task.
        CompressOptions opts = Nowag.nOfM(Fixtures.miniLm().toString(), out.toString(), "magnitude", 2, 4);
        CompressionRun.Planned plan = Compressor.plan(opts, new Configuration());
        long modelBytes = plan.model.tensors().stream().mapToLong(TensorInfo::byteSize).sum();
        long targetBytes = plan.plan.targets.stream().mapToLong(t -> t.info.byteSize()).sum();
        long maxTask = 0;
        for (TargetTensor t : plan.plan.targets) {
            for (RowBlock b : t.blocks) maxTask = Math.max(maxTask, MemoryEstimate.pruneTaskBytes(t.info, b.rowCount));
        }
        assertTrue(run.output.contains(String.format(Locale.ROOT, "plan     36 tensors (%s) to compress with magnitude 2:4 in %d tasks;",
                ProgressLine.bytes(targetBytes), plan.plan.blockCount())), run.output);
        assertTrue(run.output.contains("output   " + out + " (does not exist: compress creates it)"), run.output);
        assertTrue(run.output.contains(String.format(Locale.ROOT, "memory   largest task: %.1f MiB of executor heap", maxTask / 1048576.0)),
                run.output);
        // magnitude ran 0.967 GB in 9.19 s on 2 cores in the dated bench; this model on local[2]'s 2 slots:
        String expected = ProgressLine.duration(9.19 * 2 / 0.967 * modelBytes / 1e9 / 2);
        assertTrue(run.output.contains("time     about " + expected + " on 2 task slot(s) (local[2]), at 19 core-seconds per GB"),
                run.output);
    }

    @Test
    void dryRunStartsNoSparkSoEvenAMasterSparkCannotParseIsNoError() throws Exception {
        ProcessRun run = dryRun(tmp.resolve("x"), "bogus://nowhere");
        assertEquals(0, run.exitCode, run.output);  // SparkContext would fail: "Could not parse Master URL"
        assertTrue(run.output.contains("bogus://nowhere gives no executor count"), run.output);
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
