package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressionReport;

/**
 * deploy/nowag-submit.sh for real: its command line goes through Spark 4.2's own launcher and SparkSubmit (from a
 * SPARK_HOME whose jars/ is this test's classpath) and compresses MiniLM with the driver JVM the launcher built.
 */
class DeploySparkSubmitTest {
    @TempDir Path tmp;

    /** A folder of classes as a jar: SPARK_HOME/jars/ takes jars only. */
    static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    @Test
    void wrapperLineRunsThroughSparksLauncherAndSparkSubmitAndCompressesMiniLm() throws Exception {
        // Outside @TempDir: its cleanup warns about every symbolic link; this test removes its links itself.
        Path home = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "spark-home");
        try {
            submitAndCheck(home);
        } finally {
            try (Stream<Path> all = Files.walk(home)) {  // does not follow links: removes them, never their targets
                for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
            }
        }
    }

    private void submitAndCheck(Path home) throws Exception {
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("bin"));
        Path appJar = null;
        int i = 0;
        for (String entry : NotebooksTest.testClasspath().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                if (p.endsWith(Path.of("test-classes"))) continue;  // the tests themselves stay out
                Path j = home.resolve("jars").resolve("classes-" + (i++) + ".jar");
                jar(p, j);
                if (Files.exists(p.resolve("org/nowag/job/cli/NowagCli.class"))) appJar = j;
            } else if (entry.endsWith(".jar")) {
                Files.createSymbolicLink(home.resolve("jars").resolve(i++ + "-" + p.getFileName()), p);
                if (p.getFileName().toString().startsWith("nowag-spark-job")) appJar = p;
            }
        }
        assertTrue(appJar != null, "spark-job's classes are on the test classpath");
        Path submit = home.resolve("bin/spark-submit");
        try (var in = DeploySparkSubmitTest.class.getResourceAsStream("/spark-submit-standin.sh")) {
            Files.copy(in, submit);
        }
        assertTrue(submit.toFile().setExecutable(true));

        Path out = tmp.resolve("minilm-24");
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", ProcessRun.repoRoot().resolve("deploy/nowag-submit.sh").toString(),
                        "--jar", appJar.toString(), "--master", "local[2]", "--driver-memory", "2g", "--",
                        "compress", "--model", Fixtures.miniLm().toString(), "--out", out.toString(),
                        "--method", "magnitude", "--pattern", "2:4"),
                Map.of("SPARK_HOME", home.toString(), "JAVA_HOME", System.getProperty("java.home"),
                        "SPARK_LOCAL_IP", "127.0.0.1"), 400);
        assertEquals(0, run.exitCode, run.output);

        // The driver JVM got the wrapper's JVM options from Spark's launcher, and SparkSubmit ran our main class.
        String driver = run.output.lines().filter(l -> l.startsWith("driver command:")).findFirst().orElseThrow();
        assertTrue(driver.contains(" " + DeployFilesTest.jvmOpens() + " "), driver);
        assertTrue(driver.contains("-Xmx2g") && driver.contains("org.apache.spark.deploy.SparkSubmit"), driver);
        assertTrue(driver.contains("--class org.nowag.job.cli.NowagCli"), driver);

        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")), run.output);
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        assertEquals("local[2]", report.sparkMaster);
        assertEquals(36, report.tensorsCompressed);
        assertEquals(0.5, report.overallSparsity, 1e-12);
        assertEquals("2:4", report.pattern);
    }
}
