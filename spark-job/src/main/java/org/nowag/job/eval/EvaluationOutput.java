package org.nowag.job.eval;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.model.ModelDirectory;
import org.nowag.job.commit.FileOutput;
import org.nowag.job.commit.RunFingerprint;

/**
 * {@code evaluate}'s evaluation.json: where it goes, the run's fingerprint (both models, the text's bytes and every
 * option that changes the numbers; not --partitions), and whether it is already there. A re-run with the same
 * fingerprint reads the stored result instead of computing it again; a file from other inputs or settings is refused.
 */
public final class EvaluationOutput {
    private EvaluationOutput() {}

    /** --out, else COMPARE/evaluation.json. */
    public static Path target(EvalOptions opts) {
        return opts.out != null ? new Path(opts.out) : new Path(new Path(opts.compare), "evaluation.json");
    }

    public static String fingerprint(EvalOptions opts, Configuration conf) throws IOException {
        return new RunFingerprint("nowag-evaluate-v1")
                .model("model", ModelDirectory.open(opts.model, conf))
                .model("compare", ModelDirectory.open(opts.compare, conf))
                .texts(opts.texts, conf)
                .setting("maxChunks", opts.maxChunks)
                .setting("maxTokens", opts.maxTokens)
                .setting("topK", opts.topK)
                .setting("context", opts.context)
                .setting("stride", opts.stride)
                .setting("maxEvalTokens", opts.maxEvalTokens)
                .digest();
    }

    /** The stored evaluation when this run's is already there; null when it must be computed. Refuses another run's. */
    public static Evaluation existing(EvalOptions opts, String fingerprint, Configuration conf) throws IOException {
        Path out = target(opts);
        FileSystem fs = out.getFileSystem(conf);
        switch (FileOutput.json(fs, out, fingerprint)) {
            case COMPLETE:
                try (InputStream in = fs.open(out)) {
                    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                            .readValue(in, Evaluation.class);
                }
            case CONFLICT:
                throw new IllegalArgumentException(FileOutput.conflict(opts.out != null ? "--out" : "--out (default)",
                        fs.makeQualified(out), "an evaluation"));
            default:
                return null;
        }
    }

    /** Whole or not at all (temp + rename, or one upload on S3). */
    static void write(Evaluation e, EvalOptions opts, Configuration conf) throws IOException {
        Path out = target(opts);
        FileSystem fs = out.getFileSystem(conf);
        AtomicFiles.write(fs, out, o -> o.write(e.toJson().getBytes(StandardCharsets.UTF_8)));
    }
}
