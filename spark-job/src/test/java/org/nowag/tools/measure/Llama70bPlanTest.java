package org.nowag.tools.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.job.plan.MemoryEstimate;
import org.nowag.job.plan.TargetTensor;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * The 70B layout scale-proof plans on (sparse files: 138 GB of model and 392 GB of X^T X that take no disk): the real
 * parameter count, and a SparseGPT plan over it that accepts the calibration files and sizes every task by its shape.
 */
class Llama70bPlanTest {
    @TempDir
    Path dir;

    @Test
    void layoutHasLlama2_70bParameterCountAndSparseGptPlansAllLinearWeights() throws Exception {
        long params = Llama70bLayout.specs().stream().mapToLong(t -> t.byteSize() / 2).sum();
        assertEquals(68_976_648_192L, params, "Llama-2-70B's parameter count (hf config: 80 layers, GQA 8 KV heads)");

        Llama70bLayout.write(dir, name -> false, 1);
        Path stats = Llama70bLayout.writeCalibration(dir);
        assertTrue(Files.size(dir.resolve("stats.xtx.safetensors")) > 390e9, "X^T X of every layer, as holes");

        CompressOptions opts = new CompressOptions().model(dir.toUri().toString()).out("unused")
                .method(CompressionMethod.SPARSEGPT).pattern(SparsityPattern.nOfM(2, 4)).calibration(stats.toUri().toString());
        var run = Compressor.plan(opts, new Configuration());
        assertEquals(560, run.plan.targets.size(), "7 linear weights in each of 80 layers");
        long largest = 0;
        for (TargetTensor t : run.plan.targets) largest = Math.max(largest, MemoryEstimate.sparseGptTaskBytes(t.info));
        TargetTensor down = run.plan.target("model.layers.79.mlp.down_proj.weight");
        assertEquals(28672, down.info.cols());
        assertEquals(MemoryEstimate.sparseGptTaskBytes(down.info), largest, "down_proj (d_in = 28672) is the largest task");
    }
}
