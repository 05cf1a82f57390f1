package org.nowag.job.calib;

import java.io.Serializable;

/**
 * One map task's partial sum for one piece of one weight's statistics, as shuffled by {@code calibrate}: piece 0 is
 * diag(X^T X) [d_in]; piece b + 1 is band b of the full X^T X (rows of {@code GramRowChunks}). The key it travels
 * under ({@link GramBandKey}) says which weight, piece and partition. A plain class, as Spark's Kryo needs.
 */
public final class GramBand implements Serializable {
    private static final long serialVersionUID = 1L;

    String weight;
    int dIn;
    double[] values;

    /** For serializers only. */
    private GramBand() { }

    GramBand(String weight, int dIn, double[] values) {
        this.weight = weight;
        this.dIn = dIn;
        this.values = values;
    }
}
