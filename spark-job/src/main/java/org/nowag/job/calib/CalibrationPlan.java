package org.nowag.job.calib;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.kernels.model.GramRowChunks;

/**
 * How {@code calibrate} would run on a model, from its tensor list alone: tasks, what each reads and writes, and the
 * calibrate-specific memory of its tasks ({@link CalibrationMemory}). Linear weights are the 2-D tensors of the
 * transformer layers ({@code model.layers.N.} or {@code encoder.layer.N.}); weights of one layer with the same input
 * width that the forward pass feeds one array (q/k/v, gate/up) are one distinct input.
 */
public final class CalibrationPlan {
    public final int mapTasks;
    public final int reduceTasks;
    public final long tokensPerMapTask;
    /** The whole model, read by every map task (each walks every layer). */
    public final long modelBytes;
    /** Bytes of one layer's weights once loaded (float32). */
    public final long largestLayerFloatBytes;
    /** Calibrate's own heap in a map task on the widest layer (its inputs and one band). */
    public final long mapHeapBytes;
    /** ND4J's off-heap X and band in a map task on its widest input. */
    public final long mapOffHeapBytes;
    /** Partial sums (double) each map task hands to the shuffle. */
    public final long shuffleBytesPerMapTask;
    /** Shuffle bytes each reduce task reads (an even spread of pieces). */
    public final long shuffleBytesPerReduceTask;
    public final long reduceHeapBytes;
    /** The statistics file, and with --full the X^T X file; each written by one task that reads its staged pieces. */
    public final long statisticsFileBytes;
    public final long fullFileBytes;
    public final int weights;

    private CalibrationPlan(int mapTasks, int reduceTasks, long tokensPerMapTask, long modelBytes,
                            long largestLayerFloatBytes, long mapHeapBytes, long mapOffHeapBytes, long shuffleBytesPerMapTask,
                            long shuffleBytesPerReduceTask, long reduceHeapBytes, long statisticsFileBytes,
                            long fullFileBytes, int weights) {
        this.mapTasks = mapTasks;
        this.reduceTasks = reduceTasks;
        this.tokensPerMapTask = tokensPerMapTask;
        this.modelBytes = modelBytes;
        this.largestLayerFloatBytes = largestLayerFloatBytes;
        this.mapHeapBytes = mapHeapBytes;
        this.mapOffHeapBytes = mapOffHeapBytes;
        this.shuffleBytesPerMapTask = shuffleBytesPerMapTask;
        this.shuffleBytesPerReduceTask = shuffleBytesPerReduceTask;
        this.reduceHeapBytes = reduceHeapBytes;
        this.statisticsFileBytes = statisticsFileBytes;
        this.fullFileBytes = fullFileBytes;
        this.weights = weights;
    }

    public static CalibrationPlan of(List<TensorSpec> tensors, int samples, int seqLen, int partitions, int reducers,
                                     boolean full) {
        int maps = Math.max(1, Math.min(samples, partitions));
        long tokens = (long) samples * seqLen / maps + (samples % maps == 0 ? 0 : seqLen);
        long model = 0;
        Map<String, Long> layerBytes = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> layerInputs = new LinkedHashMap<>();
        long shuffle = 0;
        long stats = 0;
        long fullFile = 0;
        int weights = 0;
        int widest = 0;
        for (TensorSpec t : tensors) {
            model += t.byteSize();
            String layer = layerOf(t.name());
            if (layer == null || t.shape().length != 2) continue;
            int dIn = Math.toIntExact(t.shape()[1]);
            weights++;
            widest = Math.max(widest, dIn);
            layerBytes.merge(layer, t.shape()[0] * t.shape()[1] * 4, Long::sum);
            layerInputs.computeIfAbsent(layer, l -> new LinkedHashMap<>()).put(inputOf(layer, t.name()), dIn);
            shuffle += 8L * dIn * (full ? 1L + dIn : 1L);
            stats += 4L * dIn;
            fullFile += 4L * dIn * dIn;
        }
        long mapHeap = 0;
        for (Map<String, Integer> inputs : layerInputs.values()) {
            int[] widths = inputs.values().stream().mapToInt(Integer::intValue).toArray();
            mapHeap = Math.max(mapHeap, full ? CalibrationMemory.mapHeapBytes(tokens, widths)
                    : tokens * java.util.Arrays.stream(widths).asLongStream().sum() * 4);
        }
        long largestLayer = layerBytes.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return new CalibrationPlan(maps, reducers, tokens, model, largestLayer, mapHeap,
                full ? CalibrationMemory.mapOffHeapBytes(tokens, widest) : 0, shuffle, shuffle * maps / reducers,
                full ? CalibrationMemory.reduceHeapBytes(widest) : 8L * widest * 3, stats, full ? fullFile : 0, weights);
    }

    /** Which input a weight multiplies: q/k/v (query/key/value) share one, as do Llama's gate and up. */
    static String inputOf(String layer, String name) {
        String rest = name.substring(layer.length());
        if (rest.matches("self_attn\\.[qkv]_proj\\.weight|attention\\.self\\.(query|key|value)\\.weight")) return "qkv";
        if (rest.matches("mlp\\.(gate|up)_proj\\.weight")) return "gate-up";
        return rest;
    }

    private static String layerOf(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(model\\.layers\\.\\d+\\.|encoder\\.layer\\.\\d+\\.)").matcher(name);
        return m.find() ? m.group(1) : null;
    }

    /** Band rows of the widest input: how finely the largest matrix is cut for the shuffle. */
    public static int bandRows(int dIn) { return GramRowChunks.bandRows(dIn); }
}
