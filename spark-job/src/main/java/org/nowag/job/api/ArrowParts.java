package org.nowag.job.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.exec.ArrowPartsTask;
import org.nowag.job.spark.HadoopConfBytes;

/**
 * The compressed parts of a published model (VQ codes/codebooks/norms, ARMOR blocks and core) as Arrow IPC files:
 * for each shard holding parts, {@code STEM.parts.arrow} beside it (e.g. model.safetensors -> model.parts.arrow), written
 * by executors from the published shard. A file left by an interrupted run is kept (it is only ever renamed into
 * place whole), so a re-run writes only what is missing.
 */
final class ArrowParts {
    static final String SUFFIX = ".parts.arrow";

    private ArrowParts() {}

    static String fileFor(String shardName) {
        String stem = shardName.endsWith(".safetensors") ? shardName.substring(0, shardName.length() - 12) : shardName;
        return stem + SUFFIX;
    }

    /** Writes the missing Arrow files; returns how many it wrote. */
    static int write(JavaSparkContext spark, OutputLayout out, ShardLayout layout, Predicate<String> isPart,
                     Broadcast<byte[]> conf, Consumer<String> log) throws IOException {
        List<ArrowPartsTask> tasks = new ArrayList<>();
        for (int i = 0; i < layout.shardCount(); i++) {
            List<String> parts = new ArrayList<>();
            for (TensorSpec t : layout.shardTensors(i)) {
                if (isPart.test(t.name())) parts.add(t.name());
            }
            Path target = new Path(out.root(), fileFor(layout.shardName(i)));
            if (parts.isEmpty() || out.fs().exists(target)) continue;
            tasks.add(new ArrowPartsTask(new Path(out.root(), layout.shardName(i)).toString(), target.toString(), parts));
        }
        if (tasks.isEmpty()) return 0;
        String description = "nowag write Arrow parts: " + tasks.size() + " files";
        log.accept(description);
        spark.setJobDescription(description);
        try {
            List<FileDigest> written = spark.parallelize(tasks, tasks.size())
                    .map(t -> t.run(HadoopConfBytes.fromBytes(conf.value()))).collect();
            return written.size();
        } finally {
            spark.setJobDescription(null);
        }
    }
}
