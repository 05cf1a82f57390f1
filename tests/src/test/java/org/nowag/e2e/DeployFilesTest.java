package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** What CI can check of deploy/: the wrapper's command line, the DAG's graph, and that every file names the real job. */
class DeployFilesTest {
    static final String MAIN_CLASS = "org.nowag.job.cli.NowagCli";
    static final String JAR = "nowag-spark.jar";
    static final Path ROOT = ProcessRun.repoRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");

    @TempDir Path tmp;

    /** The parent pom's nowag.jvm.opens: the one list every deploy file must repeat. */
    static String jvmOpens() throws IOException {
        Matcher m = Pattern.compile("<nowag.jvm.opens>(.*?)</nowag.jvm.opens>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml defines nowag.jvm.opens");
        return m.group(1);
    }

    /** Splits the dry run's shell-quoted line (printf %q: backslash escapes) back into the arguments. */
    static List<String> unquote(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                any = true;
            } else if (c == ' ') {
                if (any) args.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) args.add(cur.toString());
        return args;
    }

    @Test
    void dryRunPrintsOneSparkSubmitLineWithMainClassJvmOptionsKryoUserOptionsJarAndNowagArguments() throws Exception {
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", DEPLOY.resolve("nowag-submit.sh").toString(), "--dry-run",
                "--jar", "/opt/jars/nowag-spark.jar", "--master", "yarn", "--conf", "spark.app.x=a b", "--",
                "compress", "--model", "hdfs:///m/llama", "--out", "hdfs:///m/llama p50"), 60);
        assertEquals(0, run.exitCode, run.output);
        String[] lines = run.output.strip().split("\n");
        assertEquals(1, lines.length, "one line: " + run.output);
        List<String> args = unquote(lines[0]);
        String opens = jvmOpens();
        List<String> expected = List.of("spark-submit",
                "--class", MAIN_CLASS,
                "--name", "nowag-compress",
                "--conf", "spark.driver.extraJavaOptions=" + opens,
                "--conf", "spark.executor.extraJavaOptions=" + opens,
                "--conf", "spark.serializer=org.apache.spark.serializer.KryoSerializer",
                "--conf", "spark.kryoserializer.buffer.max=256m",
                "--conf", "spark.task.maxFailures=4",
                "--conf", "spark.ui.showConsoleProgress=false",
                "--master", "yarn", "--conf", "spark.app.x=a b",
                "/opt/jars/nowag-spark.jar",
                "compress", "--model", "hdfs:///m/llama", "--out", "hdfs:///m/llama p50");
        assertEquals(expected, args);
    }

    @Test
    void dryRunWithoutSeparatorPassesEverythingToNowagAndDefaultsToTheBuiltJar() throws Exception {
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", DEPLOY.resolve("nowag-submit.sh").toString(), "--dry-run",
                "inspect", "--model", "/m"), 60);
        assertEquals(0, run.exitCode, run.output);
        List<String> args = unquote(run.output.strip());
        int jar = args.size() - 4;
        assertEquals(ROOT.resolve("spark-job/target/nowag-spark.jar").toString(), args.get(jar));
        assertEquals(List.of("inspect", "--model", "/m"), args.subList(jar + 1, args.size()));
        assertEquals("--conf", args.get(jar - 2), "no spark-submit options of the user's before the jar");
    }

    @Test
    void wrapperWithoutCommandExitsTwoAndSaysWhatToRun() throws Exception {
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", DEPLOY.resolve("nowag-submit.sh").toString(), "--dry-run"), 60);
        assertEquals(2, run.exitCode, run.output);
        assertTrue(run.output.contains("no nowag command given") && run.output.contains("compress --help"), run.output);
    }

    @Test
    void wrapperWithMissingJarExitsOneAndSaysHowToBuildIt() throws Exception {
        ProcessRun run = ProcessRun.run(tmp, List.of("bash", DEPLOY.resolve("nowag-submit.sh").toString(),
                "--jar", tmp.resolve("absent.jar").toString(), "inspect"), 60);
        assertEquals(1, run.exitCode, run.output);
        assertTrue(run.output.contains("mvn -B -q -Pdist package -DskipTests"), run.output);
    }

    @Test
    void airflowDagCompilesAndItsGraphIsCalibrateThenCompressThenEvaluateAsTheReadmeSays() throws Exception {
        Path dag = DEPLOY.resolve("airflow_nowag_dag.py");
        // Compile into tmp, not next to the DAG (py_compile would leave __pycache__ in the repository).
        ProcessRun compile = ProcessRun.run(tmp, List.of("python3", "-c",
                "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                dag.toString(), tmp.resolve("dag.pyc").toString()), 60);
        assertEquals(0, compile.exitCode, compile.output);

        Path script = tmp.resolve("dag_graph.py");
        try (var in = DeployFilesTest.class.getResourceAsStream("/dag_graph.py")) {
            Files.copy(in, script);
        }
        ProcessRun graph = ProcessRun.run(tmp, List.of("python3", script.toString(), dag.toString()), 60);
        assertEquals(0, graph.exitCode, graph.output);
        assertEquals(List.of(
                "task calibrate calibrate", "task compress compress", "task evaluate evaluate",
                "edge calibrate compress", "edge compress evaluate"), graph.output.strip().lines().toList());

        String dagText = Files.readString(dag);
        assertTrue(dagText.contains("\"" + MAIN_CLASS + "\""), "the DAG names the main class");
        assertTrue(dagText.contains("{{ run_id | path_safe }}"), "the output path depends on the DAG run");
        assertTrue(dagText.contains("\"retries\": 2"), "tasks retry");
        assertTrue(dagText.contains(JAR));
        assertTrue(Files.readString(DEPLOY.resolve("README.md")).contains("calibrate -> compress -> evaluate"));
    }

    @Test
    void airflowDagRepeatsThePomsJvmOptions() throws Exception {
        // The DAG splits the string over lines; Python joins adjacent literals, so compare the joined literal.
        ProcessRun run = ProcessRun.run(tmp, List.of("python3", "-c",
                "import ast, sys\n"
                        + "t = ast.parse(open(sys.argv[1]).read())\n"
                        + "print([n.value.value for n in t.body if isinstance(n, ast.Assign) and n.targets[0].id == 'JVM_OPENS'][0])",
                DEPLOY.resolve("airflow_nowag_dag.py").toString()), 60);
        assertEquals(0, run.exitCode, run.output);
        assertEquals(jvmOpens(), run.output.strip());
    }

    @Test
    void databricksJobParsesAndRunsTheMainClassFromTheJarInDependencyOrder() throws Exception {
        JsonNode job = new ObjectMapper().readTree(DEPLOY.resolve("databricks-job.json").toFile());
        JsonNode cluster = job.path("job_clusters").path(0);
        String clusterKey = cluster.path("job_cluster_key").asText();
        assertTrue(cluster.path("new_cluster").path("spark_version").asText().contains("scala2.13"));
        assertEquals(jvmOpens(), cluster.path("new_cluster").path("spark_conf").path("spark.executor.extraJavaOptions").asText());
        List<String> order = new ArrayList<>();
        String previous = null;
        for (JsonNode task : job.path("tasks")) {
            String key = task.path("task_key").asText();
            assertEquals(clusterKey, task.path("job_cluster_key").asText(), key + " runs on the job cluster");
            assertEquals(MAIN_CLASS, task.path("spark_jar_task").path("main_class_name").asText(), key);
            assertEquals(key, task.path("spark_jar_task").path("parameters").path(0).asText(), key + " runs its command");
            assertTrue(task.path("libraries").path(0).path("jar").asText().endsWith("/" + JAR), key);
            assertTrue(task.path("max_retries").asInt() > 0, key + " retries");
            if (previous != null) assertEquals(previous, task.path("depends_on").path(0).path("task_key").asText(), key);
            order.add(key);
            previous = key;
        }
        assertEquals(List.of("calibrate", "compress", "evaluate"), order);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sparkApplicationParsesAndNamesTheMainClassTheJarInTheImageAndTheJvmOptions() throws Exception {
        Map<String, Object> app;
        try (var in = Files.newBufferedReader(DEPLOY.resolve("spark-application.yaml"), StandardCharsets.UTF_8)) {
            app = new Yaml().load(in);
        }
        assertEquals("SparkApplication", app.get("kind"));
        assertTrue(((String) app.get("apiVersion")).startsWith("sparkoperator.k8s.io/"));
        Map<String, Object> spec = (Map<String, Object>) app.get("spec");
        assertEquals(MAIN_CLASS, spec.get("mainClass"));
        assertEquals("local:///opt/nowag/" + JAR, spec.get("mainApplicationFile"));
        assertEquals("Java", spec.get("type"));
        Map<String, Object> conf = (Map<String, Object>) spec.get("sparkConf");
        assertEquals(jvmOpens(), conf.get("spark.driver.extraJavaOptions"));
        assertEquals(jvmOpens(), conf.get("spark.executor.extraJavaOptions"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        List<Object> arguments = (List<Object>) spec.get("arguments");
        assertEquals("compress", arguments.get(0));
        for (Object a : arguments) assertTrue(a instanceof String, "arguments are strings (quote numbers): " + a);
        // The image the manifest runs must put the jar where mainApplicationFile says.
        assertTrue(Files.readString(DEPLOY.resolve("Dockerfile.spark")).contains("/opt/nowag/" + JAR));
    }

    @Test
    void sparkDefaultsAndDockerfileNameTheJvmOptionsAndTheJar() throws Exception {
        String defaults = Files.readString(DEPLOY.resolve("spark-defaults.conf"));
        assertTrue(defaults.contains("spark.driver.extraJavaOptions     " + jvmOpens() + "\n"));
        assertTrue(defaults.contains("spark.executor.extraJavaOptions   " + jvmOpens() + "\n"));
        assertTrue(defaults.contains("org.apache.spark.serializer.KryoSerializer"));
        // The image runs bin/nowag (the JVM options live there once), with the jar where the launcher looks for it.
        String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertTrue(docker.contains("COPY spark-job/target/" + JAR + " /opt/nowag/" + JAR));
        assertTrue(docker.contains("COPY bin/nowag /opt/nowag/bin/nowag"));
        assertTrue(docker.contains("ENTRYPOINT [\"/opt/nowag/bin/nowag\"]"));
        assertTrue(Files.readString(ROOT.resolve("bin/nowag")).contains("\"$prefix/" + JAR + "\""), "launcher looks in PREFIX/");
        assertTrue(docker.startsWith("#") && docker.contains("FROM eclipse-temurin:17-jre"));
    }
}
