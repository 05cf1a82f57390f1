package org.nowag.job.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.method.MethodParams;
import org.nowag.job.method.MethodPlugin;
import org.nowag.job.method.PlanContext;

/**
 * Plans a run from headers only: which tensors to compress with which method and parameters (the recipe), what
 * each becomes (the method's plan), how the output is cut into shards (one task each), and a fingerprint that
 * identifies the run (a re-run with the same fingerprint resumes instead of starting over).
 */
public final class Planner {
    /** A single task reads its block into one Java array. */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 64L;

    private Planner() {}

    public static CompressionPlan plan(ModelDirectory model, Recipe recipe, CompressOptions run, CalibrationStats stats,
                                       Configuration conf) throws IOException {
        PlanContext ctx = new PlanContext(conf, run.calibration(), stats, run.blockBytes());
        Map<Recipe.Rule, MethodParams> params = new IdentityHashMap<>();
        Map<String, TargetTensor> targets = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        long largest = 0;
        for (TensorInfo t : model.tensors()) {
            String shard = model.shardOf(t.name()).toString();
            sources.put(t.name(), shard);
            Recipe.Rule rule = recipe.ruleFor(t);
            if (rule == null || rule.method == null) continue;
            MethodParams p;
            if (recipe.hasOwnSettings(t.name())) {
                p = rule.method.params(recipe.settingsFor(rule, t.name()), ctx);  // a budget's choice for this tensor
            } else {
                p = params.get(rule);
                if (p == null) {
                    p = rule.method.params(rule.settings, ctx);
                    params.put(rule, p);
                }
            }
            if (stats != null) stats.checkCovers(t.name(), t.cols());
            TargetTensor target = rule.method.plan(t, shard, p, ctx);
            for (RowBlock b : target.blocks) largest = Math.max(largest, b.floatBytes());
            targets.put(t.name(), target);
        }
        StringBuilder inputs = new StringBuilder();
        Map<String, List<TargetTensor>> byMethod = new LinkedHashMap<>();
        for (TargetTensor t : targets.values()) byMethod.computeIfAbsent(t.method.name(), k -> new ArrayList<>()).add(t);
        for (List<TargetTensor> mine : byMethod.values()) {
            String id = mine.get(0).method.checkInputs(mine, ctx);
            if (!id.isEmpty()) inputs.append(mine.get(0).method.name()).append(": ").append(id).append('\n');
        }
        List<List<String>> groups = shardGroups(model.tensors(), targets, run.blockBytes(), run.maxShardBytes());
        List<List<TensorSpec>> specs = new ArrayList<>();
        for (List<String> g : groups) {
            List<TensorSpec> s = new ArrayList<>();
            for (String name : g) {
                TargetTensor target = targets.get(name);
                if (target != null) {
                    s.addAll(target.outputs);
                } else {
                    s.add(TargetTensor.sameAs(model.tensor(name)));
                }
            }
            specs.add(s);
        }
        ShardLayout layout = ShardLayout.ofGroups(specs);
        String fingerprint = fingerprint(model, recipe, targets, run, stats, inputs.toString());
        return new CompressionPlan(model.tensors(), targets, sources, groups, layout, fingerprint, largest);
    }

    /** The most work one shard task takes by default, whatever the model's size: 1 GiB of float32. */
    static final long MAX_TASK_BYTES = 1L << 30;
    /** A model is cut into at least this many shard tasks when --block-mb allows (parallelism on small models). */
    static final int MIN_TASKS = 8;

    /**
     * Cuts the input tensors, in order, into groups, each written by one task as one output shard. A group takes
     * tensors while their work (float32 bytes of a compressed tensor, stored bytes of a copied one) stays within
     * max(blockBytes, min(1 GiB, total work / 8)) and their output bytes within maxShardBytes (Hugging Face's
     * max_shard_size, tensor bytes only); a tensor of a method with a task per tensor never shares its group with
     * another one. A tensor larger than the limits is a group of its own. The cut depends on the model and the
     * options only, never on the cluster, so a resumed run finds the same shards.
     */
    static List<List<String>> shardGroups(List<TensorInfo> tensors, Map<String, TargetTensor> targets, long blockBytes,
                                          long maxShardBytes) {
        long totalWork = 0;
        for (TensorInfo t : tensors) totalWork += work(t, targets.get(t.name()));
        long taskBytes = Math.max(blockBytes, Math.min(MAX_TASK_BYTES, totalWork / MIN_TASKS));
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long work = 0;
        long bytes = 0;
        boolean hasOwnTask = false;
        for (TensorInfo t : tensors) {
            TargetTensor target = targets.get(t.name());
            long w = work(t, target);
            long b = target == null ? t.byteSize() : target.outputs.stream().mapToLong(TensorSpec::byteSize).sum();
            boolean own = target != null && target.method.taskPerTensor();
            if (!current.isEmpty() && (work + w > taskBytes || bytes + b > maxShardBytes || (own && hasOwnTask))) {
                groups.add(current);
                current = new ArrayList<>();
                work = 0;
                bytes = 0;
                hasOwnTask = false;
            }
            current.add(t.name());
            work += w;
            bytes += b;
            hasOwnTask |= own;
        }
        if (!current.isEmpty() || groups.isEmpty()) groups.add(current);
        return groups;
    }

    static long work(TensorInfo t, TargetTensor target) {
        return target == null ? t.byteSize() : Math.multiplyExact(t.numel(), (long) Float.BYTES);
    }

    /**
     * Every pattern splits by rows: ROW and N:M groups are row-local, and a whole-matrix group split in several
     * blocks finds its exact threshold from histogram passes over the blocks (BlockedThreshold).
     */
    public static List<RowBlock> rowBlocks(TensorInfo t, String shard, long blockBytes) {
        long rowFloatBytes = t.cols() * Float.BYTES;
        long rowsPerBlock = Math.max(1, Math.min(t.rows(), Math.min(blockBytes, MAX_BLOCK_BYTES) / rowFloatBytes));
        if (rowsPerBlock * rowFloatBytes > MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("tensor " + t.name() + " " + shapeText(t) + ": one row is "
                    + rowFloatBytes + " bytes as float32, more than one task can hold");
        }
        int count = Math.toIntExact((t.rows() + rowsPerBlock - 1) / rowsPerBlock);
        List<RowBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = i * rowsPerBlock;
            int rows = (int) Math.min(rowsPerBlock, t.rows() - start);
            blocks.add(new RowBlock(shard, t, start, rows, i, count));
        }
        return blocks;
    }

    /** The whole matrix as one block, for methods that couple every row; refuses one larger than a Java array. */
    public static List<RowBlock> wholeMatrix(TensorInfo t, String shard, String method) {
        if (t.numel() > MAX_BLOCK_BYTES / Float.BYTES) {
            throw new IllegalArgumentException("tensor " + t.name() + " " + shapeText(t) + ": " + method + " needs the "
                    + "whole matrix in one task, but it is larger than one Java array of float32 (2 GiB)");
        }
        List<RowBlock> one = new ArrayList<>();
        one.add(new RowBlock(shard, t, 0, Math.toIntExact(t.rows()), 0, 1));
        return one;
    }

    private static String fingerprint(ModelDirectory model, Recipe recipe, Map<String, TargetTensor> targets,
                                      CompressOptions run, CalibrationStats stats, String inputs) {
        StringBuilder s = new StringBuilder("nowag-compress-v2\n");
        s.append("recipe=").append(recipe.fingerprintText()).append('\n');
        s.append("model=").append(model.root()).append('\n');
        for (TensorInfo t : model.tensors()) {
            s.append(t.name()).append(' ').append(t.dtype()).append(' ').append(Arrays.toString(t.shape()))
                    .append(' ').append(t.begin()).append(' ').append(t.end()).append(' ')
                    .append(model.shardOf(t.name()).getName()).append('\n');
        }
        for (TargetTensor t : targets.values()) {
            s.append("target ").append(t.name()).append(' ').append(t.method.name()).append(' ')
                    .append(t.params.identity()).append('\n');
        }
        s.append("blockBytes=").append(run.blockBytes()).append('\n');
        s.append("maxShardBytes=").append(run.maxShardBytes()).append('\n');
        if (run.skipNonFinite()) s.append("skipNonFinite=true\n");
        // Only when given, so the fingerprints of runs without it stay what they were (their outputs resume).
        if (!run.keepFiles().isEmpty()) s.append("keepFiles=").append(String.join("\u0000", run.keepFiles())).append('\n');
        s.append("calibration=").append(stats == null ? "none" : stats.fingerprint()).append('\n');
        s.append(inputs);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String shapeText(TensorInfo t) {
        return Arrays.toString(t.shape());
    }
}
