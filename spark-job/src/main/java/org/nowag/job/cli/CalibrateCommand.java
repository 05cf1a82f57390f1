package org.nowag.job.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.imatrix.CalibrationFileWriter;
import org.nowag.io.imatrix.ImatrixReader;
import org.nowag.io.imatrix.ImportanceMatrix;
import org.nowag.job.api.BadOptionException;
import org.nowag.job.api.Preflight;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Compute diag(X^T X) per linear weight from text on Spark (or convert a llama.cpp imatrix), for compress --calibration.",
        footer = {"", "Examples:",
                "  nowag calibrate --model ./minilm --text sotu-1790-1999/ --samples 128 --seq-len 128 --seed 0 --out stats.safetensors",
                "  nowag calibrate --imatrix imatrix.gguf --out stats.safetensors"})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model directory (config.json, safetensors, tokenizer.json). Required with --text.")
    String model;

    @Option(names = "--text", description = "UTF-8 text file, or a directory of .txt files; repeatable.")
    List<String> text = new ArrayList<>();

    @Option(names = "--imatrix", description = "Convert this llama.cpp imatrix (GGUF or legacy .dat) instead of running the model.")
    String imatrix;

    @Option(names = "--samples", defaultValue = "128", description = "Number of windows. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seq-len", defaultValue = "128", description = "Tokens per window, special tokens included. Default: ${DEFAULT-VALUE}.")
    int seqLen;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the window positions. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, description = "Statistics file to write. A re-run with the same inputs and "
            + "settings finds it complete and does nothing; a file from other ones is refused.")
    String out;

    @Option(names = "--full", description = "Also write the whole X^T X per weight to OUT-without-.safetensors.xtx.safetensors.")
    boolean full;

    @Option(names = "--partitions", defaultValue = "0", description = "Spark tasks (0: default parallelism).")
    int partitions;

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        if (imatrix != null) {
            if (!text.isEmpty() || model != null) throw new BadOptionException("give either --model and --text, or --imatrix, not both");
            Configuration conf = SparkContexts.hadoopConfiguration();
            String fingerprint = Preflight.calibrateImatrix(imatrix, out, conf);
            if (fingerprint == null) {
                Log.info("calibrate: " + out + " is already complete for this imatrix; nothing to do");
                return 0;
            }
            Path in = new Path(imatrix);
            ImportanceMatrix m = ImatrixReader.read(in.getFileSystem(conf), in);
            Path target = new Path(out);
            CalibrationFileWriter.write(target.getFileSystem(conf), target, m,
                    java.util.Map.of(org.nowag.job.commit.FileOutput.METADATA_KEY, fingerprint));
            Log.info("wrote " + target + " (" + m.diagonals().size() + " weights from " + imatrix
                    + (m.skipped().isEmpty() ? "" : "; skipped " + m.skipped().size() + ": " + m.skipped()) + ")");
            return 0;
        }
        if (model == null || text.isEmpty()) throw new BadOptionException("give --model and --text (or --imatrix)");
        CalibrateOptions opts = new CalibrateOptions();
        opts.model = model;
        opts.texts = text;
        opts.samples = samples;
        opts.seqLen = seqLen;
        opts.seed = seed;
        opts.out = out;
        opts.full = full;
        opts.partitions = partitions;
        SparkMaster.check(master);
        if (Preflight.calibrate(opts, SparkContexts.hadoopConfiguration()).complete) {
            Log.info("calibrate: " + out + " is already complete for these arguments; nothing to do");
            return 0;
        }
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            new Calibrator(spark.context, Log::info).run(opts);
            return 0;
        }
    }
}
