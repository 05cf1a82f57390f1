package org.nowag.job.calib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.kernels.model.GramRowChunks;
import scala.Tuple2;

/**
 * The memory-bearing work of one {@code calibrate --full} task on one input width, for {@code mem-check}'s child
 * JVMs: a map task's diagonal and bands of X^T X for TOKENS random rows (the first three bands and the last: every
 * band needs the same memory, and all 448 of a 28672-wide input would take an hour here), or a reduce task adding
 * PARTIALS partial sums of the widest band and staging it (to a local temp folder).
 */
public final class CalibrationProbe {
    private CalibrationProbe() {}

    public static void run(String step, int dIn, int count) throws IOException {
        if (step.equals("calibrate-map")) {
            map(dIn, count);
        } else if (step.equals("calibrate-reduce")) {
            reduce(dIn, count);
        } else {
            throw new IllegalArgumentException("unknown calibrate step " + step);
        }
    }

    private static void map(int dIn, int tokens) {
        float[] rows = new float[Math.multiplyExact(tokens, dIn)];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < rows.length; i++) rows[i] = (float) random.nextGaussian();
        // The task copies the forward pass's array; the original is the forward pass's, freed with it.
        GramRowChunks x = new GramRowChunks(rows.clone(), tokens, dIn);
        rows = null;
        double checksum = x.diagonal()[0];
        int bands = GramRowChunks.bands(dIn);
        for (int b : new int[] {0, 1, 2, bands - 1}) {
            if (b < bands) checksum += x.band(b)[0];
        }
        x.release();
        if (!Double.isFinite(checksum)) throw new IllegalStateException("non-finite X^T X");
    }

    private static void reduce(int dIn, int partials) throws IOException {
        int length = GramRowChunks.bandRows(dIn) * dIn;
        Iterator<Tuple2<Long, GramBand>> records = new Iterator<>() {
            int p;

            @Override public boolean hasNext() { return p < partials; }

            @Override public Tuple2<Long, GramBand> next() {
                double[] v = new double[length];  // as the shuffle hands them: one deserialized record at a time
                java.util.Arrays.fill(v, p + 1);
                return new Tuple2<>(GramBandKey.of(0, 1, p++), new GramBand("w", dIn, v));
            }
        };
        Configuration conf = new Configuration();
        Path staging = new Path(java.nio.file.Files.createTempDirectory("calib-probe").toUri());
        FileSystem fs = staging.getFileSystem(conf);
        try {
            List<StagedPiece> staged = new ArrayList<>(PieceSums.sumAndStage(records, partials, staging, 0, 0, conf));
            if (staged.size() != 1 || staged.get(0).length != 4L * length) throw new IllegalStateException("staged " + staged.size());
        } finally {
            fs.delete(staging, true);
        }
    }
}
