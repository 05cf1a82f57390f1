package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.arrow.TensorArrowFile;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Writes the compressed parts of one published shard (e.g. a weight's VQ codes, codebook and norms) again as an
 * Arrow IPC file beside it, on an executor: it reads the shard it names, one tensor at a time, so no tensor bytes
 * pass through the driver. Temp name then rename (or a direct write on S3), like every output file.
 */
public final class ArrowPartsTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public String shardPath;
    public String arrowPath;
    /** Names of the shard's tensors to write, in order (a mutable list: Spark's Kryo rebuilds it with add). */
    public ArrayList<String> tensors;

    public ArrowPartsTask() { }

    public ArrowPartsTask(String shardPath, String arrowPath, List<String> tensors) {
        this.shardPath = shardPath;
        this.arrowPath = arrowPath;
        this.tensors = new ArrayList<>(tensors);
    }

    /** Writes the file and returns its size and SHA-256 (hashed while writing, for the output manifest). */
    public FileDigest run(Configuration conf) throws IOException {
        Path shard = new Path(shardPath);
        Path target = new Path(arrowPath);
        FileDigest[] digest = new FileDigest[1];
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            List<TensorSpec> specs = new ArrayList<>();
            for (String name : tensors) {
                TensorInfo t = in.header().tensor(name);
                specs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("source_shard", shard.getName());
            AtomicFiles.write(target.getFileSystem(conf), target, raw -> {
                FileDigest.Counting out = new FileDigest.Counting(raw);
                TensorArrowFile.write(out, specs, metadata, spec -> in.readBytes(spec.name(), 0, (int) spec.byteSize()));
                out.close();
                digest[0] = out.digest(target.getName());
            });
        }
        return digest[0];
    }
}
