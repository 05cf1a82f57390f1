package org.nowag.job.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.model.OutputFiles;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.budget.BudgetPlanner;
import org.nowag.job.plan.BudgetSpec;
import org.nowag.job.plan.Recipe;
import org.nowag.job.run.CompressionRun;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import org.nowag.kernels.prune.SparsityPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress every linear weight of a safetensors model and write an HF-style model, report.json.",
        footer = {"", "Examples:",
                "  nowag compress --model ./llama --out ./llama-p50 --method nowag-p --sparsity 0.5",
                "  nowag compress --model hdfs:///m/llama --out s3a://bucket/llama-24 --method wanda --pattern 2:4 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-sgpt24 --method sparsegpt --pattern 2:4 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-vq2 --method nowag-vq --vq-dim 6 --vq-bits 2 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-armor --method armor --armor-iters 10 --armor-block 128 --calibration stats.safetensors",
                "  nowag compress --model ./llama --out ./llama-p50 --method wanda --sparsity 0.5 --dry-run   (plan, memory, time; writes nothing)",
                "  nowag compress --model ./llama --out ./llama-mixed --recipe recipe.yaml --calibration stats.safetensors   (docs/recipes.md)",
                "A re-run with the same arguments resumes from committed parts; when the output is complete it does nothing."})
final class CompressCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Input model directory (file:, hdfs://, s3a://).")
    String model;

    @Option(names = "--out", required = true, description = "Output directory (must not overlap the input).")
    String out;

    @Option(names = "--method", defaultValue = "nowag-p", description = "nowag-p | wanda | magnitude | sparsegpt | nowag-vq | armor | rtn | copy (no kernel: the I/O floor). Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--armor-block", defaultValue = "" + org.nowag.kernels.armor.ArmorConfig.DEFAULT_BLOCK_SIZE, description = "armor: largest block size b of A and B, a multiple of 4 (the ARMOR paper's 128); a matrix it does not tile gets the largest multiple of 4 below it dividing d_out and d_in. Default: ${DEFAULT-VALUE}.")
    int armorBlock;

    @Option(names = "--armor-store", defaultValue = "f16", description = "armor: f16 | f32 for A, B, kept values and norms. Default: ${DEFAULT-VALUE}.")
    String armorStore;

    @Option(names = "--rtn-bits", defaultValue = "4", description = "rtn: bits per code, 2 to 8 (INT2, INT3, INT4, ...). Default: ${DEFAULT-VALUE}.")
    int rtnBits;

    @Option(names = "--rtn-group", defaultValue = "" + org.nowag.kernels.quant.RtnConfig.DEFAULT_GROUP_SIZE, description = "rtn: inputs per scale and zero point; a d_in it does not divide gets a shorter last group per row. Default: ${DEFAULT-VALUE}.")
    int rtnGroup;

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Option(names = "--recipe", description = "YAML recipe: ordered rules (regex over tensor names -> method and its "
            + "settings, or skip), and optionally a budget; replaces --method, --include and the method options "
            + "(docs/recipes.md).")
    String recipe;

    @Option(names = "--budget-sparsity", description = "Overall sparsity of the pruned matrices (nowag-p, wanda, "
            + "magnitude), spread over them by --budget-rule: e.g. 0.6 keeps exactly 40%% of their weights in all, each "
            + "matrix between --budget-min and --budget-max (docs/budgets.md). Not with --sparsity or --pattern.")
    Double budgetSparsity;

    @Option(names = "--budget-bits", description = "Average stored bits per weight of the nowag-vq matrices (codes, "
            + "codebooks and norms), spread over them by the allocator: each matrix takes a code width of 1..4 bits "
            + "(K = 2^(bits * d), where feasible) from short k-means runs' loss curves (docs/budgets.md). Not with --vq-bits.")
    Double budgetBits;

    @Option(names = "--budget-min", description = "Budget: the least sparsity of any matrix (with --budget-bits: "
            + "the fewest stored bits per weight). Default: 0.2 (bits: 0).")
    Double budgetMin;

    @Option(names = "--budget-max", description = "Budget: the most sparsity of any matrix (with --budget-bits: "
            + "the most stored bits per weight). Default: 0.9 (bits: 64).")
    Double budgetMax;

    @Option(names = "--budget-rule", description = "Budget: allocate (Lagrangian over calibrated loss curves, LACONIC's "
            + "dual ascent then exact search) | uniform (every matrix the same) | owl (outlier-weighed layerwise sparsity); "
            + "bit budgets are allocated only. Default: allocate.")
    String budgetRule;

    @Spec CommandSpec spec;

    /** Options a recipe replaces: with --recipe they are refused rather than silently ignored. */
    static final List<String> RULE_OPTIONS = List.of("--method", "--include", "--sparsity", "--pattern", "--group",
            "--vq-dim", "--vq-bits", "--vq-iters", "--vq-store", "--vq-row-blocks", "--seed", "--armor-iters",
            "--armor-block", "--armor-store", "--rtn-bits", "--rtn-group");

    @Option(names = "--dry-run", description = "Print the plan, the largest task's memory and a rough time, from the "
            + "model's headers only; starts no Spark and writes nothing.")
    boolean dryRun;

    @Option(names = "--keep-file", paramLabel = "GLOB", description = "Also copy the input folder's files matching this "
            + "file-name glob (repeatable; e.g. '*.onnx'), which the output rules leave out (docs/output-format.md). "
            + "Files the run rewrites (config.json, the weights, README.md) are never taken from the input.")
    List<String> keepFiles = new ArrayList<>();

    @Option(names = "--no-config", description = "Accept a model without config.json. The output then has none (pruning) "
            + "or one holding only its declared format (nowag-vq, armor): Hugging Face loaders cannot load it until "
            + "the model's config.json is added. Without this option such a model is refused.")
    boolean noConfig;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        CompressOptions opts = options();
        Recipe rules = recipe(opts, SparkContexts.hadoopConfiguration());  // read and checked before anything else
        if (dryRun && rules.budget() == null) {
            return CompressDryRun.print(rules, opts, master, System.out);
        }
        SparkMaster.check(master);
        // Everything cheap before Spark starts and before any byte is written: a refusal leaves nothing behind.
        if (Preflight.compress(rules, opts, SparkContexts.hadoopConfiguration()).model.configJson() == null) {
            Log.info("warning: " + opts.model() + " has no config.json (--no-config); the output will have none "
                    + "(nowag-vq and armor: only their declared format), so Hugging Face loaders cannot load it as it is");
        }
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            if (dryRun) {  // a budget's choice needs the loss curves, which read the weights on the executors
                BudgetPlanner.Outcome b = new CompressionRun(spark.context, Log::info).allocate(rules, opts);
                return CompressDryRun.print(b.recipe, opts, master, System.out, b.lines);
            }
            CompressionReport report = new Compressor(spark.context, Log::info).run(rules, opts);
            ReportTable.print(report, System.out);
            return 0;
        }
    }

    /** The recipe of this command line: the --recipe file, checked, or the flags as one rule. */
    Recipe recipe(CompressOptions opts, Configuration conf) throws IOException {
        opts.validate();  // a bad --include is bad usage (exit 2) before the rule compiles it
        BudgetSpec budget = budget();
        if (recipe == null) return Recipe.of(opts, budget);
        Recipe r = RecipeFile.read(recipe, conf);
        if (budget == null) return r;
        if (r.budget() != null) {
            throw new BadOptionException("--budget-*: the recipe " + recipe + " has a budget: entry already; give one of them");
        }
        return r.withBudget(budget);
    }

    /** --budget-*, checked (exit 2 for values that cannot be right), or null without a budget. */
    BudgetSpec budget() {
        if (budgetSparsity == null && budgetBits == null) {
            if (budgetMin != null || budgetMax != null || budgetRule != null) {
                throw new BadOptionException("--budget-min, --budget-max and --budget-rule need --budget-sparsity (or --budget-bits)");
            }
            return null;
        }
        if (budgetSparsity != null && budgetBits != null) {
            throw new BadOptionException("give either --budget-sparsity or --budget-bits, not both");
        }
        boolean sparsityGiven = spec.commandLine().getParseResult().hasMatchedOption("--sparsity")
                || spec.commandLine().getParseResult().hasMatchedOption("--pattern");
        if (budgetBits != null && spec.commandLine().getParseResult().hasMatchedOption("--vq-bits")) {
            throw new BadOptionException("--budget-bits chooses each matrix's code width: drop --vq-bits (--vq-dim, "
                    + "--vq-iters, --seed and --vq-store still apply)");
        }
        if (sparsityGiven) {
            throw new BadOptionException("--budget-sparsity chooses each matrix's sparsity: drop --sparsity and --pattern "
                    + "(--group still picks row or matrix)");
        }
        BudgetSpec.Kind kind = budgetSparsity != null ? BudgetSpec.Kind.SPARSITY : BudgetSpec.Kind.BITS;
        String name = kind == BudgetSpec.Kind.SPARSITY ? "--budget-sparsity" : "--budget-bits";
        try {
            BudgetSpec.Rule rule = budgetRule == null ? null : BudgetSpec.Rule.parse(budgetRule, "--budget-rule");
            return new BudgetSpec(kind, kind == BudgetSpec.Kind.SPARSITY ? budgetSparsity : budgetBits, budgetMin,
                    budgetMax, rule).check(name, "--budget-min", "--budget-max");
        } catch (BadOptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(e.getMessage());
        }
    }

    CompressOptions options() {
        if (recipe != null) {
            List<String> given = new ArrayList<>();
            for (String o : RULE_OPTIONS) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) given.add(o);
            }
            if (!given.isEmpty()) {
                throw new RecipeFile.RecipeException(String.join(", ", given) + ": not with --recipe; the recipe's rules "
                        + "choose each tensor's method and settings (put them into the recipe, or drop --recipe)");
            }
        }
        OptionValues.positive("--block-mb", blockMb, "MiB of float32 per row block");
        OptionValues.positive("--shard-mb", shardMb, "MB per output shard");
        List<String> keep = OptionValues.convert("--keep-file", () -> OutputFiles.checkGlobs(keepFiles));
        if (recipe != null) {
            return new CompressOptions().model(model).out(out).calibration(calibration)
                    .blockBytes((long) (blockMb * 1048576)).maxShardBytes((long) (shardMb * 1e6))
                    .skipNonFinite(skipNonFinite).noConfig(noConfig).keepFiles(keep);
        }
        CompressionMethod m = CompressionMethod.parse(method);
        CompressOptions opts = new CompressOptions().model(model).out(out).method(m).calibration(calibration)
                .include(include).blockBytes((long) (blockMb * 1048576)).maxShardBytes((long) (shardMb * 1e6))
                .skipNonFinite(skipNonFinite).noConfig(noConfig).keepFiles(keep);
        if (m == CompressionMethod.NOWAG_VQ) {
            if (sparsity != null || pattern != null || group != null) {
                throw new BadOptionException("--sparsity, --pattern and --group are for pruning; nowag-vq takes --vq-dim, --vq-bits, --vq-iters, --seed");
            }
            opts.vq(VqOptions.config(vqDim, vqBits, vqIters, seed, vqStore)).vqRowBlocks(vqRowBlocks);
            return opts;
        }
        if (m == CompressionMethod.RTN) {
            if (sparsity != null || pattern != null || group != null) {
                throw new BadOptionException("--sparsity, --pattern and --group are for pruning; rtn takes --rtn-bits, --rtn-group");
            }
            opts.rtn(RtnOptions.config(rtnBits, rtnGroup));
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
