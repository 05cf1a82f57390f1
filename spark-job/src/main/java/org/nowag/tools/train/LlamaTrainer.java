package org.nowag.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.kernels.model.LlamaConfig;

/**
 * Trains a small Llama ({@link LlamaGraph}) on text: a byte-level BPE tokenizer trained on the same text (once per
 * run directory), Adam with warm-up, cosine decay and global-norm clipping ({@link AdamOptimizer}), batches drawn
 * from (seed, step) alone, held-out loss every few steps, checkpoints that a rerun with the same --out resumes from,
 * and at the end the model in Hugging Face layout ({@link FixtureExport}).
 */
public final class LlamaTrainer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainSettings settings;
    private final PrintStream progress;

    public LlamaTrainer(TrainSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** What a finished run leaves: the weights and the loss log (the files are under --out). */
    public record Result(Map<String, INDArray> params, LossLog log, Path modelDir) {}

    /** Trains to --steps (from the newest checkpoint when there is one) and exports the model; stopAfter < steps stops early (tests of resume). */
    public Result run() throws IOException {
        return run(settings.steps());
    }

    public Result run(int stopAfter) throws IOException {
        TrainSettings s = settings;
        s.check();
        List<Path> trainFiles = TextFiles.resolveAll(s.text());
        List<HeldoutSet> heldout = new ArrayList<>();
        for (String h : s.heldout()) heldout.add(HeldoutSet.parse(h));
        Path out = s.out();
        // The tokenizer is trained (and its size checked) before --out is created: a bad run writes nothing.
        BpeTrainer.Result bpe = Files.exists(out.resolve("tokenizer.json")) ? null : trainTokenizer(trainFiles);
        Files.createDirectories(out);
        checkFingerprint(out.resolve("settings.json"));
        if (bpe != null) TokenizerFiles.write(bpe, s.seq(), out);
        Tokenizer tokenizer = loadTokenizer(out);
        int eos = tokenizer.eosId().orElseThrow(() -> new IllegalStateException(out + "/tokenizer.json has no end-of-text token"));
        long t0 = System.nanoTime();
        TokenCorpus train = TokenCorpus.encode("train", trainFiles, tokenizer, eos);
        List<TokenCorpus> evalSets = new ArrayList<>();
        for (HeldoutSet h : heldout) evalSets.add(TokenCorpus.encode(h.name(), h.files(), tokenizer, eos));
        progress.printf(Locale.ROOT, "text: %d training files, %,d tokens; held out: %s (encoded in %.1f s)%n",
                train.documents(), train.size(), describe(evalSets), (System.nanoTime() - t0) / 1e9);

        LlamaConfig config = s.llamaConfig();
        Checkpoints checkpoints = new Checkpoints(out);
        Optional<Checkpoints.Loaded> resumed = checkpoints.latest();
        Map<String, INDArray> initial = resumed.map(Checkpoints.Loaded::params)
                .orElseGet(() -> WeightInit.initial(config, s.seed(), DataType.FLOAT));
        LlamaGraph graph = LlamaGraph.build(config, s.batch(), s.seq(), initial);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String name : graph.parameterNames()) params.put(name, graph.sameDiff().getVariable(name).getArr());
        AdamOptimizer adam = new AdamOptimizer(params, 0.9, 0.95, 1e-8, s.clipNorm());
        int start = 0;
        double elapsedBefore = 0;
        long tokensSeen = 0;
        if (resumed.isPresent()) {
            Checkpoints.State st = resumed.get().state();
            adam.restore(resumed.get().m(), resumed.get().v());
            start = st.step();
            elapsedBefore = st.elapsedSeconds();
            tokensSeen = st.tokensSeen();
            progress.printf(Locale.ROOT, "resuming after step %d (%,d tokens seen)%n", start, tokensSeen);
        }
        progress.printf(Locale.ROOT, "model: %s; %,d parameters in the blocks, %,d in all%n", describe(config),
                blockParameters(params), total(params));

        LossLog log = new LossLog(out.resolve("loss.csv"), evalSets.stream().map(TokenCorpus::name).toList());
        log.open(start);
        LrSchedule schedule = s.schedule();
        List<String> names = graph.parameterNames();
        ArrayDeque<Double> recent = new ArrayDeque<>();
        long runStart = System.nanoTime();
        int last = Math.min(stopAfter, s.steps());
        for (int step = start + 1; step <= last; step++) {
            long stepStart = System.nanoTime();
            TokenCorpus.Batch batch = train.sample(s.seed(), step, s.batch(), s.seq());
            Map<String, INDArray> feed = feed(batch);
            org.nd4j.autodiff.samediff.api.OutAndGrad og =
                    graph.sameDiff().calculateGradientsAndOutputs(feed, List.of(LlamaGraph.LOSS), names);
            Map<String, INDArray> grads = og.getGradients();
            double loss = og.getOutputs().get(LlamaGraph.LOSS).getDouble(0);
            double lr = schedule.at(step);
            double norm = adam.step(params, grads, step, lr);
            tokensSeen += batch.tokens();
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            recent.addLast(seconds);
            if (recent.size() > 20) recent.removeFirst();
            double[] held = new double[evalSets.size()];
            java.util.Arrays.fill(held, Double.NaN);
            boolean evaluate = step % s.evalEvery() == 0 || step == s.steps();
            if (evaluate) {
                for (int k = 0; k < evalSets.size(); k++) held[k] = meanLoss(graph, evalSets.get(k).evaluationBatches(s.batch(), s.seq(), s.evalTokens()));
            }
            double elapsed = elapsedBefore + (System.nanoTime() - runStart) / 1e9;
            log.append(new LossLog.Row(step, tokensSeen, lr, loss, norm, elapsed, held));
            if (step % s.logEvery() == 0 || evaluate || step == last) {
                double perStep = recent.stream().mapToDouble(Double::doubleValue).average().orElse(seconds);
                progress.printf(Locale.ROOT, "step %d/%d loss %.4f lr %.2e |g| %.3f tok/s %.0f elapsed %s eta %s%s%n",
                        step, s.steps(), loss, lr, norm, batch.tokens() / perStep, clock(elapsed),
                        clock(perStep * (s.steps() - step)), heldoutText(log.heldoutNames(), held));
            }
            if (step % s.checkpointEvery() == 0 || step == last) {
                checkpoints.save(new Checkpoints.State(step, elapsed, tokensSeen), params, adam);
            }
        }
        Path modelDir = out.resolve("model");
        if (last == s.steps()) {
            FixtureExport.write(modelDir, config, s, params, out, log);
            progress.println("model written to " + modelDir);
        }
        return new Result(params, log, modelDir);
    }

    private static Map<String, INDArray> feed(TokenCorpus.Batch batch) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(LlamaGraph.INPUT_IDS, batch.inputArray());
        feed.put(LlamaGraph.LABELS, batch.labelArray());
        return feed;
    }

    /** Mean next-token cross-entropy over the batches (each the graph's batch shape). */
    static double meanLoss(LlamaGraph graph, List<TokenCorpus.Batch> batches) {
        double sum = 0;
        for (TokenCorpus.Batch b : batches) sum += graph.sameDiff().outputSingle(feed(b), LlamaGraph.LOSS).getDouble(0);
        return sum / batches.size();
    }

    private BpeTrainer.Result trainTokenizer(List<Path> trainFiles) throws IOException {
        long t0 = System.nanoTime();
        BpeTrainer bpe = new BpeTrainer(settings.vocabSize(), List.of(TrainSettings.EOS));
        for (Path f : trainFiles) bpe.add(TextFiles.read(f));
        BpeTrainer.Result result = bpe.train();
        if (result.vocab().size() != settings.vocabSize()) {
            throw new IllegalArgumentException("--text: the training text yields only " + result.vocab().size()
                    + " BPE tokens, fewer than --vocab " + settings.vocabSize());
        }
        progress.printf(Locale.ROOT, "tokenizer: byte-level BPE, %d tokens, trained in %.1f s%n",
                result.vocab().size(), (System.nanoTime() - t0) / 1e9);
        return result;
    }

    private Tokenizer loadTokenizer(Path out) throws IOException {
        Path json = out.resolve("tokenizer.json");
        Tokenizer t = TokenizerLoader.load(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(json.toAbsolutePath().toUri()));
        if (t.vocabSize() != settings.vocabSize()) {
            throw new IllegalArgumentException(json + " has " + t.vocabSize() + " tokens, --vocab is " + settings.vocabSize());
        }
        return t;
    }

    private void checkFingerprint(Path file) throws IOException {
        Map<String, Object> mine = JSON.readValue(JSON.writeValueAsBytes(settings.fingerprint()), Map.class);
        if (Files.exists(file)) {
            Map<?, ?> saved = JSON.readValue(file.toFile(), Map.class);
            if (!saved.equals(mine)) {
                throw new IllegalArgumentException("--out " + settings.out() + " holds a run with other settings ("
                        + file + "); use a new --out or the same settings to resume");
            }
        } else {
            JSON.writeValue(file.toFile(), mine);
        }
    }

    static long blockParameters(Map<String, INDArray> params) {
        long n = 0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) if (e.getKey().startsWith("model.layers.")) n += e.getValue().length();
        return n;
    }

    private static long total(Map<String, INDArray> params) {
        long n = 0;
        for (INDArray a : params.values()) n += a.length();
        return n;
    }

    static String describe(LlamaConfig c) {
        return String.format(Locale.ROOT, "%d layers, hidden %d, MLP %d, %d heads / %d KV heads of %d, vocab %d",
                c.numHiddenLayers(), c.hiddenSize(), c.intermediateSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.headDim(), c.vocabSize());
    }

    private static String describe(List<TokenCorpus> sets) {
        if (sets.isEmpty()) return "none";
        List<String> parts = new ArrayList<>();
        for (TokenCorpus c : sets) parts.add(String.format(Locale.ROOT, "%s %d files, %,d tokens", c.name(), c.documents(), c.size()));
        return String.join("; ", parts);
    }

    private static String heldoutText(List<String> names, double[] held) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < held.length; i++) {
            if (!Double.isNaN(held[i])) b.append(String.format(Locale.ROOT, " | held-out %s %.4f (ppl %.1f)", names.get(i), held[i], Math.exp(held[i])));
        }
        return b.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
