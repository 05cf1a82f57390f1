package org.nowag.job.exec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What one committed VQ part says about its matrix; recorded in the part's header so a resumed run can report it. */
public final class VqPartSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    public String tensor;
    public long numel;
    public int dim;
    public int codebookSize;
    public int codeBits;
    public int iterations;
    public boolean converged;
    /** Loss after each k-means assignment (float codebook, before binary16 rounding). */
    public double[] kMeansLosses;
    public double proxyLoss;
    public double proxyEnergy;
    public double dataAwareLoss;
    public double codeBitsPerWeight;
    public double codebookBitsPerWeight;
    public double normBitsPerWeight;
    public double bitsPerWeight;
    public String storedFloat;
    public double seconds;
    public long bytesWritten;
    public boolean reused;

    /** Deterministic facts only: two attempts write identical parts. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tensor", tensor);
        m.put("numel", Long.toString(numel));
        m.put("dim", Integer.toString(dim));
        m.put("codebook_size", Integer.toString(codebookSize));
        m.put("code_bits", Integer.toString(codeBits));
        m.put("iterations", Integer.toString(iterations));
        m.put("converged", Boolean.toString(converged));
        m.put("kmeans_losses", Arrays.stream(kMeansLosses).mapToObj(Double::toString).collect(Collectors.joining(",")));
        m.put("proxy_loss", Double.toString(proxyLoss));
        m.put("proxy_energy", Double.toString(proxyEnergy));
        m.put("data_aware_loss", Double.toString(dataAwareLoss));
        m.put("code_bits_per_weight", Double.toString(codeBitsPerWeight));
        m.put("codebook_bits_per_weight", Double.toString(codebookBitsPerWeight));
        m.put("norm_bits_per_weight", Double.toString(normBitsPerWeight));
        m.put("bits_per_weight", Double.toString(bitsPerWeight));
        m.put("stored_float", storedFloat);
        return m;
    }

    static VqPartSummary fromMetadata(Map<String, String> m, long bytes) {
        VqPartSummary s = new VqPartSummary();
        s.tensor = m.get("tensor");
        s.numel = Long.parseLong(m.get("numel"));
        s.dim = Integer.parseInt(m.get("dim"));
        s.codebookSize = Integer.parseInt(m.get("codebook_size"));
        s.codeBits = Integer.parseInt(m.get("code_bits"));
        s.iterations = Integer.parseInt(m.get("iterations"));
        s.converged = Boolean.parseBoolean(m.get("converged"));
        String losses = m.get("kmeans_losses");
        s.kMeansLosses = losses.isEmpty() ? new double[0] : Arrays.stream(losses.split(",")).mapToDouble(Double::parseDouble).toArray();
        s.proxyLoss = Double.parseDouble(m.get("proxy_loss"));
        s.proxyEnergy = Double.parseDouble(m.get("proxy_energy"));
        s.dataAwareLoss = Double.parseDouble(m.get("data_aware_loss"));
        s.codeBitsPerWeight = Double.parseDouble(m.get("code_bits_per_weight"));
        s.codebookBitsPerWeight = Double.parseDouble(m.get("codebook_bits_per_weight"));
        s.normBitsPerWeight = Double.parseDouble(m.get("norm_bits_per_weight"));
        s.bitsPerWeight = Double.parseDouble(m.get("bits_per_weight"));
        s.storedFloat = m.get("stored_float");
        s.bytesWritten = bytes;
        s.reused = true;
        return s;
    }
}
