package org.nowag.job.calib;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.model.ModelDirectory;
import org.nowag.job.commit.FileOutput;
import org.nowag.job.commit.RunFingerprint;

/**
 * Whether {@code calibrate}'s output is already there for these inputs and settings. The fingerprint covers the
 * model, the text's bytes, --samples, --seq-len and --seed; not --full (the statistics file is the same with or
 * without it: a run with --full after one without writes only the X^T X sibling) nor --partitions.
 */
public final class CalibrationOutput {
    /** The fingerprint of this run and whether there is nothing left to write. */
    public static final class Status {
        public final String fingerprint;
        public final boolean complete;

        Status(String fingerprint, boolean complete) {
            this.fingerprint = fingerprint;
            this.complete = complete;
        }
    }

    private CalibrationOutput() {}

    public static String fingerprint(CalibrateOptions opts, Configuration conf) throws IOException {
        return new RunFingerprint("nowag-calibrate-v1")
                .model("model", ModelDirectory.open(opts.model, conf))
                .texts(opts.texts, conf)
                .setting("samples", opts.samples)
                .setting("seqLen", opts.seqLen)
                .setting("seed", opts.seed)
                .digest();
    }

    /** Refuses (IllegalArgumentException) an output, or --full sibling, that another run wrote. */
    public static Status check(CalibrateOptions opts, Configuration conf) throws IOException {
        String fingerprint = fingerprint(opts, conf);
        Path out = new Path(opts.out);
        FileSystem fs = out.getFileSystem(conf);
        FileOutput.State main = FileOutput.safetensors(fs, out, fingerprint);
        if (main == FileOutput.State.CONFLICT) {
            throw new IllegalArgumentException(FileOutput.conflict("--out", fs.makeQualified(out), "statistics"));
        }
        boolean complete = main == FileOutput.State.COMPLETE;
        if (opts.full) {
            Path full = StatisticsFileWriter.fullSibling(out);
            FileOutput.State sibling = FileOutput.safetensors(fs, full, fingerprint);
            if (sibling == FileOutput.State.CONFLICT) {
                throw new IllegalArgumentException(FileOutput.conflict("--out", fs.makeQualified(full),
                        "a full X^T X file (--full)"));
            }
            complete &= sibling == FileOutput.State.COMPLETE;
        }
        return new Status(fingerprint, complete);
    }
}
