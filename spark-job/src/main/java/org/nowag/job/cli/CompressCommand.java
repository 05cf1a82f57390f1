package org.nowag.job.cli;

import java.util.concurrent.Callable;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import org.nowag.kernels.prune.SparsityPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress every linear weight of a safetensors model and write an HF-style model, report.json.",
        footer = {"", "Examples:",
                "  nowag compress --model ./llama --out ./llama-p50 --method nowag-p --sparsity 0.5",
                "  nowag compress --model hdfs:///m/llama --out s3a://bucket/llama-24 --method wanda --pattern 2:4 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-sgpt24 --method sparsegpt --pattern 2:4 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-vq2 --method nowag-vq --vq-dim 6 --vq-bits 2 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-armor --method armor --armor-iters 10 --armor-block 32 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-p50 --method wanda --sparsity 0.5 --dry-run   (plan, memory, time; writes nothing)",
                "A re-run with the same arguments resumes from committed parts; when the output is complete it does nothing."})
final class CompressCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Input model directory (file:, hdfs://, s3a://).")
    String model;

    @Option(names = "--out", required = true, description = "Output directory (must not overlap the input).")
    String out;

    @Option(names = "--method", defaultValue = "nowag-p", description = "nowag-p | wanda | magnitude | sparsegpt | nowag-vq | armor | copy (no kernel: the I/O floor). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--sparsity", description = "Unstructured sparsity in [0, 1). Default 0.5 when no --pattern is given.")
    Double sparsity;

    @Option(names = "--pattern", description = "N:M semi-structured pattern along the input dimension, e.g. 2:4 or 4:8.")
    String pattern;

    @Option(names = "--group", description = "row | matrix: the group an unstructured sparsity is met in. Default: the method's (nowag-p, magnitude: matrix; wanda: row).")
    String group;

    @Option(names = "--calibration", description = "Activation statistics: safetensors with one diag(X^T X) vector per linear weight. Without it the methods run data-free. sparsegpt needs it and reads the full X^T X beside it (NAME.xtx.safetensors, from calibrate --full).")
    String calibration;

    @Option(names = "--include", description = "Regex of tensor names to compress (2-D float tensors only). Default: ${DEFAULT-VALUE}.",
            defaultValue = CompressOptions.DEFAULT_INCLUDE)
    String include;

    @Option(names = "--block-mb", defaultValue = "256", description = "Largest row block one task reads, in MiB of float32. Default: ${DEFAULT-VALUE}.")
    double blockMb;

    @Option(names = "--shard-mb", defaultValue = "5000", description = "Output shard size limit in MB (10^6 bytes). Default: ${DEFAULT-VALUE}.")
    double shardMb;

    @Option(names = "--skip-nonfinite", description = "Copy tensors holding NaN or infinite weights unchanged (with a warning in report.json) instead of refusing the run.")
    boolean skipNonFinite;

    @Option(names = "--vq-dim", defaultValue = "6", description = "nowag-vq: subvector length d (d_in must be divisible by it). Default: ${DEFAULT-VALUE}.")
    int vqDim;

    @Option(names = "--vq-bits", defaultValue = "2", description = "nowag-vq: code bits per weight; K = 2^(bits * d) centroids. Default: ${DEFAULT-VALUE}.")
    int vqBits;

    @Option(names = "--vq-iters", defaultValue = "100", description = "nowag-vq: most k-means iterations (stops early when no code changes). Default: ${DEFAULT-VALUE}.")
    int vqIters;

    @Option(names = "--vq-store", defaultValue = "f16", description = "nowag-vq: f16 | f32 for codebook and norms. Default: ${DEFAULT-VALUE}.")
    String vqStore;

    @Option(names = "--vq-row-blocks", description = "nowag-vq: run every matrix's k-means over row blocks on executors "
            + "(otherwise only matrices larger than --block-mb as float32 do; same output either way).")
    boolean vqRowBlocks;

    @Option(names = "--seed", defaultValue = "0", description = "nowag-vq: k-means++ seed (same seed, same output). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--armor-iters", defaultValue = "10", description = "armor: outer iterations (A, B, S steps each). Default: ${DEFAULT-VALUE}.")
    int armorIters;

    @Option(names = "--armor-block", defaultValue = "32", description = "armor: block size b of A and B (a multiple of 4 dividing d_out and d_in). Default: ${DEFAULT-VALUE}.")
    int armorBlock;

    @Option(names = "--armor-store", defaultValue = "f16", description = "armor: f16 | f32 for A, B, kept values and norms. Default: ${DEFAULT-VALUE}.")
    String armorStore;

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Option(names = "--dry-run", description = "Print the plan, the largest task's memory and a rough time, from the "
            + "model's headers only; starts no Spark and writes nothing.")
    boolean dryRun;

    @Option(names = "--no-config", description = "Accept a model without config.json. The output then has none (pruning) "
            + "or one holding only its declared format (nowag-vq, armor): Hugging Face loaders cannot load it until "
            + "the model's config.json is added. Without this option such a model is refused.")
    boolean noConfig;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        CompressOptions opts = options();
        if (dryRun) {
            int iterations = opts.method() == CompressionMethod.NOWAG_VQ ? vqIters : armorIters;
            return CompressDryRun.print(opts, master, iterations, System.out);
        }
        SparkMaster.check(master);
        // Everything cheap before Spark starts and before any byte is written: a refusal leaves nothing behind.
        if (Preflight.compress(opts, SparkContexts.hadoopConfiguration()).model.configJson() == null) {
            Log.info("warning: " + opts.model() + " has no config.json (--no-config); the output will have none "
                    + "(nowag-vq and armor: only their declared format), so Hugging Face loaders cannot load it as it is");
        }
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            CompressionReport report = new Compressor(spark.context, Log::info).run(opts);
            ReportTable.print(report, System.out);
            return 0;
        }
    }

    CompressOptions options() {
        CompressionMethod m = CompressionMethod.parse(method);
        OptionValues.positive("--block-mb", blockMb, "MiB of float32 per row block");
        OptionValues.positive("--shard-mb", shardMb, "MB per output shard");
        CompressOptions opts = new CompressOptions().model(model).out(out).method(m).calibration(calibration)
                .include(include).blockBytes((long) (blockMb * 1048576)).maxShardBytes((long) (shardMb * 1e6))
                .skipNonFinite(skipNonFinite).noConfig(noConfig);
        if (m == CompressionMethod.NOWAG_VQ) {
            if (sparsity != null || pattern != null || group != null) {
                throw new BadOptionException("--sparsity, --pattern and --group are for pruning; nowag-vq takes --vq-dim, --vq-bits, --vq-iters, --seed");
            }
            opts.vq(VqOptions.config(vqDim, vqBits, vqIters, seed, vqStore)).vqRowBlocks(vqRowBlocks);
            return opts;
        }
        if (m == CompressionMethod.ARMOR) {
            opts.armor(ArmorOptions.config(sparsity, pattern, group, armorBlock, armorIters, armorStore));
            opts.pattern(SparsityPattern.nOfM(2, 4));
            return opts;
        }
        opts.pattern(PatternOptions.pattern(m, sparsity, pattern, group));
        return opts;
    }
}
