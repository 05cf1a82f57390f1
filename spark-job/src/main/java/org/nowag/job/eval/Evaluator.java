package org.nowag.job.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.calib.ModelWeights;
import org.nowag.job.calib.TextSource;
import org.nowag.job.calib.TokenWindows;
import org.nowag.job.spark.HadoopConfBytes;
import org.nowag.kernels.model.Perplexity;
import org.nowag.kernels.model.SentencePooling;

/**
 * {@code nowag evaluate}: how close a compressed model stays to its original on held-out text. The driver tokenizes
 * (with the original's tokenizer) and cuts the work; Spark tasks run both models over their share
 * ({@link EvalTask}); the driver compares. Encoders: mean cosine between the two models' sentence embeddings of
 * each chunk, and whether each chunk's nearest neighbours (by cosine, among the other chunks) stay the same.
 * Causal LMs: perplexity of both models with a stated context length and stride (HF's strided scheme: every token
 * is scored once, with up to context - stride tokens of prior context).
 */
public final class Evaluator {
    private final JavaSparkContext spark;
    private final Consumer<String> log;

    public Evaluator(JavaSparkContext spark, Consumer<String> log) {
        this.spark = spark;
        this.log = log;
    }

    public Evaluation run(EvalOptions opts) throws IOException {
        Configuration conf = spark.hadoopConfiguration();
        if (opts.texts.isEmpty()) throw new IllegalArgumentException("give the held-out text with --text");
        ModelWeights a = ModelWeights.open(opts.model, conf);
        ModelWeights b = ModelWeights.open(opts.compare, conf);
        if (a.family() != b.family()) {
            throw new IllegalArgumentException("cannot compare a " + a.family() + " model (" + opts.model + ") with a "
                    + b.family() + " model (" + opts.compare + ")");
        }
        String fingerprint = EvaluationOutput.fingerprint(opts, conf);
        Evaluation done = EvaluationOutput.existing(opts, fingerprint, conf);
        if (done != null) {
            log.accept("evaluate: " + EvaluationOutput.target(opts) + " is already complete for these arguments; nothing to do");
            return done;
        }
        Tokenizer tokenizer = TokenizerLoader.load(a.directory().fileSystem(), a.directory().root());
        List<String> texts = TextSource.read(opts.texts, conf);
        Evaluation e = new Evaluation();
        e.fingerprint = fingerprint;
        e.original = opts.model;
        e.compared = opts.compare;
        e.texts.addAll(opts.texts);
        if (a.family() == ModelWeights.Family.BERT) encoder(opts, a, tokenizer, texts, e, conf);
        else causal(opts, a, tokenizer, texts, e, conf);

        EvaluationOutput.write(e, opts, conf);
        log.accept("wrote " + EvaluationOutput.target(opts));
        return e;
    }

    private void encoder(EvalOptions opts, ModelWeights a, Tokenizer tokenizer, List<String> texts, Evaluation e,
                         Configuration conf) throws IOException {
        List<String> chunks = TextChunks.split(texts, opts.maxChunks, 5);
        if (chunks.size() < 2) throw new IllegalArgumentException("the text gives " + chunks.size() + " chunk(s); need at least 2 for neighbours");
        int maxTokens = opts.maxTokens > 0 ? opts.maxTokens : Math.min(256, a.maxPositions());
        if (maxTokens > a.maxPositions()) throw new IllegalArgumentException("--max-tokens " + maxTokens + " exceeds the model's " + a.maxPositions() + " positions");
        int[] suffix = TokenWindows.of(tokenizer, List.of(chunks.get(0))).suffix();
        ArrayList<int[]> ids = new ArrayList<>();
        for (String c : chunks) ids.add(truncate(tokenizer.encode(c), maxTokens, suffix));
        List<EvalResult> parts = runTasks(opts, ids, null, conf);
        List<float[]> ea = new ArrayList<>();
        List<float[]> eb = new ArrayList<>();
        for (EvalResult r : parts) {
            ea.addAll(r.original);
            eb.addAll(r.compared);
        }
        int n = ea.size();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        List<Double> cosines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double c = SentencePooling.cosine(ea.get(i), eb.get(i));
            cosines.add(c);
            sum += c;
            min = Math.min(min, c);
        }
        int k = Math.min(opts.topK, n - 1);
        double[][] sa = similarities(ea);
        double[][] sb = similarities(eb);
        int top1 = 0;
        double overlap = 0;
        for (int i = 0; i < n; i++) {
            int[] na = NearestNeighbours.top(sa[i], i, k);
            int[] nb = NearestNeighbours.top(sb[i], i, k);
            if (na[0] == nb[0]) top1++;
            overlap += NearestNeighbours.overlap(na, nb) / (double) k;
        }
        e.kind = "encoder";
        e.chunks = n;
        e.maxTokens = maxTokens;
        e.meanCosine = sum / n;
        e.minCosine = min;
        e.top1Agreement = top1 / (double) n;
        e.topK = k;
        e.topKOverlap = overlap / n;
        e.chunkCosines = cosines;
    }

    private void causal(EvalOptions opts, ModelWeights a, Tokenizer tokenizer, List<String> texts, Evaluation e,
                        Configuration conf) throws IOException {
        TokenWindows stream = TokenWindows.of(tokenizer, texts);
        int[] prefix = stream.prefix();
        int[] content = stream.content();
        int n = prefix.length + content.length;
        if (opts.maxEvalTokens > 0) n = Math.min(n, opts.maxEvalTokens);
        int[] all = Arrays.copyOf(prefix, n);
        System.arraycopy(content, 0, all, prefix.length, n - prefix.length);
        int context = opts.context > 0 ? opts.context : Math.min(1024, a.maxPositions());
        int stride = opts.stride > 0 ? opts.stride : Math.max(1, context / 2);
        if (stride > context) throw new IllegalArgumentException("--stride " + stride + " exceeds --context " + context);
        if (n < 2) throw new IllegalArgumentException("the text has fewer than 2 tokens");
        ArrayList<int[]> windows = new ArrayList<>();
        ArrayList<Integer> firsts = new ArrayList<>();
        int prevEnd = 0;
        for (int begin = 0; ; begin += stride) {
            int end = Math.min(begin + context, n);
            int targets = end - prevEnd;  // tokens this window scores that no earlier one did
            windows.add(Arrays.copyOfRange(all, begin, end));
            firsts.add(Math.max(1, end - begin - targets));
            prevEnd = end;
            if (end == n) break;
        }
        List<EvalResult> parts = runTasks(opts, windows, firsts, conf);
        Perplexity pa = new Perplexity();
        Perplexity pb = new Perplexity();
        e.windowTokens = new long[windows.size()];
        e.originalWindowNll = new double[windows.size()];
        e.comparedWindowNll = new double[windows.size()];
        for (EvalResult r : parts) {
            pa.merge(r.originalLoss);
            pb.merge(r.comparedLoss);
            System.arraycopy(r.windowTokens, 0, e.windowTokens, r.firstWindow, r.windowTokens.length);
            System.arraycopy(r.originalWindowNll, 0, e.originalWindowNll, r.firstWindow, r.windowTokens.length);
            System.arraycopy(r.comparedWindowNll, 0, e.comparedWindowNll, r.firstWindow, r.windowTokens.length);
        }
        e.kind = "causal-lm";
        e.context = context;
        e.stride = stride;
        e.tokensScored = pa.count();
        e.originalPerplexity = pa.perplexity();
        e.comparedPerplexity = pb.perplexity();
        e.originalMeanNll = pa.meanNll();
        e.comparedMeanNll = pb.meanNll();
    }

    private List<EvalResult> runTasks(EvalOptions opts, ArrayList<int[]> seqs, ArrayList<Integer> firsts, Configuration conf) {
        int parts = Math.min(seqs.size(), opts.partitions > 0 ? opts.partitions : spark.defaultParallelism());
        List<EvalTask> tasks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = p * seqs.size() / parts;
            int to = (p + 1) * seqs.size() / parts;
            tasks.add(new EvalTask(opts.model, opts.compare, new ArrayList<>(seqs.subList(from, to)),
                    firsts == null ? null : new ArrayList<>(firsts.subList(from, to)), from));
        }
        Broadcast<byte[]> confBytes = spark.broadcast(HadoopConfBytes.toBytes(conf));
        String description = "nowag evaluate: " + seqs.size() + " sequences on " + parts + " tasks";
        log.accept(description);
        spark.setJobDescription(description);
        try {
            // collect keeps partition order, so results line up with the chunks.
            return spark.parallelize(tasks, parts).map(t -> t.run(HadoopConfBytes.fromBytes(confBytes.value()))).collect();
        } finally {
            spark.setJobDescription(null);
        }
    }

    /** Keeps the first maxTokens - |suffix| ids and the closing special tokens. */
    static int[] truncate(int[] ids, int maxTokens, int[] suffix) {
        if (ids.length <= maxTokens) return ids;
        int[] out = Arrays.copyOf(ids, maxTokens);
        System.arraycopy(suffix, 0, out, maxTokens - suffix.length, suffix.length);
        return out;
    }

    private static double[][] similarities(List<float[]> e) {
        int n = e.size();
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) s[i][j] = s[j][i] = SentencePooling.cosine(e.get(i), e.get(j));
        return s;
    }
}
