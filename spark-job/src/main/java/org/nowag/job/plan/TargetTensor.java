package org.nowag.job.plan;

import java.util.List;
import org.nowag.io.safetensors.TensorInfo;

/** A tensor the method compresses, with its row blocks in order. */
public final class TargetTensor {
    public final TensorInfo info;
    public final String shardPath;
    public final List<RowBlock> blocks;

    public TargetTensor(TensorInfo info, String shardPath, List<RowBlock> blocks) {
        this.info = info;
        this.shardPath = shardPath;
        this.blocks = List.copyOf(blocks);
    }

    public String name() { return info.name(); }
}
