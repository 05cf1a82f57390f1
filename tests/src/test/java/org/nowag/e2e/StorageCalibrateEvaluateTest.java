package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.CalibrationStats;
import org.nowag.job.calib.Calibrator;
import org.nowag.job.eval.EvalOptions;
import org.nowag.job.eval.Evaluator;
import org.nowag.kernels.model.GramAccumulator;

/** calibrate and evaluate with model, text and output spread over HDFS (MiniDFSCluster) and S3 (S3Mock via S3A). */
class StorageCalibrateEvaluateTest {
    @TempDir static Path tmp;
    static Configuration conf;
    static Path localModel;
    static Path localText;
    static String hdfsModel;
    static String s3Model;
    static String hdfsText;
    static String s3Text;

    @BeforeAll
    static void setUp() throws IOException {
        localModel = Fixtures.miniLm();
        conf = Fixtures.spark().hadoopConfiguration();
        URI hdfs = Stores.hdfs();
        URI s3 = Stores.s3(conf);
        hdfsModel = hdfs + "/ce/minilm";
        s3Model = s3 + "/ce/minilm";
        Stores.upload(localModel, new org.apache.hadoop.fs.Path(hdfsModel), conf);
        Stores.upload(localModel, new org.apache.hadoop.fs.Path(s3Model), conf);
        localText = Corpora.sotu(1990, 1990).get(0);
        hdfsText = hdfs + "/ce/text/" + localText.getFileName();
        s3Text = s3 + "/ce/text/" + localText.getFileName();
        for (String dest : List.of(hdfsText, s3Text)) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dest);
            p.getFileSystem(conf).copyFromLocalFile(new org.apache.hadoop.fs.Path(localText.toUri()), p);
        }
    }

    static Calibrator.Result calibrate(String model, String text, String out) throws IOException {
        CalibrateOptions o = new CalibrateOptions();
        o.model = model;
        o.texts = List.of(text);
        o.samples = 4;
        o.seqLen = 64;
        o.seed = 7;
        o.partitions = 2;
        o.out = out;
        return new Calibrator(Fixtures.spark(), line -> { }).run(o);
    }

    @Test
    void calibratingFromHdfsAndS3GivesTheLocalStatisticsAndWritesThemToTheOtherStore() throws IOException {
        Calibrator.Result local = calibrate(localModel.toUri().toString(), localText.toUri().toString(),
                tmp.resolve("local.safetensors").toUri().toString());
        String hdfsOut = Stores.hdfs() + "/ce/stats-from-s3.safetensors";
        calibrate(s3Model, hdfsText, hdfsOut);
        String s3Out = Stores.s3(conf) + "/ce/stats-from-hdfs.safetensors";
        calibrate(hdfsModel, s3Text, s3Out);
        assertEquals(36, local.inputWidths.size(), "every MiniLM linear weight");
        // The files differ only in their provenance metadata (source paths): compare what compress reads from them.
        CalibrationStats expected = CalibrationStats.load(tmp.resolve("local.safetensors").toUri().toString(), conf);
        for (String out : List.of(hdfsOut, s3Out)) {
            CalibrationStats got = CalibrationStats.load(out, conf);
            assertEquals(expected.names(), got.names(), out);
            for (String name : local.inputWidths.keySet()) {
                assertTrue(expected.diagonal(name) != null && got.diagonal(name) != null, name + " in " + out);
                assertArrayEquals(expected.diagonal(name), got.diagonal(name), 0f, name + " in " + out);
            }
        }
    }

    @Test
    void evaluatingAModelOnHdfsAgainstItsCopyOnS3GivesCosineOneAndWritesTheJsonToS3() throws IOException {
        EvalOptions o = new EvalOptions();
        o.model = hdfsModel;
        o.compare = s3Model;
        o.texts = List.of(hdfsText);
        o.maxChunks = 12;
        o.maxTokens = 64;
        o.topK = 3;
        o.partitions = 2;
        o.out = Stores.s3(conf) + "/ce/evaluation.json";
        new Evaluator(Fixtures.spark(), line -> { }).run(o);
        JsonNode e = new ObjectMapper().readTree(read(o.out));
        assertEquals("encoder", e.get("kind").asText());
        assertEquals(12, e.get("chunks").asInt());
        assertEquals(1.0, e.get("meanCosine").asDouble(), 1e-6);
        assertEquals(1.0, e.get("top1Agreement").asDouble());
        assertTrue(e.get("compared").asText().startsWith("s3a://"), e.toString());
    }

    static byte[] read(String uri) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = p.getFileSystem(conf);
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
