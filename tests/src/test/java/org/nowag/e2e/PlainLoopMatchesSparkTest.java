package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.tools.measure.HeapWatch;
import org.nowag.tools.measure.PlainLoop;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.plan.CompressionPlan;

/**
 * `bench` compares a compress run on Spark with PlainLoop, the same work without Spark: that comparison only means
 * something if both do the same work, so every tensor PlainLoop writes, pruned or copied, must equal the Spark run's
 * output byte for byte.
 */
class PlainLoopMatchesSparkTest {
    @TempDir Path tmp;

    @Test
    void plainLoopWritesExactlyTheTensorsTheSparkRunWrites() throws Exception {
        Path model = Fixtures.miniLm();
        Path out = tmp.resolve("spark");
        CompressOptions opts = new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.WANDA);
        new Compressor(Fixtures.spark(), System.err::println).run(opts);
        Map<String, byte[]> sparkTensors = Fixtures.rawTensors(out);

        Configuration conf = new Configuration();
        CompressionPlan plan = Compressor.plan(opts, conf).plan;
        List<TensorInfo> copied = plan.inputs.stream().filter(t -> !plan.targetsByName.containsKey(t.name())).toList();
        assertTrue(!copied.isEmpty(), "MiniLM has tensors the run copies (embeddings, norms, biases)");
        Path plainOut = tmp.resolve("plain");
        PlainLoop.Result r;
        try (HeapWatch heap = HeapWatch.start()) {
            r = PlainLoop.run(plan.targets, copied, plan.sourceShards, new org.apache.hadoop.fs.Path(plainOut.toUri()),
                    conf, 2);
            heap.close();
            assertTrue(heap.peakBytes() > 0 && heap.liveAfterGcBytes() > 0, "heap figures recorded");
        }
        assertEquals(MiniLmCompressionTest.LINEAR_WEIGHTS, r.tensors);
        assertEquals(plan.inputs.size(), sparkTensors.size());
        for (TensorInfo t : plan.inputs) {  // pruned and copied tensors alike
            assertArrayEquals(sparkTensors.get(t.name()), Files.readAllBytes(plainOut.resolve(t.name() + ".bin")),
                    t.name());
        }
    }

    @Test
    void heapWatchSeesALiveArrayThatSurvivesACollection() throws IOException {
        byte[] held;
        HeapWatch heap = HeapWatch.start();
        held = new byte[64 << 20];
        System.gc();
        long deadline = System.currentTimeMillis() + 5000;
        while (heap.liveAfterGcBytes() < held.length && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait(); // GC notifications arrive on another thread
        }
        heap.close();
        assertTrue(heap.liveAfterGcBytes() >= held.length, "live after GC " + heap.liveAfterGcBytes());
        assertTrue(heap.peakBytes() >= held.length, "peak " + heap.peakBytes());
        assertEquals(64 << 20, held.length);
    }
}
