package org.nowag.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A finished child process: its exit code and its stdout and stderr together. Missing programs fail the test. */
final class ProcessRun {
    final int exitCode;
    final String output;

    private ProcessRun(int exitCode, String output) {
        this.exitCode = exitCode;
        this.output = output;
    }

    static ProcessRun run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(dir, command, java.util.Map.of(), timeoutSeconds);
    }

    /** With {@code env} added to this JVM's environment. */
    static ProcessRun run(Path dir, List<String> command, java.util.Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "process", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            Process p = builder.directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("still running after " + timeoutSeconds + " s: " + command
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new ProcessRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The repository root: the first folder above the working directory that holds deploy/ and pom.xml. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new AssertionError("no repository root (a folder with deploy/ and pom.xml) above " + Path.of("").toAbsolutePath());
    }
}
