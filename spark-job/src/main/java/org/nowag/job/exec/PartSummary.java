package org.nowag.job.exec;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one committed part says about its block; small, returned to the driver. */
public final class PartSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    public String tensor;
    public int blockIndex;
    public long numel;
    public long kept;
    public double proxyLoss;
    public double proxyEnergy;
    public double dataAwareLoss;
    /** ||(W - W_hat) X^T||^2 from the full X^T X (sparsegpt); -1 when not computed. */
    public double outputLoss = -1;
    /** Kernel seconds in this run; 0 for a part reused from an earlier run. */
    public double seconds;
    public long bytesRead;
    public boolean reused;
    /** Set when the block holds NaN or infinite weights: no part was written. Then badIndex is the first one. */
    public boolean nonFinite;
    public long badIndex = -1;
    public float badValue;

    /** Deterministic facts only, so two attempts at the same block write identical part files. */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tensor", tensor);
        m.put("block", Integer.toString(blockIndex));
        m.put("numel", Long.toString(numel));
        m.put("kept", Long.toString(kept));
        m.put("proxy_loss", Double.toString(proxyLoss));
        m.put("proxy_energy", Double.toString(proxyEnergy));
        m.put("data_aware_loss", Double.toString(dataAwareLoss));
        if (outputLoss >= 0) m.put("output_loss", Double.toString(outputLoss));
        return m;
    }

    static PartSummary fromMetadata(Map<String, String> m, long bytes) {
        PartSummary s = new PartSummary();
        s.tensor = m.get("tensor");
        s.blockIndex = Integer.parseInt(m.get("block"));
        s.numel = Long.parseLong(m.get("numel"));
        s.kept = Long.parseLong(m.get("kept"));
        s.proxyLoss = Double.parseDouble(m.get("proxy_loss"));
        s.proxyEnergy = Double.parseDouble(m.get("proxy_energy"));
        s.dataAwareLoss = Double.parseDouble(m.get("data_aware_loss"));
        if (m.containsKey("output_loss")) s.outputLoss = Double.parseDouble(m.get("output_loss"));
        s.bytesRead = bytes;
        s.reused = true;
        return s;
    }
}
