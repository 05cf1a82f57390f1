package org.nowag.job.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorInfo;

/**
 * What a run will do, decided on the driver from headers only: the tensors to compress (each with its own method
 * and parameters), the output shards (each written by one task: the tensors of the input, in order, grouped), and
 * the fingerprint that identifies the run.
 */
public final class CompressionPlan {
    /** Every input tensor, in input order, and by name. */
    public final List<TensorInfo> inputs;
    private final Map<String, TensorInfo> inputsByName = new LinkedHashMap<>();
    /** The tensors to compress, by name, in input order. */
    public final Map<String, TargetTensor> targetsByName;
    public final List<TargetTensor> targets;
    /** Every input tensor name -> the input shard (fully qualified) holding it. */
    public final Map<String, String> sourceShards;
    /** Per output shard, the input tensors whose outputs it holds, in order. */
    public final List<List<String>> shardInputs;
    /** The output shards with the planned output tensors. */
    public final ShardLayout outputLayout;
    public final String fingerprint;
    /** Largest row block as float32: a bound on one task's input. */
    public final long largestBlockBytes;

    public CompressionPlan(List<TensorInfo> inputs, Map<String, TargetTensor> targets, Map<String, String> sourceShards,
                           List<List<String>> shardInputs, ShardLayout outputLayout, String fingerprint,
                           long largestBlockBytes) {
        this.inputs = List.copyOf(inputs);
        for (TensorInfo t : inputs) inputsByName.put(t.name(), t);
        this.targetsByName = new LinkedHashMap<>(targets);
        this.targets = List.copyOf(targets.values());
        this.sourceShards = Map.copyOf(sourceShards);
        List<List<String>> groups = new ArrayList<>();
        for (List<String> g : shardInputs) groups.add(List.copyOf(g));
        this.shardInputs = List.copyOf(groups);
        this.outputLayout = outputLayout;
        this.fingerprint = fingerprint;
        this.largestBlockBytes = largestBlockBytes;
    }

    /** Row blocks over all targets: the kernel invocations a fresh run makes. */
    public int blockCount() { return targets.stream().mapToInt(t -> t.blocks.size()).sum(); }

    public TargetTensor target(String name) { return targetsByName.get(name); }

    /**
     * The work of one output shard's task, in the planner's measure (float32 bytes of a compressed tensor, stored
     * bytes of a copied one): what orders the tasks, largest first, so that the last round is a short one.
     */
    public long shardWork(int shard) {
        long work = 0;
        for (String name : shardInputs.get(shard)) work += Planner.work(input(name), target(name));
        return work;
    }

    public TensorInfo input(String name) { return inputsByName.get(name); }
}
