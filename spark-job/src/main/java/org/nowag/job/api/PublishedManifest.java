package org.nowag.job.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.fs.FileDigest;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.exec.DigestTask;
import org.nowag.job.spark.HadoopConfBytes;

/**
 * Writes _MANIFEST.json (size and SHA-256 of every published file) for an output whose files are all in place:
 * the large files (shards, Arrow parts) are hashed on executors, where the data is, the small ones on the driver.
 * Call it after everything else is published and before _SUCCESS.
 */
final class PublishedManifest {
    private PublishedManifest() {}

    static void write(JavaSparkContext spark, OutputLayout out, String fingerprint, Broadcast<byte[]> conf)
            throws IOException {
        List<FileDigest> all = new ArrayList<>();
        List<DigestTask> large = new ArrayList<>();
        for (FileStatus st : out.fs().listStatus(out.root())) {
            String name = st.getPath().getName();
            if (!st.isFile() || name.startsWith(".") || name.startsWith("_")) continue;  // _staging, _SUCCESS, manifest
            if (name.endsWith(".safetensors") || name.endsWith(ArrowParts.SUFFIX)) {
                large.add(new DigestTask(st.getPath().toString()));
            } else {
                all.add(FileDigest.of(out.fs(), st.getPath()));
            }
        }
        if (!large.isEmpty()) {
            spark.setJobDescription("nowag checksum " + large.size() + " files");
            try {
                all.addAll(spark.parallelize(large, large.size())
                        .map(t -> t.run(HadoopConfBytes.fromBytes(conf.value()))).collect());
            } finally {
                spark.setJobDescription(null);
            }
        }
        out.writeText(out.manifest(), OutputManifest.toJson(fingerprint, all));
    }
}
