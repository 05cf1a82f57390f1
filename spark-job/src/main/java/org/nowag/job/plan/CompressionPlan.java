package org.nowag.job.plan;

import java.util.List;
import java.util.Map;
import org.nowag.io.model.ShardLayout;

/** What a run will do, decided on the driver from headers only. */
public final class CompressionPlan {
    public final List<TargetTensor> targets;
    /** Every input tensor name -> the input shard (fully qualified) holding it. */
    public final Map<String, String> sourceShards;
    public final ShardLayout outputLayout;
    public final String fingerprint;
    /** Largest row block as float32: a bound on one task's input. */
    public final long largestBlockBytes;

    public CompressionPlan(List<TargetTensor> targets, Map<String, String> sourceShards, ShardLayout outputLayout,
                           String fingerprint, long largestBlockBytes) {
        this.targets = List.copyOf(targets);
        this.sourceShards = Map.copyOf(sourceShards);
        this.outputLayout = outputLayout;
        this.fingerprint = fingerprint;
        this.largestBlockBytes = largestBlockBytes;
    }

    public int blockCount() { return targets.stream().mapToInt(t -> t.blocks.size()).sum(); }

    public TargetTensor target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }
}
