package org.nowag.job.method;

import org.apache.hadoop.conf.Configuration;
import org.nowag.job.calib.CalibrationStats;

/** What planning may look at besides the tensor: the Hadoop configuration, the statistics, the run's sizes. */
public final class PlanContext {
    public final Configuration conf;
    /** The --calibration file (null: data-free). */
    public final String calibration;
    /** Its diagonals, loaded (null: data-free). */
    public final CalibrationStats stats;
    /** --block-mb: the largest row block one task reads, in bytes of float32. */
    public final long blockBytes;

    public PlanContext(Configuration conf, String calibration, CalibrationStats stats, long blockBytes) {
        this.conf = conf;
        this.calibration = calibration;
        this.stats = stats;
        this.blockBytes = blockBytes;
    }
}
