package org.nowag.tools.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.io.tokenizer.Tokenizer;

/**
 * A text set as one token stream: every document (file) is preceded by the end-of-text token, as GPT-2 and the
 * Llama pre-training mixes separate documents. Batches are windows of seq + 1 tokens: inputs are the first seq,
 * labels the last seq.
 */
public final class TokenCorpus {
    private final String name;
    private final int[] tokens;
    private final int documents;

    private TokenCorpus(String name, int[] tokens, int documents) {
        this.name = name;
        this.tokens = tokens;
        this.documents = documents;
    }

    public static TokenCorpus encode(String name, List<Path> files, Tokenizer tokenizer, int eosId) throws IOException {
        int[] all = new int[1 << 16];
        int n = 0;
        for (Path f : files) {
            int[] ids = tokenizer.encode(TextFiles.read(f));
            if (n + ids.length + 1 > all.length) all = java.util.Arrays.copyOf(all, Math.max(all.length * 2, n + ids.length + 1));
            all[n++] = eosId;
            System.arraycopy(ids, 0, all, n, ids.length);
            n += ids.length;
        }
        return new TokenCorpus(name, java.util.Arrays.copyOf(all, n), files.size());
    }

    public String name() { return name; }
    public int size() { return tokens.length; }
    public int documents() { return documents; }

    /** One training batch of step s: batch windows at offsets drawn from (seed, s) alone, so a resumed run sees the same data. */
    public Batch sample(long seed, int step, int batch, int seq) {
        requireLength(seq);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] starts = new int[batch];
        for (int b = 0; b < batch; b++) starts[b] = r.nextInt(tokens.length - seq);
        return windows(starts, seq);
    }

    /** Non-overlapping windows from the start of the stream: enough batches to cover maxTokens (at least one). */
    public List<Batch> evaluationBatches(int batch, int seq, int maxTokens) {
        requireLength(seq);
        int available = (tokens.length - 1) / seq;
        int windowsWanted = Math.max(batch, (maxTokens + seq - 1) / seq);
        int batches = Math.max(1, Math.min(available, windowsWanted) / batch);
        if (available < batch) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens hold " + available + " windows of "
                    + seq + ", a batch needs " + batch);
        }
        java.util.ArrayList<Batch> out = new java.util.ArrayList<>();
        for (int i = 0; i < batches; i++) {
            int[] starts = new int[batch];
            for (int b = 0; b < batch; b++) starts[b] = (i * batch + b) * seq;
            out.add(windows(starts, seq));
        }
        return out;
    }

    private void requireLength(int seq) {
        if (tokens.length < seq + 1) {
            throw new IllegalArgumentException(name + ": " + tokens.length + " tokens, fewer than one window of --seq " + seq + " + 1");
        }
    }

    private Batch windows(int[] starts, int seq) {
        int[][] in = new int[starts.length][seq];
        int[] labels = new int[starts.length * seq];
        for (int b = 0; b < starts.length; b++) {
            System.arraycopy(tokens, starts[b], in[b], 0, seq);
            System.arraycopy(tokens, starts[b] + 1, labels, b * seq, seq);
        }
        return new Batch(in, labels);
    }

    /** Input ids [batch][seq] and next-token labels, flattened [batch * seq]. */
    public record Batch(int[][] inputIds, int[] labels) {
        public INDArray inputArray() { return Nd4j.createFromArray(inputIds); }
        public INDArray labelArray() { return Nd4j.createFromArray(labels); }
        public int tokens() { return labels.length; }
    }
}
