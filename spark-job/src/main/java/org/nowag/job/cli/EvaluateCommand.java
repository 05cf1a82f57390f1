package org.nowag.job.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nowag.job.api.Preflight;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.EvaluationOutput;
import org.nowag.job.eval.Evaluator;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare a compressed model with its original on held-out text, on Spark: embedding cosine and "
                + "nearest-neighbour agreement (encoders) or perplexity (causal LMs). Prints a table, writes evaluation.json.",
        footer = {"", "Examples:",
                "  nowag evaluate --model ./minilm --compare ./minilm-p50 --text sotu-2000-2021/ --text moby-dick.txt",
                "  nowag evaluate --model ./llama --compare ./llama-24 --text moby-dick.txt --context 1024 --stride 512"})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "The original model directory.")
    String model;

    @Option(names = "--compare", required = true, description = "The compressed model directory (same tokenizer).")
    String compare;

    @Option(names = "--text", required = true, description = "Held-out UTF-8 text file, or a directory of .txt files; repeatable.")
    List<String> text = new ArrayList<>();

    @Option(names = "--out", description = "Where to write the JSON. Default: COMPARE/evaluation.json. A re-run with the same "
            + "inputs and settings prints the stored result; a file from other ones is refused.")
    String out;

    @Option(names = "--max-chunks", defaultValue = "256", description = "Encoders: the first N paragraphs (or sentences). Default: ${DEFAULT-VALUE}.")
    int maxChunks;

    @Option(names = "--max-tokens", defaultValue = "0", description = "Encoders: tokens per chunk at most (0: min(256, positions)).")
    int maxTokens;

    @Option(names = "--top-k", defaultValue = "10", description = "Encoders: neighbours compared per chunk. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--context", defaultValue = "0", description = "Causal LMs: tokens per window (0: min(1024, positions)).")
    int context;

    @Option(names = "--stride", defaultValue = "0", description = "Causal LMs: window step (0: context / 2).")
    int stride;

    @Option(names = "--max-eval-tokens", defaultValue = "0", description = "Causal LMs: score only the first N tokens of the text (0: all).")
    int maxEvalTokens;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark tasks (0: default parallelism).")
    int partitions;

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        EvalOptions o = new EvalOptions();
        o.model = model;
        o.compare = compare;
        o.texts = text;
        o.out = out;
        o.maxChunks = maxChunks;
        o.maxTokens = maxTokens;
        o.topK = topK;
        o.context = context;
        o.stride = stride;
        o.maxEvalTokens = maxEvalTokens;
        o.partitions = partitions;
        SparkMaster.check(master);
        Evaluation done = Preflight.evaluate(o, SparkContexts.hadoopConfiguration());
        if (done != null) {
            Log.info("evaluate: " + EvaluationOutput.target(o) + " is already complete for these arguments; nothing to do");
            done.print(System.out);
            return 0;
        }
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            Evaluation e = new Evaluator(spark.context, Log::info).run(o);
            e.print(System.out);
            return 0;
        }
    }
}
