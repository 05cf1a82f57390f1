package org.nowag.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Real storage, started by the tests themselves (CI has nothing running): an in-process HDFS (MiniDFSCluster) and an
 * out-of-process S3-compatible server (Adobe S3Mock's executable jar), each started at most once per JVM and stopped
 * when the JVM exits, so every test class shares them.
 */
public final class Stores {
    public static final String BUCKET = "nowag-test";
    /** A distinctive credential: the credential tests grep every output for it. */
    public static final String ACCESS_KEY = "NOWAGTESTACCESSKEY0001";
    public static final String SECRET_KEY = "nowag-Secret-Key-9f3c1e77-must-never-leak";

    private static MiniDFSCluster hdfs;
    private static Process s3mock;
    private static int s3Port;

    private Stores() {}

    /** hdfs://127.0.0.1:PORT of the shared MiniDFSCluster. */
    public static synchronized URI hdfs() throws IOException {
        if (hdfs == null) {
            Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "minidfs");
            Configuration conf = new Configuration();
            conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
            // Small blocks: the model's shard spans several blocks, as a real model's would.
            conf.setLong("dfs.blocksize", 8L << 20);
            conf.setLong("dfs.namenode.fs-limits.min-block-size", 1L << 20);
            hdfs = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
            hdfs.waitActive();
            MiniDFSCluster started = hdfs;
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown));
        }
        return hdfs.getFileSystem().getUri();
    }

    public static synchronized MiniDFSCluster hdfsCluster() throws IOException {
        hdfs();
        return hdfs;
    }

    /** Starts S3Mock (once) and puts the S3A settings for it into conf. Returns s3a://BUCKET. */
    public static synchronized URI s3(Configuration conf) throws IOException {
        if (s3mock == null) startS3Mock();
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + s3Port);
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.access.key", ACCESS_KEY);
        conf.set("fs.s3a.secret.key", SECRET_KEY);
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.set("fs.s3a.fast.upload.buffer", "bytebuffer");
        conf.set("fs.s3a.bucket.probe", "0");
        // Multipart uploads for anything over 8 MiB: the model's shard is uploaded in parts, as a real one would be.
        conf.set("fs.s3a.multipart.size", "8M");
        conf.set("fs.s3a.multipart.threshold", "8M");
        conf.set("fs.s3a.attempts.maximum", "2");
        conf.set("fs.s3a.retry.limit", "2");
        return URI.create("s3a://" + BUCKET);
    }

    private static void startS3Mock() throws IOException {
        String jar = System.getProperty("nowag.s3mock.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("S3Mock jar not found (system property nowag.s3mock.jar = " + jar
                    + "); run the tests through Maven, which copies it to tests/target/s3mock");
        }
        Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "s3mock");
        int[] ports = freePorts(4);
        s3Port = ports[0];
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar,
                "--server.address=127.0.0.1",
                // The HTTP connector takes http.port (it ignores server.address); server.port is the HTTPS one.
                "--http.port=" + ports[0], "--server.port=" + ports[1],
                "--vectors.http.port=" + ports[2], "--vectors.https.port=" + ports[3],
                "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.max-payload-size=1GB",
                "--spring.main.banner-mode=off"));
        Path log = root.resolveSibling(root.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy();
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }));
        long deadline = System.nanoTime() + 180_000_000_000L; // a loaded 2-core machine needs ~30 s
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + p.exitValue() + "; see " + log);
            }
            if (answers(ports[0])) {
                s3mock = p;
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for S3Mock", e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("S3Mock did not answer on port " + ports[0] + " within 180 s; see " + log);
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) if (s != null) s.close();
        }
        return ports;
    }

    /** Copies a local directory (files only, one level) to dest on any file system. */
    public static void upload(Path localDir, org.apache.hadoop.fs.Path dest, Configuration conf) throws IOException {
        FileSystem local = FileSystem.getLocal(conf);
        FileSystem fs = dest.getFileSystem(conf);
        fs.mkdirs(dest);
        try (var files = Files.list(localDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                FileUtil.copy(local, new org.apache.hadoop.fs.Path(f.toUri()), fs,
                        new org.apache.hadoop.fs.Path(dest, f.getFileName().toString()), false, true, conf);
            }
        }
    }

    /** Every file directly in dir, by name, with its bytes (the model files are tens of MB: fine in a test). */
    public static Map<String, byte[]> files(org.apache.hadoop.fs.Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        Map<String, byte[]> out = new TreeMap<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (!st.isFile()) continue;
            try (FSDataInputStream in = fs.open(st.getPath())) {
                out.put(st.getPath().getName(), in.readAllBytes());
            }
        }
        return out;
    }

    public static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Every message in the cause chain, one per line: what a user would read in a stack trace. */
    public static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            s.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return s.toString();
    }
}
