package org.nowag.job.calib;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import org.apache.hadoop.conf.Configuration;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.LlamaModel;
import org.nowag.kernels.model.StatisticsCollector;
import org.nowag.kernels.model.TokenBatch;

/**
 * One Spark task of {@code calibrate}: its share of the windows, run through the model one layer at a time (each
 * layer's weights read from storage when the walk reaches it, then dropped), summing X^T X per linear weight.
 * A plain class with an ArrayList, as Spark's Kryo needs.
 */
public final class CalibrationTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private String model;
    private ArrayList<int[]> windows;
    private boolean full;

    /** For serializers only. */
    private CalibrationTask() { }

    public CalibrationTask(String model, ArrayList<int[]> windows, boolean full) {
        this.model = model;
        this.windows = windows;
        this.full = full;
    }

    public int windows() { return windows.size(); }

    public StatisticsCollector run(Configuration conf) throws IOException {
        org.nowag.job.exec.KernelThreads.matchTask();
        StatisticsCollector stats = new StatisticsCollector(full);
        if (windows.isEmpty()) return stats;
        ModelWeights m = ModelWeights.open(model, conf);
        TokenBatch batch = TokenBatch.of(windows.toArray(new int[0][]));
        if (m.family() == ModelWeights.Family.BERT) {
            BertEncoder.streamLayers(m.source(), m.bertConfig(), batch, stats);
        } else {
            LlamaModel.streamLayers(m.source(), m.llamaConfig(), batch, stats);
        }
        return stats;
    }
}
