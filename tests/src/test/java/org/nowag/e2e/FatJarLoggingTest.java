package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging of the runnable jar ({@code -Pdist}: spark-job/target/nowag-spark.jar) under {@code java -jar}: its log4j
 * plugin list is log4j-core's merged with the other jars' (not the last jar's copy), so log4j finds the project's
 * log4j2.properties and a Spark warning reaches stderr in its pattern. Run by the tests module's {@code dist} profile,
 * after the jar is built ({@code mvn -B -Pdist verify}).
 */
class FatJarLoggingTest {
    static final String PLUGINS = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

    @TempDir Path tmp;

    static Path fatJar() {
        Path jar = ProcessRun.repoRoot().resolve("spark-job/target/nowag-spark.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing; build it with mvn -B -Pdist package -DskipTests");
        return jar;
    }

    @Test
    void theJarsPluginListHasLog4jCoresConsoleAppenderAndPropertiesConfiguration() throws Exception {
        try (JarFile jar = new JarFile(fatJar().toFile())) {
            var entry = jar.getJarEntry(PLUGINS);
            assertTrue(entry != null, PLUGINS);
            String list = new String(jar.getInputStream(entry).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String plugin : List.of("org.apache.logging.log4j.core.appender.ConsoleAppender",
                    "org.apache.logging.log4j.core.layout.PatternLayout",
                    "org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory")) {
                assertTrue(list.contains(plugin), "log4j-core's " + plugin + " is in the merged plugin list");
            }
        }
    }

    @Test
    void aSparkWarningReachesStderrInTheProjectsPatternUnderJavaJar() throws Exception {
        Path out = tmp.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.io.tmpdir=" + tmp,
                // A key Spark has deprecated: SparkConf warns about it when the context is configured.
                "-Dspark.executor.port=4999",
                "-jar", fatJar().toString(), "compress", "--model", Fixtures.miniLm().toString(), "--out", out.toString(),
                "--method", "magnitude", "--include", "encoder\\.layer\\.0\\.attention\\.self\\.query\\.weight",
                "--master", "local[1]"));
        ProcessRun run = ProcessRun.run(tmp, cmd, Map.of("SPARK_LOCAL_IP", "127.0.0.1"), 400);
        assertEquals(0, run.exitCode, run.output);
        assertFalse(run.output.contains("No configuration found") || run.output.contains("Reconfiguration failed"), run.output);
        // log4j2.properties' pattern: "HH:mm:ss LEVEL Logger: message".
        assertTrue(run.output.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d WARN SparkConf: .*spark\\.executor\\.port.*")),
                "Spark's warning in the project's pattern:\n" + run.output);
        assertFalse(run.output.contains(" INFO "), "the project's config keeps Spark's INFO lines out:\n" + run.output);
    }

    @Test
    void deploysLog4jFileForSparkSubmitHasTheJarsSettings() throws Exception {
        Path root = ProcessRun.repoRoot();
        List<String> deploy = settings(root.resolve("deploy/log4j2.properties"));
        List<String> inJar = settings(root.resolve("spark-job/src/main/resources/log4j2.properties"));
        assertEquals(inJar, deploy);
    }

    private static List<String> settings(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
