package org.nowag.job.method;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.job.plan.TargetTensor;

/** One tensor for a plug-in to compute on an executor: the plan's target, its statistics and its prepared data. */
public final class TensorWork implements Serializable {
    private static final long serialVersionUID = 1L;
    public final TargetTensor target;
    /** diag(X^T X) of the layer; null = data-free. */
    public final float[] activations;
    /** What the plug-in's preparation left for this tensor; null when none. */
    public final Serializable prepared;

    public TensorWork(TargetTensor target, float[] activations, Serializable prepared) {
        this.target = target;
        this.activations = activations;
        this.prepared = prepared;
    }

    /** Rows [rowStart, rowStart + rows) as float32, refusing NaN and infinite weights ({@link NonFiniteWeights}). */
    public float[] readRows(Configuration conf, long rowStart, int rows) throws IOException {
        Path shard = new Path(target.shardPath);
        float[] w;
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            w = in.readRowsAsFloat(target.name(), rowStart, rows);
        }
        NonFiniteWeights.check(target.name(), w, rowStart, target.info.cols());
        return w;
    }

    /** The whole matrix as float32, checked as {@link #readRows} does. */
    public float[] readAll(Configuration conf) throws IOException {
        return readRows(conf, 0, Math.toIntExact(target.info.rows()));
    }

    /** The tensor's stored bytes, unchanged, to out. */
    public void copyRaw(Configuration conf, OutputStream out) throws IOException {
        Path shard = new Path(target.shardPath);
        try (SafetensorsFile in = SafetensorsFile.open(shard.getFileSystem(conf), shard)) {
            in.copyBytes(target.name(), 0, target.info.byteSize(), out);
        }
    }
}
