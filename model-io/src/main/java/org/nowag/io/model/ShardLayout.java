package org.nowag.io.model;

import java.io.Serializable;
import java.util.List;
import org.nowag.io.safetensors.TensorSpec;

/**
 * HF sharded layout: tensors in order, a new shard when the next tensor would pass maxShardBytes (a tensor larger
 * than the limit gets a shard of its own). One shard is named model.safetensors, n shards model-0000k-of-0000n.safetensors.
 */
public final class ShardLayout implements Serializable {
    public static ShardLayout plan(List<TensorSpec> tensors, long maxShardBytes) { throw new UnsupportedOperationException("todo"); }

    public int shardCount() { throw new UnsupportedOperationException("todo"); }
    public String shardName(int shard) { throw new UnsupportedOperationException("todo"); }
    public List<TensorSpec> shardTensors(int shard) { throw new UnsupportedOperationException("todo"); }
    /** model.safetensors.index.json content: {"metadata":{"total_size":...},"weight_map":{name: shard file}}. */
    public String indexJson() { throw new UnsupportedOperationException("todo"); }
}
