package org.nowag.io.imatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * llama.cpp's legacy imatrix ({@code --output-format dat}), as tools/imatrix/imatrix.cpp writes it:
 * int32 n_entries; per entry int32 name length, the name, int32 ncall, int32 nval, float[nval]; then optionally
 * int32 last_chunk and int32 length + dataset file name. All little-endian.
 *
 * Each value is (sum of x^2 over tokens / tokens) * ncall, where ncall is the number of chunks
 * (ceil(tokens / chunk size)); so value / ncall is the mean of x^2 per token: diag(X^T X) / T.
 */
final class LegacyImatrixReader {
    /** A name longer than this is a corrupt length field, not a tensor name. */
    private static final int MAX_NAME = 4096;

    private LegacyImatrixReader() {}

    static ImportanceMatrix read(LittleEndianReader in) throws ImatrixFormatException {
        String file = in.file();
        int entries = in.i32("entry count");
        if (entries < 1) throw new ImatrixFormatException(file, "entry count is " + entries + "; an imatrix needs at least one entry");
        Map<String, float[]> diag = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int e = 0; e < entries; e++) {
            String where = "entry " + e;
            int len = in.i32(where + " name length");
            if (len < 1 || len > MAX_NAME) throw new ImatrixFormatException(file, where + ": name length " + len + " is not in 1.." + MAX_NAME);
            String name = in.utf8(len, where + " name");
            where = "entry " + e + " '" + name + "'";
            if (!seen.add(name)) throw new ImatrixFormatException(file, where + " appears twice");
            int ncall = in.i32(where + " ncall");
            if (ncall < 1) throw new ImatrixFormatException(file, where + ": ncall is " + ncall + ", must be positive");
            int nval = in.i32(where + " value count");
            if (nval < 1) throw new ImatrixFormatException(file, where + ": value count is " + nval + ", must be positive");
            float[] v = in.f32s(nval, where + " values");
            for (int j = 0; j < nval; j++) {
                if (!Float.isFinite(v[j]) || v[j] < 0) {
                    throw new ImatrixFormatException(file, where + ": value " + j + " is " + v[j] + "; sums of squares must be finite and >= 0");
                }
                v[j] /= ncall;
            }
            if (LlamaCppNames.isExperts(name)) {
                // The legacy format does not record how many experts the values stack, so they cannot be split.
                skipped.add(name + " (mixture-of-experts weight: the .dat format does not say how to split it; use the GGUF form)");
                continue;
            }
            String hf = LlamaCppNames.toHf(name).orElse(null);
            if (hf == null) {
                skipped.add(name + " (no Hugging Face name known)");
                continue;
            }
            diag.put(hf, v);
        }
        List<String> datasets = new ArrayList<>();
        // The trailer is optional (older files end after the entries); when present it must be whole.
        if (in.remaining() > 0) {
            int lastChunk = in.i32("last_chunk");
            if (lastChunk < 0) throw new ImatrixFormatException(file, "last_chunk is " + lastChunk + ", must be >= 0");
            if (in.remaining() > 0) {
                int len = in.i32("dataset name length");
                if (len < 0) throw new ImatrixFormatException(file, "dataset name length is " + len);
                String dataset = in.utf8(len, "dataset name");
                if (!dataset.isEmpty()) datasets.add(dataset);
            }
            if (in.remaining() > 0) {
                throw new ImatrixFormatException(file, in.remaining() + " unexpected bytes after the dataset name");
            }
        }
        return new ImportanceMatrix(diag, skipped, datasets);
    }
}
