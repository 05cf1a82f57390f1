package org.nowag.io.model;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.TensorInfo;

/**
 * A Hugging-Face-style model directory on any Hadoop FileSystem (file:, hdfs:, s3a:): config.json, and either
 * model.safetensors.index.json + shards or a single model.safetensors. Reads headers only.
 * The index may only name shard files inside this directory (no '/', '..', absolute paths or schemes).
 */
public final class ModelDirectory {
    public static ModelDirectory open(String uri, Configuration conf) throws IOException { throw new UnsupportedOperationException("todo"); }

    public FileSystem fileSystem() { throw new UnsupportedOperationException("todo"); }
    /** Fully qualified directory path. */
    public Path root() { throw new UnsupportedOperationException("todo"); }
    /** Every tensor, in shard order then offset order. */
    public List<TensorInfo> tensors() { throw new UnsupportedOperationException("todo"); }
    public TensorInfo tensor(String name) { throw new UnsupportedOperationException("todo"); }
    /** The fully qualified shard file holding this tensor. */
    public Path shardOf(String tensorName) { throw new UnsupportedOperationException("todo"); }
    /** config.json text, or null if absent. */
    public String configJson() { throw new UnsupportedOperationException("todo"); }
    /** Other files in the directory (tokenizer.json, ...): not safetensors, not the index, not config.json. */
    public List<Path> otherFiles() throws IOException { throw new UnsupportedOperationException("todo"); }
}
