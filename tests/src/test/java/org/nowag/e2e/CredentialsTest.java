package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;

/**
 * S3 keys come from the Hadoop configuration; they never appear in what a run prints or logs (S3A at DEBUG
 * included), in report.json or the manifest, or in the exceptions of a failed run. (The Spark UI's environment page
 * is checked in FaultToleranceTest, whose child JVM runs with the UI on and the key given as spark.hadoop.*.)
 */
class CredentialsTest {
    @TempDir static Path tmp;
    static Configuration conf;
    static String s3Model;

    @BeforeAll
    static void setUp() throws IOException {
        conf = Fixtures.spark().hadoopConfiguration();
        String s3 = Stores.s3(conf).toString();
        Path local = tmp.resolve("tiny");
        java.nio.file.Files.createDirectories(local);
        java.nio.file.Files.writeString(local.resolve("config.json"), "{\"model_type\": \"llama\"}");
        HostileInputTest.writeModel(local.resolve("model.safetensors"), Map.of(
                HostileInputTest.DOWN, HostileInputTest.random(16, 32, 5),
                HostileInputTest.UP, HostileInputTest.random(32, 16, 6)));
        s3Model = s3 + "/credentials/tiny";
        Stores.upload(local, new org.apache.hadoop.fs.Path(s3Model), conf);
    }

    /** Everything printed to stdout/stderr and every log event at DEBUG and above while body runs. */
    static String capture(ThrowingRunnable body) throws Exception {
        StringWriter logs = new StringWriter();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.createAppender(
                PatternLayout.newBuilder().withPattern("%p %c %m%n%throwable").build(), null, logs, "capture", false, true);
        appender.start();
        org.apache.logging.log4j.core.config.Configuration config = ctx.getConfiguration();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        Level oldLevel = root.getLevel();
        root.addAppender(appender, Level.DEBUG, null);
        LoggerConfig s3a = new LoggerConfig("org.apache.hadoop.fs.s3a", Level.DEBUG, true);
        config.addLogger("org.apache.hadoop.fs.s3a", s3a);
        ctx.updateLoggers();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try {
            System.setOut(both);
            System.setErr(both);
            body.run();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            config.removeLogger("org.apache.hadoop.fs.s3a");
            root.removeAppender("capture");
            root.setLevel(oldLevel);
            ctx.updateLoggers();
            appender.stop();
        }
        return printed.toString(StandardCharsets.UTF_8) + "\n" + logs;
    }

    interface ThrowingRunnable { void run() throws Exception; }

    static String read(String path) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theS3SecretKeyNeverAppearsInOutputLogsOrTheReport() throws Exception {
        String out = Stores.s3(conf) + "/credentials/out";
        String printed = capture(() -> new Compressor(Fixtures.spark(), System.err::println).run(new CompressOptions()
                .model(s3Model).out(out).method(CompressionMethod.MAGNITUDE)));
        assertTrue(printed.contains("s3a://"), "the capture saw the run: " + printed.length() + " chars");
        assertFalse(printed.contains(Stores.SECRET_KEY), "secret in the run's output or logs");
        String report = read(out + "/report.json");
        assertTrue(report.contains("\"tensors\""));
        assertFalse(report.contains(Stores.SECRET_KEY) || report.contains(Stores.ACCESS_KEY), "key in report.json");
        assertFalse(read(out + "/_MANIFEST.json").contains(Stores.SECRET_KEY));
        assertFalse(read(out + "/config.json").contains(Stores.SECRET_KEY));
    }

    @Test
    void aFailedS3RunNamesTheProblemButNotTheSecretKey() throws Exception {
        // A bucket that does not exist: S3A's error, wrapped by Spark and by us, must not carry the key.
        String out = "s3a://no-such-bucket-nowag/out";
        Exception[] failure = new Exception[1];
        String printed = capture(() -> failure[0] = assertThrows(Exception.class, () ->
                new Compressor(Fixtures.spark(), System.err::println).run(new CompressOptions()
                        .model(s3Model).out(out).method(CompressionMethod.MAGNITUDE))));
        StringWriter trace = new StringWriter();
        failure[0].printStackTrace(new PrintWriter(trace));
        String described = Stores.describe(failure[0]);
        assertTrue(described.contains("no-such-bucket-nowag"), described);
        assertFalse(trace.toString().contains(Stores.SECRET_KEY), "secret in the exception");
        assertFalse(printed.contains(Stores.SECRET_KEY), "secret in the output or logs");
        assertEquals(-1, trace.toString().indexOf(Stores.SECRET_KEY));
    }
}
