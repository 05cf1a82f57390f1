package org.nowag.e2e;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * A Spark standalone cluster made of child JVMs, with no Spark distribution: a Master and Workers (one core each, so
 * every executor is its own JVM) bound to 127.0.0.1 on free ports, their classpath ({@code SPARK_HOME/jars}) the
 * test classpath less everything of nowag's and everything the thin jar carries, as a cluster that provides Spark
 * would have it. Applications go in through Spark's own {@code SparkSubmit} (client mode, a child JVM). Every child
 * is stopped by {@link #close} and, should the test JVM die first, by a shutdown hook.
 */
final class SparkStandalone implements AutoCloseable {
    /** The JVM options Spark 4.2 needs on JDK 17 (the parent pom's nowag.jvm.opens), for every child. */
    static List<String> jvmOpens() throws IOException {
        return List.of(DeployFilesTest.jvmOpens().split(" "));
    }

    final Path home;
    final String masterUrl;
    final int masterUiPort;
    private final Path logs;
    private final List<Process> children = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll);

    private SparkStandalone(Path home, Path logs, String masterUrl, int masterUiPort) {
        this.home = home;
        this.logs = logs;
        this.masterUrl = masterUrl;
        this.masterUiPort = masterUiPort;
    }

    /** Starts a Master and {@code workers} Workers of one core and {@code workerMemory} each; waits until all registered. */
    static SparkStandalone start(Path dir, int workers, String workerMemory) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        linkSparkJars(home);
        int[] ports = Stores.freePorts(2 + 2 * workers);
        SparkStandalone cluster = new SparkStandalone(home, logs, "spark://127.0.0.1:" + ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(cluster.hook);
        try {
            // No REST submission server: it would take the fixed port 6066.
            cluster.children.add(cluster.launch("master", List.of("-Xmx256m", "-Dspark.master.rest.enabled=false"), List.of(
                    "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(ports[0]),
                    "--webui-port", Integer.toString(ports[1]))));
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(dir.resolve("work-" + w));
                Process p = cluster.launch("worker-" + w, List.of("-Xmx256m"), List.of(
                        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--port", Integer.toString(ports[2 + 2 * w]), "--webui-port", Integer.toString(ports[3 + 2 * w]),
                        "--cores", "1", "--memory", workerMemory, "--work-dir", work.toString(), cluster.masterUrl));
                cluster.children.add(p);
                cluster.workers.add(p);
            }
            cluster.awaitWorkers(workers, TimeUnit.MINUTES.toNanos(3));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The Spark distribution a cluster would have: the test classpath's jars less nowag's classes and the thin jar's. */
    static void linkSparkJars(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> thin = thinJarGroups();
        int i = 0;
        for (String entry : NotebooksTest.testClasspath().split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || p.getFileName().toString().startsWith("nowag-")) continue;
            String unix = p.toString().replace(File.separatorChar, '/');
            if (thin.stream().anyMatch(unix::contains)) continue;
            Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", i++, p.getFileName())), p);
        }
    }

    /**
     * The artifacts spark-job/pom.xml puts into the thin jar (its shade execution "thin"), as local-repository path
     * fragments ("/org/nd4j/", "/info/picocli/picocli/"): what the cluster must not have, so the thin jar must.
     */
    static List<String> thinJarGroups() throws IOException {
        Path pom = ProcessRun.repoRoot().resolve("spark-job/pom.xml");
        List<String> groups = new ArrayList<>();
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            NodeList executions = doc.getElementsByTagName("execution");
            for (int e = 0; e < executions.getLength(); e++) {
                var exec = (org.w3c.dom.Element) executions.item(e);
                NodeList id = exec.getElementsByTagName("id");
                if (id.getLength() == 0 || !id.item(0).getTextContent().trim().equals("thin")) continue;
                NodeList includes = exec.getElementsByTagName("include");
                for (int k = 0; k < includes.getLength(); k++) {
                    String[] ga = includes.item(k).getTextContent().trim().split(":");
                    groups.add("/" + ga[0].replace('.', '/') + "/" + (ga[1].equals("*") ? "" : ga[1] + "/"));
                }
            }
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("cannot read " + pom + ": " + e.getMessage(), e);
        }
        if (groups.isEmpty()) throw new IllegalStateException(pom + " has no shade execution \"thin\" with includes");
        return groups;
    }

    /** The thin jar `mvn package` builds; a clear failure when it was not built. */
    static Path thinJar() {
        Path jar = ProcessRun.repoRoot().resolve("spark-job/target/nowag-spark-thin.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: the cluster test submits the thin jar that `mvn package` "
                    + "builds; run `mvn -B -o -q -pl spark-job -am package -DskipTests` first (mvn verify does it)");
        }
        return jar;
    }

    private Process launch(String name, List<String> jvm, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpens());
        cmd.addAll(jvm);
        cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(logs.resolveSibling("tmp-" + name)));
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + File.separator + "*");
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().putAll(environment());
        return pb.start();
    }

    Map<String, String> environment() {
        return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1",
                "SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    }

    private void awaitWorkers(int n, long timeoutNanos) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        while (true) {
            for (Process p : children) {
                if (!p.isAlive()) throw new IllegalStateException("a cluster JVM exited with " + p.exitValue() + "; logs in " + logs);
            }
            try {
                Matcher m = alive.matcher(get("http://127.0.0.1:" + masterUiPort + "/json/"));
                if (m.find() && Integer.parseInt(m.group(1)) >= n) return;
            } catch (IOException notYet) {
                // the Master's UI is not up yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException(n + " workers did not register; logs in " + logs);
            Thread.sleep(250);
        }
    }

    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * How the application jar reaches the driver and the executors: a path SparkSubmit serves to every executor, which
     * copies it into its work folder ({@code shipped}, also what {@code local:} does: each executor copies the file
     * from its own disk), or a path every node has, put on the driver's and the executors' classpath with SparkSubmit
     * told there is no resource to fetch ({@code onClasspath}: {@code spark-internal}, Spark's own word for it).
     */
    static final class AppJar {
        final String resource;
        final Path classpath;

        private AppJar(String resource, Path classpath) {
            this.resource = resource;
            this.classpath = classpath;
        }

        static AppJar shipped(String uri) { return new AppJar(uri, null); }

        static AppJar onClasspath(Path jar) { return new AppJar("spark-internal", jar); }
    }

    /** The command line of a client-mode SparkSubmit of NowagCli with {@code args}. */
    List<String> submitCommand(AppJar jar, List<String> driverJvm, List<String> conf, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpens());
        cmd.add("-Xmx1g");
        cmd.addAll(driverJvm);  // what spark-submit's --driver-java-options puts on a client-mode driver
        cmd.add("-cp");
        // --driver-class-path, for a jar on the classpath
        cmd.add(home.resolve("jars") + File.separator + "*" + (jar.classpath == null ? "" : File.pathSeparator + jar.classpath));
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(List.of("--master", masterUrl, "--deploy-mode", "client", "--class", "org.nowag.job.cli.NowagCli"));
        if (jar.classpath != null) cmd.addAll(List.of("--conf", "spark.executor.extraClassPath=" + jar.classpath));
        cmd.addAll(conf);
        cmd.add(jar.resource);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts a submission; its output goes to {@code log}. */
    Process submit(AppJar jar, List<String> driverJvm, List<String> conf, List<String> args, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(submitCommand(jar, driverJvm, conf, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment());
        Process p = pb.start();
        synchronized (children) {
            children.add(p);
        }
        return p;
    }

    /** Copies of a jar named {@code name} in the Workers' executor folders. */
    long jarCopies(String name) throws IOException {
        try (Stream<Path> files = Files.walk(logs.getParent())) {
            return files.filter(p -> p.getFileName().toString().equals(name))
                    .filter(p -> p.getParent().getParent().getParent().getFileName().toString().startsWith("work-")).count();
        }
    }

    /** The executor JVMs the Workers have running now. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> found = new ArrayList<>();
        for (Process w : workers) {
            w.toHandle().descendants().filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(found::add);
        }
        return found;
    }

    Path logs() { return logs; }

    private void stopAll() {
        List<Process> all;
        synchronized (children) {
            all = new ArrayList<>(children);
        }
        // Submissions first, then Workers (they end their executors), then the Master.
        java.util.Collections.reverse(all);
        for (Process p : all) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Removes a folder tree without following links (the jars are links into ~/.m2). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
