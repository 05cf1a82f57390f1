package org.nowag.job.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.model.ShardLayout;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.kernels.prune.SparsityPattern;

/**
 * Plans a run from headers only: which tensors to compress, their row blocks, the output shard layout, and a
 * fingerprint that identifies the run (a re-run with the same fingerprint resumes instead of starting over).
 */
public final class Planner {
    /** A single task reads its block into one Java array. */
    static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 64L;

    private Planner() {}

    public static CompressionPlan plan(ModelDirectory model, CompressOptions opts, CalibrationStats stats) {
        TensorSelector selector = new TensorSelector(opts.include());
        SparsityPattern pattern = opts.pattern();
        List<TargetTensor> targets = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        List<TensorSpec> outputs = new ArrayList<>();
        long largest = 0;
        for (TensorInfo t : model.tensors()) {
            String shard = model.shardOf(t.name()).toString();
            sources.put(t.name(), shard);
            outputs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
            if (!selector.selects(t)) continue;
            try {
                pattern.checkShape(t.rows(), t.cols());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tensor " + t.name() + " " + shapeText(t) + ": " + e.getMessage(), e);
            }
            if (stats != null) stats.checkCovers(t.name(), t.cols());
            boolean wholeMatrix = opts.method() == CompressionMethod.SPARSEGPT;
            List<RowBlock> blocks = blocks(t, shard, wholeMatrix ? Long.MAX_VALUE : opts.blockBytes());
            if (wholeMatrix && blocks.size() > 1) {  // SparseGPT's sweep couples every row through the whole X^T X
                throw new IllegalArgumentException("tensor " + t.name() + " " + shapeText(t) + ": sparsegpt needs the "
                        + "whole matrix in one task, but it is larger than one Java array of float32 (2 GiB)");
            }
            for (RowBlock b : blocks) largest = Math.max(largest, b.floatBytes());
            targets.add(new TargetTensor(t, shard, blocks));
        }
        ShardLayout layout = ShardLayout.plan(outputs, opts.maxShardBytes());
        return new CompressionPlan(targets, sources, layout, fingerprint(model, opts, stats), largest);
    }

    /**
     * Every pattern splits by rows: ROW and N:M groups are row-local, and a whole-matrix group split in several
     * blocks finds its exact threshold from histogram passes over the blocks (BlockedThreshold).
     */
    static List<RowBlock> blocks(TensorInfo t, String shard, long blockBytes) {
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

    private static String fingerprint(ModelDirectory model, CompressOptions opts, CalibrationStats stats) {
        StringBuilder s = new StringBuilder("nowag-compress-v1\n");
        s.append("model=").append(model.root()).append('\n');
        for (TensorInfo t : model.tensors()) {
            s.append(t.name()).append(' ').append(t.dtype()).append(' ').append(java.util.Arrays.toString(t.shape()))
                    .append(' ').append(t.begin()).append(' ').append(t.end()).append(' ')
                    .append(model.shardOf(t.name()).getName()).append('\n');
        }
        s.append("method=").append(opts.method()).append('\n');
        s.append("pattern=").append(opts.pattern()).append('\n');
        s.append("include=").append(opts.include()).append('\n');
        s.append("blockBytes=").append(opts.blockBytes()).append('\n');
        s.append("maxShardBytes=").append(opts.maxShardBytes()).append('\n');
        if (opts.skipNonFinite()) s.append("skipNonFinite=true\n");
        s.append("calibration=").append(stats == null ? "none" : stats.fingerprint()).append('\n');
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String shapeText(TensorInfo t) {
        return java.util.Arrays.toString(t.shape());
    }
}
