package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it, in its own JVM (NowagCli.main, its System.exit, its own log4j setup): a refusal is an
 * exit code and one error line with no stack trace anywhere in the output, Spark's log lines included; refusals come
 * before Spark starts; --verbose brings the traces back. The in-process runs of the other tests see the same.
 */
class UserVisibleErrorsTest {
    @TempDir Path tmp;

    /** java -cp (this test's class path) NowagCli args, with the JVM options the tests run with. */
    ProcessRun child(List<String> props, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-XX:+IgnoreUnrecognized") || arg.startsWith("-Dorg.bytedeco")
                    || arg.startsWith("-Djava.io.tmpdir")) cmd.add(arg);
        }
        cmd.add("-Xmx1g");
        cmd.add("-Dspark.extraListeners=" + SparkStartMarker.class.getName());
        cmd.add("-Dnowag.test.sparkStarted=" + tmp.resolve("spark-started"));
        cmd.addAll(props);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.nowag.job.cli.NowagCli"));
        cmd.addAll(List.of(args));
        return ProcessRun.run(tmp, cmd, 240);
    }

    /** The child's output without the JVM's own notice about --add-modules=jdk.incubator.vector (not ours). */
    static String ours(ProcessRun run) {
        return run.output.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .collect(java.util.stream.Collectors.joining("\n")).strip();
    }

    boolean sparkStarted() {
        return Files.exists(tmp.resolve("spark-started"));
    }

    Path model() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(m.resolve("config.json"), "{\"model_type\": \"llama\"}");
        HostileInputTest.writeModel(m.resolve("model.safetensors"), Map.of(HostileInputTest.DOWN, HostileInputTest.random(8, 8, 1)));
        return m;
    }

    @Test
    void aBogusMasterExitsTwoWithOneLineAndSparkNeverStarts() throws Exception {
        ProcessRun run = child(List.of(), "compress", "--model", model().toString(), "--out", tmp.resolve("out").toString(),
                "--master", "bogus://x");
        assertEquals(2, run.exitCode, run.output);
        assertTrue(run.output.contains("nowag: --master 'bogus://x': not a Spark master URL"), run.output);
        assertFalse(Refusals.hasStackTrace(run.output), run.output);
        assertFalse(sparkStarted(), "refused before Spark starts");
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aHostileModelIsRefusedBeforeSparkStartsAsInProcess() throws Exception {
        Path m = model();
        HostileInputTest.writeRaw(m.resolve("model.safetensors"), HostileInputTest.twoTensors("[0,32]", "[40,72]"), 72);
        Path out = tmp.resolve("out");
        ProcessRun run = child(List.of(), "compress", "--model", m.toString(), "--out", out.toString());
        CliAndCalibrationTest.Run inProcess = CliAndCalibrationTest.cli("compress", "--model", m.toString(), "--out", out.toString());
        assertEquals(1, run.exitCode, run.output);
        assertEquals(inProcess.code, run.exitCode);
        assertEquals(inProcess.err.strip(), ours(run), "the in-process run prints what a user sees");
        assertTrue(ours(run).startsWith("nowag: error: ") && run.output.contains("hole"), run.output);
        assertEquals(1, ours(run).lines().count(), "one line: " + run.output);
        assertFalse(sparkStarted());
        assertFalse(Files.exists(out));
    }

    @Test
    void aTaskThatFailsOnSparkShowsNoStackTraceUnlessVerbose() throws Exception {
        String[] args = {"compress", "--model", model().toString(), "--out", tmp.resolve("out").toString(),
                "--method", "magnitude", "--master", "local[1]"};
        // local[1] gives a task one attempt: the injected failure fails the job, as a bad executor would.
        List<String> fault = List.of("-Dnowag.fault.throwOnce=" + HostileInputTest.DOWN);
        ProcessRun quiet = child(fault, args);
        assertEquals(1, quiet.exitCode, quiet.output);
        assertTrue(sparkStarted());
        assertTrue(quiet.output.contains("nowag: error: ") && quiet.output.contains("injected fault"), quiet.output);
        assertFalse(Refusals.hasStackTrace(quiet.output), "neither ours nor in Spark's log lines: " + quiet.output);

        List<String> verboseArgs = new ArrayList<>(List.of(args));
        verboseArgs.add("--verbose");
        ProcessRun verbose = child(fault, verboseArgs.toArray(new String[0]));
        assertEquals(1, verbose.exitCode, verbose.output);
        assertTrue(Refusals.hasStackTrace(verbose.output), verbose.output);
    }
}
