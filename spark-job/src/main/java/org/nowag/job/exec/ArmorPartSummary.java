package org.nowag.job.exec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What one committed ARMOR part says about its matrix; recorded in the part's header so a resumed run can report it. */
public final class ArmorPartSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    public String tensor;
    public long numel;
    public int blockSize;
    public int iterations;
    /** Proxy loss at the NoWag-P 2:4 start, then after each outer iteration (optimiser, before 16-bit rounding). */
    public double[] losses;
    public int stepsRejected;
    /** Proxy loss of the parts as stored. */
    public double proxyLoss;
    public double proxyEnergy;
    public double dataAwareLoss;
    public double coreBitsPerWeight;
    public double wrapperBitsPerWeight;
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
        m.put("block_size", Integer.toString(blockSize));
        m.put("iterations", Integer.toString(iterations));
        m.put("losses", Arrays.stream(losses).mapToObj(Double::toString).collect(Collectors.joining(",")));
        m.put("steps_rejected", Integer.toString(stepsRejected));
        m.put("proxy_loss", Double.toString(proxyLoss));
        m.put("proxy_energy", Double.toString(proxyEnergy));
        m.put("data_aware_loss", Double.toString(dataAwareLoss));
        m.put("core_bits_per_weight", Double.toString(coreBitsPerWeight));
        m.put("wrapper_bits_per_weight", Double.toString(wrapperBitsPerWeight));
        m.put("norm_bits_per_weight", Double.toString(normBitsPerWeight));
        m.put("bits_per_weight", Double.toString(bitsPerWeight));
        m.put("stored_float", storedFloat);
        return m;
    }

    static ArmorPartSummary fromMetadata(Map<String, String> m, long bytes) {
        ArmorPartSummary s = new ArmorPartSummary();
        s.tensor = m.get("tensor");
        s.numel = Long.parseLong(m.get("numel"));
        s.blockSize = Integer.parseInt(m.get("block_size"));
        s.iterations = Integer.parseInt(m.get("iterations"));
        s.losses = Arrays.stream(m.get("losses").split(",")).mapToDouble(Double::parseDouble).toArray();
        s.stepsRejected = Integer.parseInt(m.get("steps_rejected"));
        s.proxyLoss = Double.parseDouble(m.get("proxy_loss"));
        s.proxyEnergy = Double.parseDouble(m.get("proxy_energy"));
        s.dataAwareLoss = Double.parseDouble(m.get("data_aware_loss"));
        s.coreBitsPerWeight = Double.parseDouble(m.get("core_bits_per_weight"));
        s.wrapperBitsPerWeight = Double.parseDouble(m.get("wrapper_bits_per_weight"));
        s.normBitsPerWeight = Double.parseDouble(m.get("norm_bits_per_weight"));
        s.bitsPerWeight = Double.parseDouble(m.get("bits_per_weight"));
        s.storedFloat = m.get("stored_float");
        s.bytesWritten = bytes;
        s.reused = true;
        return s;
    }
}
