package org.nowag.tools.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nowag.kernels.model.LlamaConfig;

/**
 * Everything that decides a training run. {@link #check()} rejects bad values before anything is read or written;
 * {@link #fingerprint()} is what a resumed run must share with the run it resumes.
 */
public record TrainSettings(List<String> text, List<String> heldout, Path out, int vocabSize, int hidden,
                            int intermediate, int layers, int heads, int kvHeads, int seq, int batch, int steps,
                            int warmup, double lr, double minLrRatio, double clipNorm, long seed, int evalEvery,
                            int evalTokens, int checkpointEvery, double ropeTheta, double rmsNormEps, int logEvery) {
    public static final int MAX_VOCAB = 8192;
    public static final String EOS = "<|endoftext|>";

    public void check() {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("--text: give at least one training text file");
        if (out == null) throw new IllegalArgumentException("--out: give the run directory");
        positive(hidden, "--hidden");
        positive(intermediate, "--intermediate");
        positive(layers, "--layers");
        positive(heads, "--heads");
        positive(kvHeads, "--kv-heads");
        positive(batch, "--batch");
        positive(steps, "--steps");
        positive(evalEvery, "--eval-every");
        positive(evalTokens, "--eval-tokens");
        positive(checkpointEvery, "--checkpoint-every");
        positive(logEvery, "--log-every");
        if (vocabSize < 258 || vocabSize > MAX_VOCAB) {
            throw new IllegalArgumentException("--vocab must be in 258.." + MAX_VOCAB + " (1 special token, 256 bytes, merges), got " + vocabSize);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("--hidden " + hidden + " is not a multiple of --heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("--heads " + heads + " is not a multiple of --kv-heads " + kvHeads);
        }
        if ((hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("head size --hidden / --heads = " + (hidden / heads) + " must be even for RoPE");
        }
        if (seq < 2) throw new IllegalArgumentException("--seq must be >= 2, got " + seq);
        new LrSchedule(lr, warmup, steps, minLrRatio);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("--clip must be >= 0 (0: no clipping), got " + clipNorm);
        if (!(ropeTheta > 0)) throw new IllegalArgumentException("--rope-theta must be > 0, got " + ropeTheta);
        if (!(rmsNormEps > 0)) throw new IllegalArgumentException("--rms-norm-eps must be > 0, got " + rmsNormEps);
    }

    private static void positive(int v, String option) {
        if (v <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + v);
    }

    public LlamaConfig llamaConfig() {
        return new LlamaConfig(vocabSize, hidden, intermediate, layers, heads, kvHeads)
                .withRopeTheta(ropeTheta).withRmsNormEps(rmsNormEps);
    }

    public LrSchedule schedule() {
        return new LrSchedule(lr, warmup, steps, minLrRatio);
    }

    /** The settings a resumed run must not change (everything but --out, logging and checkpoint frequency). */
    public Map<String, Object> fingerprint() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("text", text);
        f.put("heldout", heldout);
        f.put("vocab_size", vocabSize);
        f.put("hidden", hidden);
        f.put("intermediate", intermediate);
        f.put("layers", layers);
        f.put("heads", heads);
        f.put("kv_heads", kvHeads);
        f.put("seq", seq);
        f.put("batch", batch);
        f.put("steps", steps);
        f.put("warmup", warmup);
        f.put("lr", lr);
        f.put("min_lr_ratio", minLrRatio);
        f.put("clip", clipNorm);
        f.put("seed", seed);
        f.put("eval_every", evalEvery);
        f.put("eval_tokens", evalTokens);
        f.put("rope_theta", ropeTheta);
        f.put("rms_norm_eps", rmsNormEps);
        return f;
    }
}
