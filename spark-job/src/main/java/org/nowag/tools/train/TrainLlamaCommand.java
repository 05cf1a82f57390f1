package org.nowag.tools.train;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `nowag train-llama`: measurement tooling, not a production command. Trains the small Llama the quality study
 * measures on (see docs/causal-fixture.md); rerun with the same --out to resume from the newest checkpoint.
 * The defaults are the committed fixture's settings (tests/fixtures/sotu-llama/README.md).
 */
@Command(name = "train-llama", mixinStandardHelpOptions = true,
        description = "Measurement tooling: train a small Llama (HF LlamaForCausalLM layout) with SameDiff on text; resumable.",
        footer = {"", "Examples:",
                "  nowag train-llama --out /tmp/micro --text 'corpora/sotu/data/179*.txt' --vocab 300 --hidden 32 --intermediate 64 --layers 2 --heads 4 --kv-heads 2 --seq 32 --steps 50 --warmup 5",
                "  nowag train-llama --out /work/train/sotu/run --text 'corpora/sotu/data/1*.txt' --heldout sotu-2000-2021='corpora/sotu/data/20*.txt' --heldout moby-dick=corpora/moby-dick/data/data.txt",
                "Rerun the same command to resume from the newest checkpoint. Set OMP_NUM_THREADS=1 on a busy machine.",
                "The committed fixture's exact command: tests/fixtures/sotu-llama/README.md; docs/causal-fixture.md."})
public final class TrainLlamaCommand implements Callable<Integer> {
    @Option(names = "--text", required = true, arity = "1..*", description = "Training text: files, directories (*.txt) or a glob in the last path part; repeatable.")
    List<String> text;

    @Option(names = "--heldout", arity = "1..*", description = "Held-out text as NAME=PATH (PATH as for --text); repeatable. Never trained on.")
    List<String> heldout = List.of();

    @Option(names = "--out", required = true, description = "Run directory: tokenizer, checkpoints, loss.csv, and model/ at the end.")
    Path out;

    @Option(names = "--vocab", defaultValue = "2048", description = "BPE vocabulary size (<= 8192). Default: ${DEFAULT-VALUE}.")
    int vocab;

    @Option(names = "--hidden", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--intermediate", defaultValue = "688", description = "MLP width. Default: ${DEFAULT-VALUE}.")
    int intermediate;

    @Option(names = "--layers", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--heads", defaultValue = "8", description = "Query heads. Default: ${DEFAULT-VALUE}.")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "2", description = "Key/value heads (grouped-query attention). Default: ${DEFAULT-VALUE}.")
    int kvHeads;

    @Option(names = "--seq", defaultValue = "256", description = "Tokens per training window (= max_position_embeddings). Default: ${DEFAULT-VALUE}.")
    int seq;

    @Option(names = "--batch", defaultValue = "8", description = "Windows per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "90", description = "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "9", description = "Linear warm-up steps. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--min-lr-ratio", defaultValue = "0.1", description = "Cosine decay ends at lr * this. Default: ${DEFAULT-VALUE}.")
    double minLrRatio;

    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm limit (0: none). Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--eval-every", defaultValue = "15", description = "Held-out loss every N steps. Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--eval-tokens", defaultValue = "4096", description = "Held-out tokens scored per set. Default: ${DEFAULT-VALUE}.")
    int evalTokens;

    @Option(names = "--checkpoint-every", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--rope-theta", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}.")
    double ropeTheta;

    @Option(names = "--rms-norm-eps", defaultValue = "1e-5", description = "Default: ${DEFAULT-VALUE}.")
    double rmsNormEps;

    @Option(names = "--log-every", defaultValue = "1", description = "Progress line every N steps. Default: ${DEFAULT-VALUE}.")
    int logEvery;

    @Override
    public Integer call() throws Exception {
        TrainSettings s = new TrainSettings(text, heldout, out, vocab, hidden, intermediate, layers, heads, kvHeads, seq, batch,
                steps, warmup, lr, minLrRatio, clip, seed, evalEvery, evalTokens, checkpointEvery, ropeTheta, rmsNormEps, logEvery);
        new LlamaTrainer(s, System.out).run();
        return 0;
    }
}
