package org.nowag.io.imatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * llama.cpp's GGUF imatrix (the default since 2025): per weight W, a tensor {@code W.in_sum2} of shape
 * [n_mat, d_in] (sum of x^2 over tokens, per expert for stacked experts, n_mat = 1 otherwise) and {@code W.counts}
 * of shape [n_mat, 1] (tokens seen). in_sum2 / counts is the mean of x^2 per token: diag(X^T X) / T.
 * {@code W.in_sum} (sums of x), when present, is not needed and is ignored.
 */
final class GgufImatrixReader {
    private GgufImatrixReader() {}

    static ImportanceMatrix read(LittleEndianReader in) throws ImatrixFormatException {
        String file = in.file();
        GgufFile gguf = GgufFile.parse(in);
        Map<String, GgufTensorInfo> tensors = gguf.tensors();
        Map<String, float[]> diag = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        int pairs = 0;
        for (GgufTensorInfo sums : tensors.values()) {
            if (!sums.name.endsWith(".in_sum2")) continue;
            String name = sums.name.substring(0, sums.name.length() - ".in_sum2".length());
            GgufTensorInfo countsInfo = tensors.get(name + ".counts");
            if (countsInfo == null) throw new ImatrixFormatException(file, "'" + sums.name + "' has no matching '" + name + ".counts'");
            pairs++;
            long nMat = sums.shape.length == 1 ? 1 : sums.shape[0];
            long dIn = sums.shape[sums.shape.length - 1];
            if (sums.shape.length > 2 || countsInfo.elements() != nMat) {
                throw new ImatrixFormatException(file, "'" + name + "': in_sum2 shape " + java.util.Arrays.toString(sums.shape)
                        + " and counts shape " + java.util.Arrays.toString(countsInfo.shape) + " disagree");
            }
            float[] s = gguf.readF32(sums);
            float[] counts = gguf.readF32(countsInfo);
            for (int m = 0; m < nMat; m++) {
                float c = counts[m];
                if (!Float.isFinite(c) || c < 0) {
                    throw new ImatrixFormatException(file, "'" + name + "': count " + m + " is " + c + ", must be finite and >= 0");
                }
            }
            for (int j = 0; j < s.length; j++) {
                if (!Float.isFinite(s[j]) || s[j] < 0) {
                    throw new ImatrixFormatException(file, "'" + name + "': in_sum2 value " + j + " is " + s[j]
                            + "; sums of squares must be finite and >= 0");
                }
            }
            boolean experts = LlamaCppNames.isExperts(name);
            if (nMat > 1 && !experts) {
                skipped.add(name + " (" + nMat + " stacked matrices, not a known mixture-of-experts weight)");
                continue;
            }
            for (int m = 0; m < nMat; m++) {
                String hf = experts ? LlamaCppNames.expertToHf(name, m).orElseThrow() : LlamaCppNames.toHf(name).orElse(null);
                if (hf == null) {
                    skipped.add(name + " (no Hugging Face name known)");
                    continue;
                }
                if (counts[m] == 0) {
                    skipped.add(name + (experts ? " expert " + m : "") + " (no tokens reached it)");
                    continue;
                }
                float[] v = new float[(int) dIn];
                for (int j = 0; j < dIn; j++) v[j] = s[(int) (m * dIn) + j] / counts[m];
                diag.put(hf, v);
            }
        }
        if (pairs == 0) throw new ImatrixFormatException(file, "GGUF file holds no '*.in_sum2' tensors: not an importance matrix");
        List<String> datasets = new ArrayList<>();
        Object ds = gguf.metadata().get("imatrix.datasets");
        if (ds instanceof List) for (Object d : (List<?>) ds) datasets.add(String.valueOf(d));
        return new ImportanceMatrix(diag, skipped, datasets);
    }
}
