package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;

/** The notebooks in notebooks/: CI runs the jshell one on MiniLM and checks the Databricks one against the API. */
class NotebooksTest {
    /** The notebook's py4j calls, from py4j_calls.py: "call RECEIVER METHOD" or "attr RECEIVER NAME". */
    List<String> py4jFacts(Path notebook) throws Exception {
        Path script = tmp.resolve("py4j_calls.py");
        if (!Files.exists(script)) {
            try (var in = NotebooksTest.class.getResourceAsStream("/py4j_calls.py")) {
                Files.copy(in, script);
            }
        }
        ProcessRun run = ProcessRun.run(tmp, List.of("python3", script.toString(), notebook.toString()), 60);
        assertEquals(0, run.exitCode, run.output);
        return run.output.strip().lines().toList();
    }

    /** The public method NAME of a receiver: "jvm:a.b.C" (a class) or "RECEIVER#m" (what m returned). */
    static Method javaMethod(String receiver, String name) throws Exception {
        Class<?> type;
        int hash = receiver.lastIndexOf('#');
        if (hash < 0) {
            type = Class.forName(receiver.substring("jvm:".length()));
        } else {
            Method returning = javaMethod(receiver.substring(0, hash), receiver.substring(hash + 1));
            if (returning == null) return null;
            type = returning.getReturnType();
        }
        Method found = null;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(name)) continue;
            if (found != null && found.getReturnType() != m.getReturnType()) {
                throw new AssertionError(type.getName() + "." + name + " is overloaded with different return types");
            }
            found = m;
        }
        return found;
    }

    static final Path NOTEBOOKS = ProcessRun.repoRoot().resolve("notebooks");

    @TempDir Path tmp;

    /**
     * This test JVM's classpath (Surefire may hand it over as a manifest-only jar, so prefer its own property),
     * without entries that do not exist: jshell refuses those (the tests module has no main classes).
     */
    static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
        return java.util.Arrays.stream(cp.split(File.pathSeparator)).filter(e -> new File(e).exists())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    @Test
    void jshellNotebookCompressesMiniLmAndPrintsEachLayersProxyLossAsInReportJson() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assertTrue(Files.isExecutable(jdk.resolve("bin/jshell")), "jshell in the test's JDK " + jdk);
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", NOTEBOOKS.resolve("run-jshell.sh").toString(),
                        "-R-Dnowag.notebook.dir=" + tmp, "-R-Djava.io.tmpdir=" + tmp,
                        NOTEBOOKS.resolve("minilm.jsh").toString()),
                Map.of("NOWAG_CLASSPATH", testClasspath(), "JAVA_HOME", jdk.toString(), "SPARK_LOCAL_IP", "127.0.0.1"), 500);
        assertEquals(0, run.exitCode, run.output);
        assertFalse(run.output.contains("Exception") || run.output.contains("cannot find symbol")
                || run.output.contains("|  Error"), run.output);

        Path out = tmp.resolve("all-MiniLM-L6-v2-nowag-p50");
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")), "the notebook's output is complete");
        assertTrue(run.output.contains("output " + out + " (_SUCCESS)"), run.output);
        assertTrue(run.output.contains("method nowag-p, pattern unstructured:0.5:matrix, data-free true"), run.output);

        // The lines it printed are the per-layer sums of report.json, computed here independently.
        CompressionReport report = CompressionReport.fromJson(Files.readString(out.resolve("report.json")));
        Map<Integer, double[]> sums = new TreeMap<>();
        Pattern layer = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
        for (TensorReport t : report.tensors) {
            Matcher m = layer.matcher(t.name);
            assertTrue(m.find(), t.name);
            double[] s = sums.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new double[4]);
            s[0] += t.proxyLoss;
            s[1] += t.proxyEnergy;
            s[2] += t.kept;
            s[3] += t.numel;
        }
        assertEquals(6, sums.size(), "MiniLM has 6 layers");
        List<String> expected = new ArrayList<>();
        sums.forEach((i, s) -> expected.add(String.format(Locale.ROOT, "layer %-2d %12.4f %10.4f %9.4f",
                i, s[0], s[0] / s[1], 1 - s[2] / s[3])));
        List<String> printed = run.output.lines().filter(l -> l.matches("layer \\d.*")).toList();
        assertEquals(expected, printed, run.output);
        for (double[] s : sums.values()) assertTrue(s[0] > 0 && s[0] < s[1], "pruning half loses some, not all");
    }

    @Test
    void databricksNotebookIsSourceFormatCompilesAndCallsOnlyApiMethodsThatExist() throws Exception {
        Path notebook = NOTEBOOKS.resolve("databricks_compress.py");
        String text = Files.readString(notebook);
        assertTrue(text.startsWith("# Databricks notebook source\n"), "Databricks source format header");
        assertTrue(text.contains("\n# COMMAND ----------\n"), "cells");
        ProcessRun compile = ProcessRun.run(tmp, List.of("python3", "-c",
                "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                notebook.toString(), tmp.resolve("nb.pyc").toString()), 60);
        assertEquals(0, compile.exitCode, compile.output);

        // Through py4j only methods can be called: every Java call resolves to a public method (static on a class), and
        // no attribute of a returned Java object is read as a field (py4j hands back a JavaMember: TypeError).
        List<String> facts = py4jFacts(notebook);
        List<String> called = new ArrayList<>();
        for (String fact : facts) {
            String[] f = fact.split(" ");
            assertEquals("call", f[0], "a Java field read through py4j: " + fact);
            Method m = javaMethod(f[1], f[2]);
            assertTrue(m != null, "no public method " + f[2] + " on " + f[1]);
            if (!f[1].contains("#")) assertTrue(Modifier.isStatic(m.getModifiers()), f[1] + "." + f[2] + " is static");
            called.add(f[2]);
        }
        assertTrue(called.containsAll(List.of("unstructured", "compress", "readReport", "toJson", "run")), called.toString());
        // The check can fail: the notebook's earlier cell read report fields.
        Path bad = tmp.resolve("bad.py");
        Files.writeString(bad, "Nowag = spark._jvm.org.nowag.job.api.Nowag\nreport = Nowag.compress(None, None, None)\n"
                + "print(f\"{report.overallSparsity:.4f}\")\n");
        assertEquals(List.of("call jvm:org.nowag.job.api.Nowag compress", "attr jvm:org.nowag.job.api.Nowag#compress overallSparsity"),
                py4jFacts(bad));

        // A failed evaluate fails the cell (and a job running the notebook) instead of printing its exit code.
        assertTrue(text.contains("code = spark._jvm.org.nowag.job.cli.NowagCli.run(args)\nif code != 0:\n    raise "), text);
        // Unity Catalog volumes, not the DBFS root.
        assertFalse(text.contains("dbfs:/"), "no DBFS root paths");
        assertTrue(text.contains("\"/Volumes/"));
        // The fields the plot reads are in report.json (read back as JSON, not through py4j).
        JsonNode json = new ObjectMapper().readTree(new CompressionReport().toJson());
        for (String field : List.of("tensorsCompressed", "overallSparsity", "wallSeconds", "method", "pattern", "model", "tensors")) {
            assertTrue(json.has(field), field);
        }
        assertTrue(new File(NOTEBOOKS.toFile(), "README.md").isFile());
    }
}
