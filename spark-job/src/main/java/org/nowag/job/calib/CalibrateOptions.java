package org.nowag.job.calib;

import java.util.ArrayList;
import java.util.List;

/** What {@code nowag calibrate} computes from text (see {@link Calibrator}). */
public final class CalibrateOptions {
    public String model;
    public List<String> texts = new ArrayList<>();
    public int samples = 128;
    public int seqLen = 128;
    public long seed = 0;
    public String out;
    public boolean full;
    /** Spark partitions (tasks); 0: Spark's default parallelism. Never more than the number of windows. */
    public int partitions;
}
