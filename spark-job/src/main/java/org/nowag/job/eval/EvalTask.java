package org.nowag.job.eval;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.calib.ModelWeights;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.HiddenStates;
import org.nowag.kernels.model.LinearInputObserver;
import org.nowag.kernels.model.LlamaConfig;
import org.nowag.kernels.model.LlamaHead;
import org.nowag.kernels.model.LlamaModel;
import org.nowag.kernels.model.Perplexity;
import org.nowag.kernels.model.SentencePooling;
import org.nowag.kernels.model.TokenBatch;
import org.nowag.kernels.model.WeightSource;

/**
 * One Spark task of {@code evaluate}: its share of the text chunks run through both models, one layer at a time.
 * Encoders: the sentence embedding of each chunk under each model. Causal LMs: each window's next-token losses
 * from {@code firstTarget} on (strided perplexity), summed per model. Plain class and ArrayLists for Spark's Kryo.
 */
public final class EvalTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private String original;
    private String compared;
    private ArrayList<int[]> sequences;
    private ArrayList<Integer> firstTargets;  // causal LMs only; null for encoders
    private int firstWindow;  // the global index of sequences.get(0)

    /** For serializers only. */
    private EvalTask() { }

    public EvalTask(String original, String compared, ArrayList<int[]> sequences, ArrayList<Integer> firstTargets,
                    int firstWindow) {
        this.firstWindow = firstWindow;
        this.original = original;
        this.compared = compared;
        this.sequences = sequences;
        this.firstTargets = firstTargets;
    }

    public EvalResult run(Configuration conf) throws IOException {
        org.nowag.job.exec.KernelThreads.matchTask();
        EvalResult r = new EvalResult();
        if (sequences.isEmpty()) return r;
        ModelWeights a = ModelWeights.open(original, conf);
        ModelWeights b = ModelWeights.open(compared, conf);
        if (firstTargets == null) {
            r.original = embeddings(a);
            r.compared = embeddings(b);
        } else {
            r.firstWindow = firstWindow;
            Perplexity[] wa = fresh(sequences.size());
            Perplexity[] wb = fresh(sequences.size());
            r.originalLoss = losses(a, wa);
            r.comparedLoss = losses(b, wb);
            r.windowTokens = new long[wa.length];
            r.originalWindowNll = new double[wa.length];
            r.comparedWindowNll = new double[wa.length];
            for (int i = 0; i < wa.length; i++) {
                r.windowTokens[i] = wa[i].count();
                r.originalWindowNll[i] = wa[i].nllSum();
                r.comparedWindowNll[i] = wb[i].nllSum();
            }
        }
        return r;
    }

    private ArrayList<float[]> embeddings(ModelWeights m) throws IOException {
        TokenBatch batch = TokenBatch.of(sequences.toArray(new int[0][]));
        HiddenStates h = BertEncoder.streamLayers(m.source(), m.bertConfig(), batch, LinearInputObserver.NONE);
        float[][] e = SentencePooling.normalize(SentencePooling.meanPool(h));
        ArrayList<float[]> out = new ArrayList<>();
        for (float[] v : e) out.add(v);
        return out;
    }

    /**
     * Windows with the same first target go through together (the loss counts from one position per batch); each
     * window's own sum lands in {@code perWindow} at its index in this task.
     */
    private Perplexity losses(ModelWeights m, Perplexity[] perWindow) throws IOException {
        Map<Integer, List<Integer>> byFirst = new LinkedHashMap<>();
        for (int i = 0; i < sequences.size(); i++) {
            byFirst.computeIfAbsent(firstTargets.get(i), k -> new ArrayList<>()).add(i);
        }
        LlamaConfig config = m.llamaConfig();
        WeightSource source = m.source();
        Perplexity p = new Perplexity();
        for (Map.Entry<Integer, List<Integer>> e : byFirst.entrySet()) {
            List<Integer> idx = e.getValue();
            int[][] seqs = new int[idx.size()][];
            Perplexity[] sums = new Perplexity[idx.size()];
            for (int j = 0; j < idx.size(); j++) {
                seqs[j] = sequences.get(idx.get(j));
                sums[j] = perWindow[idx.get(j)];
            }
            TokenBatch batch = TokenBatch.of(seqs);
            HiddenStates h = LlamaModel.streamLayers(source, config, batch, LinearInputObserver.NONE);
            float[] logits = LlamaHead.load(source, config).logits(h);
            p.addNextTokenLosses(logits, config.vocabSize(), batch, e.getKey(), sums);
        }
        return p;
    }

    private static Perplexity[] fresh(int n) {
        Perplexity[] out = new Perplexity[n];
        for (int i = 0; i < n; i++) out[i] = new Perplexity();
        return out;
    }
}
