package org.nowag.job.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nowag.io.model.OutputFiles;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "decompress", mixinStandardHelpOptions = true,
        description = "Write a dense HF model (original dtypes and shapes) from a NoWag-VQ model, for tools that only load dense weights.",
        footer = {"", "Example:",
                "  nowag decompress --model ./llama-vq2 --out ./llama-vq2-dense"})
final class DecompressCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A model written by compress --method nowag-vq or --method armor.")
    String model;

    @Option(names = "--out", required = true, description = "Output directory for the dense model.")
    String out;

    @Option(names = "--shard-mb", defaultValue = "5000", description = "Output shard size limit in MB (10^6 bytes). Default: ${DEFAULT-VALUE}.")
    double shardMb;

    @Option(names = "--keep-file", paramLabel = "GLOB", description = "Also copy the input folder's files matching this "
            + "file-name glob (repeatable; e.g. '*.onnx'), which the output rules leave out (docs/output-format.md).")
    List<String> keepFiles = new ArrayList<>();

    @Option(names = "--master", description = "Spark master. Default: the one spark-submit gives, else local[*].")
    String master;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        long shardBytes = (long) (OptionValues.positive("--shard-mb", shardMb, "MB per output shard") * 1e6);
        List<String> keep = OptionValues.convert("--keep-file", () -> OutputFiles.checkGlobs(keepFiles));
        SparkMaster.check(master);
        Preflight.decompress(model, out, shardBytes, SparkContexts.hadoopConfiguration());
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            int n = new Decompressor(spark.context, Log::info).run(model, out, shardBytes, keep);
            System.out.println("decoded " + n + " compressed weights; dense model: " + out);
            return 0;
        }
    }
}
