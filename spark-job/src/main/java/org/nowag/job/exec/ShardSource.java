package org.nowag.job.exec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Where an output tensor's bytes come from: the input shard unchanged, or the committed parts in block order. */
public final class ShardSource implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String inputShard;
    public final List<String> parts;
    /** The tensor to copy out of each part; null = PruneTask.PART_TENSOR. */
    public final String partTensor;

    private ShardSource(String inputShard, List<String> parts) {
        this(inputShard, parts, null);
    }

    private ShardSource(String inputShard, List<String> parts, String partTensor) {
        this.inputShard = inputShard;
        this.parts = parts;
        this.partTensor = partTensor;
    }

    /** One named tensor of one part (a VQ part holds several tensors). */
    public static ShardSource fromPartTensor(String part, String tensor) {
        List<String> parts = new ArrayList<>();
        parts.add(part);
        return new ShardSource(null, parts, tensor);
    }

    public static ShardSource copyOf(String inputShard) { return new ShardSource(inputShard, null); }

    /** A mutable copy: Kryo rebuilds the list with add(). */
    public static ShardSource fromParts(List<String> parts) { return new ShardSource(null, new ArrayList<>(parts)); }

    public boolean isCopy() { return inputShard != null; }
}
