package org.nowag.job.api;

import java.io.Serializable;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.VqConfig;

/** Everything that defines a compression run. Two runs with equal options on the same input write the same output. */
public final class CompressOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Linear weights inside transformer blocks: model.layers.N.*_proj.weight (Llama), encoder.layer.N.*.weight (BERT). */
    public static final String DEFAULT_INCLUDE = ".*\\.layers?\\.\\d+\\..*\\.weight";
    public static final long DEFAULT_BLOCK_BYTES = 256L << 20;
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private String model;
    private String out;
    private CompressionMethod method = CompressionMethod.NOWAG_P;
    private SparsityPattern pattern;
    private String calibration;
    private String include = DEFAULT_INCLUDE;
    private long blockBytes = DEFAULT_BLOCK_BYTES;
    private long maxShardBytes = DEFAULT_SHARD_BYTES;
    private boolean failAfterParts;
    private boolean skipNonFinite;
    private VqConfig vq = VqConfig.defaults();
    private ArmorConfig armor = ArmorConfig.defaults();
    private org.nowag.kernels.quant.RtnConfig rtn = org.nowag.kernels.quant.RtnConfig.int_(4);
    private boolean vqRowBlocks;
    private boolean noConfig;
    private java.util.List<String> keepFiles = java.util.List.of();

    public String model() { return model; }
    public CompressOptions model(String v) { model = v; return this; }
    public String out() { return out; }
    public CompressOptions out(String v) { out = v; return this; }
    public CompressionMethod method() { return method; }
    public CompressOptions method(CompressionMethod v) { method = v; return this; }
    /** null: the method's default (unstructured 50% over its default group). */
    public SparsityPattern pattern() {
        return pattern != null ? pattern : method.plugin().defaultPattern();
    }
    public CompressOptions pattern(SparsityPattern v) { pattern = v; return this; }
    /** Activation statistics (safetensors of per-layer diag(X^T X)); null = data-free. */
    public String calibration() { return calibration; }
    public CompressOptions calibration(String v) { calibration = v; return this; }
    public String include() { return include; }
    public CompressOptions include(String v) { include = v; return this; }
    /** Upper bound on one row block as float32, for row-separable patterns. */
    public long blockBytes() { return blockBytes; }
    public CompressOptions blockBytes(long v) { blockBytes = v; return this; }
    public long maxShardBytes() { return maxShardBytes; }
    public CompressOptions maxShardBytes(long v) { maxShardBytes = v; return this; }
    /** Tensors holding NaN or infinite weights: false (default) refuses the run; true copies them unchanged. */
    public boolean skipNonFinite() { return skipNonFinite; }
    public CompressOptions skipNonFinite(boolean v) { skipNonFinite = v; return this; }
    /**
     * File-name globs (e.g. {@code *.onnx}) of input files to copy into the output although the output rules leave
     * them out (org.nowag.io.model.OutputFiles); never a file the run rewrites. Empty by default.
     */
    public java.util.List<String> keepFiles() { return keepFiles; }
    public CompressOptions keepFiles(java.util.List<String> globs) {
        keepFiles = org.nowag.io.model.OutputFiles.checkGlobs(globs);
        return this;
    }
    /** Fault injection for tests: stop with an error once every shard is committed, before anything is published. */
    public boolean failAfterParts() { return failAfterParts; }
    public CompressOptions failAfterParts(boolean v) { failAfterParts = v; return this; }

    /** NoWag-VQ parameters (used by --method nowag-vq only). */
    public VqConfig vq() { return vq; }
    public CompressOptions vq(VqConfig v) { vq = v; return this; }
    /**
     * NoWag-VQ: run every matrix's k-means over row blocks on executors. Without it only matrices larger than
     * {@link #blockBytes} as float32 do. The output is the same either way.
     */
    public boolean vqRowBlocks() { return vqRowBlocks; }
    public CompressOptions vqRowBlocks(boolean v) { vqRowBlocks = v; return this; }

    /**
     * Accept a model without config.json (--no-config): the output then has none either, and Hugging Face loaders
     * cannot load it until one is added. Without it such a model is refused before anything is written.
     */
    public boolean noConfig() { return noConfig; }
    public CompressOptions noConfig(boolean v) { noConfig = v; return this; }

    /** RTN parameters (used by --method rtn only): INT4, group 128 unless set. */
    public org.nowag.kernels.quant.RtnConfig rtn() { return rtn; }
    public CompressOptions rtn(org.nowag.kernels.quant.RtnConfig v) { rtn = v; return this; }

    /** ARMOR parameters (used by --method armor only). */
    public ArmorConfig armor() { return armor; }
    public CompressOptions armor(ArmorConfig v) { armor = v; return this; }

    /** Option values that cannot be right whatever the model is; each message names the option. */
    public void validate() {
        if (model == null || model.isBlank()) throw new BadOptionException("--model is required");
        if (out == null || out.isBlank()) throw new BadOptionException("--out is required");
        if (blockBytes < 1) {
            throw BadOptionException.of("--block-mb", blockBytes / 1048576.0, "the row block must be at least one byte "
                    + "(MiB of float32 per task; " + blockBytes + " bytes)");
        }
        if (maxShardBytes < 1) {
            throw BadOptionException.of("--shard-mb", maxShardBytes / 1e6, "the shard size limit must be at least one byte");
        }
        if (include == null) throw new BadOptionException("--include is required (a regular expression of tensor names)");
        try {
            java.util.regex.Pattern.compile(include);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw BadOptionException.of("--include", "'" + include + "'", "not a valid regular expression: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }
}
