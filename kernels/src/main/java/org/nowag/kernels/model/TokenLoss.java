package org.nowag.kernels.model;

/** Log-softmax over one row of logits, in double with the max subtracted (no overflow for any float logits). */
public final class TokenLoss {
    private TokenLoss() {}

    /** log softmax(logits[row])[target] for logits [rows x vocab] row-major. */
    public static double logProbability(float[] logits, int row, int vocab, int target) {
        if (target < 0 || target >= vocab) throw new IllegalArgumentException("target token " + target + " outside vocab " + vocab);
        return logits[row * vocab + target] - logSumExp(logits, row, vocab);
    }

    /** The whole log-softmax row. */
    public static double[] logSoftmax(float[] logits, int row, int vocab) {
        double lse = logSumExp(logits, row, vocab);
        double[] out = new double[vocab];
        for (int j = 0; j < vocab; j++) out[j] = logits[row * vocab + j] - lse;
        return out;
    }

    static double logSumExp(float[] logits, int row, int vocab) {
        int base = row * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) max = Math.max(max, logits[base + j]);
        double sum = 0;
        for (int j = 0; j < vocab; j++) sum += Math.exp(logits[base + j] - max);
        return max + Math.log(sum);
    }
}
