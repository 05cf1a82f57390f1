package org.nowag.tools.measure;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.PairedBootstrap;
import org.nowag.job.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nowag compare-eval}: measurement tooling. Two {@code evaluate} outputs of the same held-out windows (same
 * text, tokenizer, context and stride), their compressed models compared by a paired bootstrap over the windows
 * ({@link PairedBootstrap}); with only --a, that evaluation's compressed model against its original. Driver only,
 * no Spark job.
 */
@Command(name = "compare-eval", mixinStandardHelpOptions = true,
        description = "Measurement tooling: the perplexity difference of two 'nowag evaluate' outputs of the same windows "
                + "(B's compressed model minus A's) with a paired bootstrap interval over the windows; with only --a, "
                + "its compressed model minus its original.",
        footer = {"", "Example:", "  nowag compare-eval --a uniform/evaluation.json --b allocated/evaluation.json"})
public final class CompareEvalCommand implements Callable<Integer> {
    @Option(names = "--a", required = true, description = "evaluation.json of model A (the reference).")
    String a;

    @Option(names = "--b", description = "evaluation.json of model B, scored on the same windows. Omitted: A's own original model is the reference.")
    String b;

    @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap resamples. Default: ${DEFAULT-VALUE}.")
    int resamples;

    @Option(names = "--seed", defaultValue = "13", description = "Resampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--level", defaultValue = "0.95", description = "Interval level. Default: ${DEFAULT-VALUE}.")
    double level;

    @Option(names = "--out", description = "Also write the result as JSON here.")
    String out;

    @Override
    public Integer call() throws IOException {
        if (resamples < 1) throw BadOptionException.of("--resamples", resamples, "must be >= 1");
        if (!(level > 0 && level < 1)) throw BadOptionException.of("--level", level, "must be in (0, 1)");
        Evaluation ea = read(a, "--a");
        PairedBootstrap.Result r;
        String what;
        if (b == null) {
            r = PairedBootstrap.withinOne(ea, a, resamples, seed, level);
            what = "A = " + ea.original + " (original), B = " + ea.compared + " (compressed)";
        } else {
            Evaluation eb = read(b, "--b");
            r = PairedBootstrap.between(ea, eb, a, b, resamples, seed, level);
            what = "A = " + ea.compared + ", B = " + eb.compared;
        }
        System.out.println(what);
        System.out.printf(Locale.ROOT, "%d windows, %d tokens; paired bootstrap: %d resamples, seed %d, %.0f%% percentile interval%n",
                r.windows, r.tokens, r.resamples, r.seed, 100 * r.level);
        System.out.printf(Locale.ROOT, "%-28s %12.4f%n", "perplexity A", r.perplexityA);
        System.out.printf(Locale.ROOT, "%-28s %12.4f%n", "perplexity B", r.perplexityB);
        line("ppl(B) - ppl(A)", r.perplexityDifference);
        line("ppl(B) / ppl(A)", r.perplexityRatio);
        line("mean NLL(B) - mean NLL(A)", r.meanNllDifference);
        if (out != null) {
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(SparkContexts.hadoopConfiguration());
            org.nowag.io.fs.AtomicFiles.write(fs, p, o -> o.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(r)));
        }
        return 0;
    }

    private static void line(String name, PairedBootstrap.Interval i) {
        System.out.printf(Locale.ROOT, "%-28s %12.4f  [%.4f, %.4f]%n", name, i.estimate, i.low, i.high);
    }

    private static Evaluation read(String file, String option) throws IOException {
        Path p = new Path(file);
        FileSystem fs = p.getFileSystem(SparkContexts.hadoopConfiguration());
        if (!fs.isFile(p)) throw new IllegalArgumentException(option + " " + file + ": no such file");
        try (InputStream in = fs.open(p)) {
            return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).readValue(in, Evaluation.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(option + " " + file + ": not an evaluate output (" + e.getOriginalMessage() + ")", e);
        }
    }
}
