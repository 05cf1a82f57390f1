package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/nowag: finds the jar relative to itself, says how to build it when it is missing, and adds the JVM options. */
class LauncherTest {
    static final Path LAUNCHER = ProcessRun.repoRoot().resolve("bin/nowag");

    @TempDir Path tmp;

    /** The launcher copied into an install layout PREFIX/bin/nowag (what a tarball or image would hold). */
    Path install(Path prefix) throws Exception {
        Files.createDirectories(prefix.resolve("bin"));
        Path copy = prefix.resolve("bin/nowag");
        Files.copy(LAUNCHER, copy);
        assertTrue(copy.toFile().setExecutable(true));
        return copy;
    }

    Map<String, String> env(String... pairs) {
        java.util.HashMap<String, String> e = new java.util.HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));
        for (int i = 0; i < pairs.length; i += 2) e.put(pairs[i], pairs[i + 1]);
        return e;
    }

    @Test
    void launcherRepeatsThePomsJvmOptionsWhichAddTheVectorApi() throws Exception {
        Matcher m = Pattern.compile("readonly JVM_OPENS=\"(.*)\"").matcher(Files.readString(LAUNCHER));
        assertTrue(m.find());
        assertEquals(DeployFilesTest.jvmOpens(), m.group(1));
        assertTrue(m.group(1).contains("--add-modules=jdk.incubator.vector"));
    }

    @Test
    void withoutABuiltJarItExitsOneAndSaysWhereItLookedAndHowToBuild() throws Exception {
        Path prefix = tmp.resolve("checkout");
        Path nowag = install(prefix);
        ProcessRun run = ProcessRun.run(tmp, List.of(nowag.toString(), "demo"), env(), 60);
        assertEquals(1, run.exitCode, run.output);
        assertTrue(run.output.contains("the jar is not built: no " + prefix.resolve("spark-job/target/nowag-spark.jar")), run.output);
        assertTrue(run.output.contains("mvn -B -q -Pdist package -DskipTests"), run.output);

        ProcessRun named = ProcessRun.run(tmp, List.of(nowag.toString(), "demo"),
                env("NOWAG_JAR", tmp.resolve("absent.jar").toString()), 60);
        assertEquals(1, named.exitCode, named.output);
        assertTrue(named.output.contains("NOWAG_JAR=" + tmp.resolve("absent.jar") + ": no such file"), named.output);
    }

    @Test
    void aLinkToAnInstalledLauncherFindsTheJarNextToItAndPassesOptionsAndArguments() throws Exception {
        Path prefix = tmp.resolve("opt/nowag");
        Path nowag = install(prefix);
        Files.createDirectories(prefix.resolve("lib"));
        Files.write(prefix.resolve("lib/nowag-spark.jar"), new byte[0]);
        Path link = Files.createDirectories(tmp.resolve("usr/bin")).resolve("nowag");
        Files.createSymbolicLink(link, nowag);
        ProcessRun run = ProcessRun.run(tmp, List.of(link.toString(), "compress", "--model", "m m", "--dry-run"),
                env("NOWAG_LAUNCHER_DRY_RUN", "1", "NOWAG_JAVA_OPTS", "-Xmx3g"), 60);
        assertEquals(0, run.exitCode, run.output);
        List<String> args = DeployFilesTest.unquote(run.output.strip());
        List<String> opens = List.of(DeployFilesTest.jvmOpens().split(" "));
        assertEquals(Path.of(System.getProperty("java.home"), "bin/java").toString(), args.get(0));
        assertEquals(opens, args.subList(1, 1 + opens.size()));
        assertEquals(List.of("-Xmx3g", "-jar", prefix.toRealPath().resolve("lib/nowag-spark.jar").toString(),
                "compress", "--model", "m m", "--dry-run"), args.subList(1 + opens.size(), args.size()));
    }

    /** For real: the launcher's JVM runs nowag (from the test classpath) with the Vector API module resolved. */
    @Test
    void launcherRunsNowagWithTheVectorApiModule() throws Exception {
        ProcessRun run = ProcessRun.run(tmp, List.of(LAUNCHER.toString(), "inspect", "--model", Fixtures.miniLm().toString()),
                env("NOWAG_CLASSPATH", NotebooksTest.testClasspath()), 120);
        assertEquals(0, run.exitCode, run.output);
        // The JVM says so on stderr when --add-modules=jdk.incubator.vector took effect.
        assertTrue(run.output.contains("WARNING: Using incubator modules: jdk.incubator.vector"), run.output);
        assertTrue(run.output.contains("36 to compress with"), run.output);
    }
}
