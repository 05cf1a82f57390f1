package org.nowag.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.onnx.MiniLmImporter;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.spark.SparkContexts;

/** Shared, real fixtures: the imported MiniLM model (once per JVM) and a local Spark context. */
final class Fixtures {
    private static Path miniLm;
    private static SparkContexts.Handle spark;

    private Fixtures() {}

    static synchronized Path miniLm() throws IOException {
        if (miniLm == null) {
            Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "minilm");
            Path dir = root.resolve("all-MiniLM-L6-v2");
            MiniLmImporter.importFromClasspath(FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(dir.toUri()));
            miniLm = dir;
        }
        return miniLm;
    }

    /** Two local cores, Kryo, as the CLI would configure it; a failed task is retried up to 4 times, as on a cluster. */
    static synchronized JavaSparkContext spark() {
        if (spark == null) spark = SparkContexts.getOrCreate("local[2,4]");
        return spark.context;
    }

    static Map<String, byte[]> rawTensors(Path modelDir) throws IOException {
        Configuration conf = new Configuration();
        ModelDirectory model = ModelDirectory.open(modelDir.toUri().toString(), conf);
        Map<String, byte[]> all = new HashMap<>();
        for (TensorInfo t : model.tensors()) {
            try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), model.shardOf(t.name()))) {
                all.put(t.name(), f.readBytes(t.name(), 0, Math.toIntExact(t.byteSize())));
            }
        }
        return all;
    }

    static float[] floats(Path modelDir, String tensor) throws IOException {
        ModelDirectory model = ModelDirectory.open(modelDir.toUri().toString(), new Configuration());
        TensorInfo t = model.tensor(tensor);
        try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), model.shardOf(tensor))) {
            return f.readRowsAsFloat(tensor, 0, Math.toIntExact(t.rows()));
        }
    }
}
