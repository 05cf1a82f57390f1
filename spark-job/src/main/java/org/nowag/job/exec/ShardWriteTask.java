package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Writes one output shard on an executor, streaming each tensor from its source (input shard or committed parts),
 * so tensor bytes never pass through the driver. Temp name, then rename, like every part.
 */
public final class ShardWriteTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String targetPath;
    public final List<TensorSpec> tensors;
    public final List<ShardSource> sources;
    public final Map<String, String> metadata;

    public ShardWriteTask(String targetPath, List<TensorSpec> tensors, List<ShardSource> sources, Map<String, String> metadata) {
        this.targetPath = targetPath;
        // Mutable copies: Spark's Kryo rebuilds collections with add/put, which List.of/Map.of refuse.
        this.tensors = new ArrayList<>(tensors);
        this.sources = new ArrayList<>(sources);
        this.metadata = new LinkedHashMap<>(metadata);
    }

    /** Writes the shard and returns its size and SHA-256 (hashed while writing, for the output manifest). */
    public FileDigest run(Configuration conf) throws IOException {
        Path target = new Path(targetPath);
        Map<String, SafetensorsFile> open = new HashMap<>();
        int[] next = {0};  // the writer asks for tensors in list order
        FileDigest[] digest = new FileDigest[1];
        try {
            AtomicFiles.write(target.getFileSystem(conf), target, raw -> {
                FileDigest.Counting out = new FileDigest.Counting(raw);
                SafetensorsWriter.write(out, tensors, metadata, (spec, o) -> {
                        ShardSource src = sources.get(next[0]++);
                        if (src.isCopy()) {
                            open(open, src.inputShard, conf).copyBytes(spec.name(), 0, spec.byteSize(), o);
                        } else {
                            String name = src.partTensor != null ? src.partTensor : PruneTask.PART_TENSOR;
                            for (String part : src.parts) {
                                try (SafetensorsFile f = SafetensorsFile.open(new Path(part).getFileSystem(conf), new Path(part))) {
                                    f.copyBytes(name, 0, f.header().tensor(name).byteSize(), o);
                                }
                            }
                        }
                    });
                out.close();
                digest[0] = out.digest(target.getName());
            });
        } finally {
            for (SafetensorsFile f : open.values()) f.close();
        }
        return digest[0];
    }

    private static SafetensorsFile open(Map<String, SafetensorsFile> open, String path, Configuration conf) throws IOException {
        SafetensorsFile f = open.get(path);
        if (f == null) {
            Path p = new Path(path);
            f = SafetensorsFile.open(p.getFileSystem(conf), p);
            open.put(path, f);
        }
        return f;
    }
}
