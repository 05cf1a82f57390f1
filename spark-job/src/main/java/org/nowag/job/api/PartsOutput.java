package org.nowag.job.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.exec.ShardSource;
import org.nowag.job.exec.ShardWriteTask;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.spark.HadoopConfBytes;

/**
 * The output steps that NoWag-VQ and ARMOR share: each compressed weight has one committed part file holding all of
 * its output tensors; shards are written on executors from those parts and the input shards, then published with
 * config.json (carrying the method's compression block) and the model's other files.
 */
final class PartsOutput {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PartsOutput() {}

    /**
     * Writes every shard not yet staged or published. weightOf maps an output tensor name to the weight whose part
     * holds it; a tensor not in it is copied from the input. Returns the number of shards written.
     */
    static int writeShards(JavaSparkContext spark, CompressionPlan plan, ShardLayout shards, Map<String, String> weightOf,
                           OutputLayout out, Broadcast<byte[]> conf) throws IOException {
        List<ShardWriteTask> tasks = new ArrayList<>();
        for (int i = 0; i < shards.shardCount(); i++) {
            Path staged = out.stagedShard(shards.shardName(i));
            if (out.fs().exists(staged) || out.fs().exists(new Path(out.root(), shards.shardName(i)))) continue;
            List<ShardSource> sources = new ArrayList<>();
            for (TensorSpec spec : shards.shardTensors(i)) {
                String weight = weightOf.get(spec.name());
                if (weight == null) {
                    sources.add(ShardSource.copyOf(plan.sourceShards.get(spec.name())));
                } else {
                    sources.add(ShardSource.fromPartTensor(out.part(weight, 0, 1).toString(), spec.name()));
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            tasks.add(new ShardWriteTask(staged.toString(), shards.shardTensors(i), sources, metadata));
        }
        if (!tasks.isEmpty()) {
            spark.setJobDescription("nowag write shards: " + tasks.size());
            try {
                spark.parallelize(tasks, tasks.size()).map(t -> t.run(HadoopConfBytes.fromBytes(conf.value()))).collect();
            } finally {
                spark.setJobDescription(null);
            }
        }
        return tasks.size();
    }

    /** Moves staged shards into place, then the index, config.json with the compression block, and other files. */
    static void publish(JavaSparkContext spark, Compressor.PlannedRun planned, ShardLayout layout, OutputLayout out,
                        ObjectNode compressionBlock) throws IOException {
        FileSystem fs = out.fs();
        for (int i = 0; i < layout.shardCount(); i++) {
            Path staged = out.stagedShard(layout.shardName(i));
            Path dest = new Path(out.root(), layout.shardName(i));
            if (fs.exists(staged) && !fs.exists(dest) && !fs.rename(staged, dest)) {
                throw new IOException("could not move " + staged + " to " + dest);
            }
        }
        if (layout.shardCount() > 1) {
            out.writeText(new Path(out.root(), ShardLayout.INDEX_FILE), layout.indexJson());
        }
        String config = planned.model.configJson();
        ObjectNode node = config == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(config);
        node.set("compression", compressionBlock);
        out.writeText(new Path(out.root(), "config.json"), JSON.writeValueAsString(node));
        for (Path other : planned.model.otherFiles()) {
            FileUtil.copy(planned.model.fileSystem(), other, fs, new Path(out.root(), other.getName()), false, true,
                    spark.hadoopConfiguration());
        }
    }
}
