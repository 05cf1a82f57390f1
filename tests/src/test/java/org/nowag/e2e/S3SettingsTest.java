package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 settings reach every command the same way (--conf spark.hadoop.*), an unreachable endpoint fails with a message
 * that names it and the retry settings in force (nowag's small defaults, or the user's), and missing credentials
 * fail with a message that says how to give them. The commands run as a user runs them (bin/nowag in a child JVM,
 * S3Mock as the store, nothing in the environment or in core-site.xml), except the last test, which runs in this JVM
 * beside a running SparkContext, as a notebook would.
 */
class S3SettingsTest {
    @TempDir static Path tmp;
    static String endpoint;
    static String s3Model;

    @BeforeAll
    static void setUp() throws IOException {
        Configuration conf = new Configuration();
        String s3 = Stores.s3(conf).toString();
        endpoint = conf.get("fs.s3a.endpoint");
        Path local = Files.createDirectories(tmp.resolve("tiny"));
        Files.writeString(local.resolve("config.json"), "{\"model_type\": \"llama\"}");
        HostileInputTest.writeModel(local.resolve("model.safetensors"), Map.of(
                HostileInputTest.DOWN, HostileInputTest.random(16, 32, 5),
                HostileInputTest.UP, HostileInputTest.random(32, 16, 6)));
        s3Model = s3 + "/s3settings/tiny";
        Stores.upload(local, new org.apache.hadoop.fs.Path(s3Model), conf);
    }

    /** S3Mock's S3A settings at endpoint, without the fs.s3a. prefix. */
    static Map<String, String> s3Mock(String endpoint) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("endpoint", endpoint);
        s.put("endpoint.region", "us-east-1");
        s.put("path.style.access", "true");
        s.put("connection.ssl.enabled", "false");
        s.put("aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("access.key", Stores.ACCESS_KEY);
        s.put("secret.key", Stores.SECRET_KEY);
        return s;
    }

    /** --conf arguments: every setting under prefix; a value given as null is left out. */
    static List<String> confArgs(String prefix, Map<String, String> settings) {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (v != null) args.addAll(List.of("--conf", "spark.hadoop." + prefix + k + "=" + v));
        });
        return args;
    }

    /** S3Mock's settings as --conf arguments, with changes (fs.s3a. keys without the prefix; null: left out). */
    static List<String> conf(Map<String, String> changes) {
        Map<String, String> s = s3Mock(endpoint);
        s.putAll(changes);
        return confArgs("fs.s3a.", s);
    }

    static ProcessRun nowag(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessRun.repoRoot().resolve("bin/nowag").toString());
        cmd.addAll(args);
        return ProcessRun.run(tmp, cmd, Map.of("NOWAG_CLASSPATH", NotebooksTest.testClasspath(),
                "JAVA_HOME", System.getProperty("java.home"), "SPARK_LOCAL_IP", "127.0.0.1"), 600);
    }

    static List<String> with(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    /** The "nowag: error" line of a run's output. */
    static String errorLine(ProcessRun r) {
        return r.output.lines().filter(l -> l.startsWith("nowag: ")).findFirst().orElse("(no nowag: line) " + r.output);
    }

    @Test
    void inspectAndADryRunReadAnS3ModelWithTheSettingsGivenAsConf() throws Exception {
        ProcessRun inspect = nowag(with(List.of("inspect", "--model", s3Model), conf(Map.of())));
        assertEquals(0, inspect.exitCode, inspect.output);
        assertTrue(inspect.output.contains(HostileInputTest.DOWN) && inspect.output.contains("2 to compress"), inspect.output);

        ProcessRun dry = nowag(with(List.of("compress", "--model", s3Model, "--out", tmp.resolve("never").toString(),
                "--dry-run"), conf(Map.of())));
        assertEquals(0, dry.exitCode, dry.output);
        assertTrue(dry.output.contains(s3Model + ": 2 tensors") && dry.output.contains("2 tensors (4.10 kB) to compress"), dry.output);
        assertFalse(Files.exists(tmp.resolve("never")));
        assertFalse(inspect.output.contains(Stores.SECRET_KEY) || dry.output.contains(Stores.SECRET_KEY));
    }

    @Test
    void anUnreachableEndpointFailsNamingItAndTheRetrySettingsInForce() throws Exception {
        String closed = "http://127.0.0.1:" + Stores.freePorts(1)[0];
        Path out = tmp.resolve("unreachable-out");
        ProcessRun run = nowag(with(List.of("compress", "--model", s3Model, "--out", out.toString()),
                conf(Map.of("endpoint", closed))));
        assertEquals(1, run.exitCode, run.output);
        String line = errorLine(run);
        for (String part : new String[] {"cannot reach the S3 endpoint " + closed + " for bucket " + Stores.BUCKET,
                "fs.s3a.retry.limit=3", "fs.s3a.attempts.maximum=2", "fs.s3a.connection.establish.timeout=5s",
                "--conf spark.hadoop.fs.s3a.endpoint=URL", "--conf spark.hadoop.fs.s3a.retry.limit="}) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
        assertFalse(Refusals.hasStackTrace(run.output), run.output);
        assertFalse(Files.exists(out), "nothing written");

        // The user's own retry settings are kept, and the message names them.
        Map<String, String> patient = new LinkedHashMap<>();
        patient.put("endpoint", closed);
        patient.put("retry.limit", "1");
        patient.put("attempts.maximum", "1");
        ProcessRun own = nowag(with(List.of("inspect", "--model", s3Model), conf(patient)));
        assertEquals(1, own.exitCode, own.output);
        String ownLine = errorLine(own);
        assertTrue(ownLine.contains("fs.s3a.retry.limit=1") && ownLine.contains("fs.s3a.attempts.maximum=1"), ownLine);
    }

    @Test
    void missingCredentialsSayHowToGiveThem() throws Exception {
        Map<String, String> noKeys = new LinkedHashMap<>();
        noKeys.put("access.key", null);
        noKeys.put("secret.key", null);
        ProcessRun run = nowag(with(List.of("inspect", "--model", s3Model), conf(noKeys)));
        assertEquals(1, run.exitCode, run.output);
        String line = errorLine(run);
        for (String part : new String[] {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "--conf spark.hadoop.fs.s3a.aws.credentials.provider=", "--conf spark.hadoop.fs.s3a.access.key="}) {
            assertTrue(line.contains(part), "'" + part + "' in: " + line);
        }
        assertFalse(Refusals.hasStackTrace(run.output), run.output);
    }

    @Test
    void besideARunningContextConfAppliesToTheCommandOnlyAndSparkSettingsAreRefused() throws Exception {
        Configuration shared = Fixtures.spark().hadoopConfiguration();
        String bucket = "conf-scope-probe";
        String closed = "http://127.0.0.1:" + Stores.freePorts(1)[0];
        String timeoutBefore = shared.get("fs.s3a.connection.establish.timeout");
        List<String> args = with(List.of("inspect", "--model", "s3a://" + bucket + "/m"),
                confArgs("fs.s3a.bucket." + bucket + ".", s3Mock(closed)));

        CliAndCalibrationTest.Run run = CliAndCalibrationTest.cli(args.toArray(new String[0]));
        assertEquals(1, run.code, run.err);
        assertTrue(run.err.contains("cannot reach the S3 endpoint " + closed + " for bucket " + bucket), run.err);
        assertNull(shared.get("fs.s3a.bucket." + bucket + ".endpoint"), "--conf lasts as long as the command");
        assertEquals(timeoutBefore, shared.get("fs.s3a.connection.establish.timeout"));

        CliAndCalibrationTest.Run spark = CliAndCalibrationTest.cli("inspect", "--model", "m", "--conf", "spark.executor.memory=4g");
        assertEquals(2, spark.code, spark.err);
        assertTrue(spark.err.contains("--conf spark.executor.memory") && spark.err.contains("Spark is already running"), spark.err);
    }
}
