package org.nowag.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.progress.Progress;
import org.nowag.job.spark.SparkContexts;
import org.nowag.job.spark.SparkMaster;
import org.nowag.kernels.prune.SparsityPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Import all-MiniLM-L6-v2 and compress it with NoWag-P at 50%% on embedded Spark (local[*]).",
        footer = {"", "Example:", "  java -jar spark-job/target/nowag-spark.jar demo --dir ./nowag-demo"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "nowag-demo", description = "Working directory. Default: ${DEFAULT-VALUE}.")
    String dir;

    @Option(names = "--master", description = "Spark master. Default: local[*].")
    String master;

    @Override
    @SuppressWarnings("try") // the progress line only needs to live as long as the command
    public Integer call() throws Exception {
        SparkMaster.check(master);
        Configuration conf = SparkContexts.hadoopConfiguration();
        Preflight.workDirectory("--dir", dir, conf);
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        root = fs.makeQualified(root);
        Path model = new Path(root, "all-MiniLM-L6-v2");
        if (!fs.exists(new Path(model, "model.safetensors"))) {
            Log.info("importing all-MiniLM-L6-v2 into " + model);
            MiniLmImporter.importFromClasspath(fs, model);
        }
        Path out = new Path(root, "all-MiniLM-L6-v2-nowag-p50");
        CompressOptions opts = new CompressOptions().model(model.toString()).out(out.toString())
                .method(CompressionMethod.NOWAG_P).pattern(SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX));
        Preflight.compress(opts, conf);
        try (SparkContexts.Handle spark = SparkContexts.getOrCreate(master);
             Progress progress = Progress.forCommand(spark.context, Log::info)) {
            CompressionReport report = new Compressor(spark.context, Log::info).run(opts);
            ReportTable.print(report, System.out);
            System.out.println("compressed model: " + out);
            System.out.println("report:           " + new Path(out, "report.json"));
            System.out.println("report page:      " + new Path(out, "report.html"));
            return 0;
        }
    }
}
