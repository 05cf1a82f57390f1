package org.nowag.job.plan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;

/**
 * A tensor the run compresses: its own method and parameters (a run may give different tensors different ones),
 * the row blocks its task reads in order, and the output tensors that replace it, in order.
 */
public final class TargetTensor implements Serializable {
    private static final long serialVersionUID = 1L;
    public final TensorInfo info;
    public final String shardPath;
    public final MethodPlugin method;
    public final MethodParams params;
    /** Mutable copies: Spark's Kryo rebuilds collections with add(), which List.of refuses. */
    public final ArrayList<RowBlock> blocks;
    public final ArrayList<TensorSpec> outputs;

    public TargetTensor(TensorInfo info, String shardPath, MethodPlugin method, MethodParams params,
                        List<RowBlock> blocks, List<TensorSpec> outputs) {
        this.info = info;
        this.shardPath = shardPath;
        this.method = method;
        this.params = params;
        this.blocks = new ArrayList<>(blocks);
        this.outputs = new ArrayList<>(outputs);
    }

    public String name() { return info.name(); }

    /** The output spec of an unchanged tensor: its own name, dtype and shape. */
    public static TensorSpec sameAs(TensorInfo t) {
        return new TensorSpec(t.name(), t.dtype(), t.shape());
    }
}
