package org.nowag.job.commit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;

/**
 * The identity of a command's inputs and settings, as a SHA-256: a re-run with the same fingerprint finds its output
 * complete (or finishes it); an output with another fingerprint belongs to other inputs or settings and is refused.
 * A model counts by its path, its tensor headers (as {@code compress} fingerprints it), its config.json and, for a
 * model nowag wrote, its {@code _SUCCESS} (the fingerprint of the run that made it, so a model compressed again with
 * other settings at the same path is another input); text and single input files count by their bytes. Settings that
 * only change how the work is spread (--master, --partitions) are not part of it.
 */
public final class RunFingerprint {
    private final StringBuilder text;

    public RunFingerprint(String kind) {
        this.text = new StringBuilder(kind).append('\n');
    }

    /** A setting, by name. */
    public RunFingerprint setting(String name, Object value) {
        text.append(name).append('=').append(value).append('\n');
        return this;
    }

    /** A model directory: path, tensor headers, config.json, _SUCCESS. */
    public RunFingerprint model(String role, ModelDirectory m) throws IOException {
        text.append(role).append('=').append(m.root()).append('\n');
        for (TensorInfo t : m.tensors()) {
            text.append(t.name()).append(' ').append(t.dtype()).append(' ').append(Arrays.toString(t.shape()))
                    .append(' ').append(t.begin()).append(' ').append(t.end()).append(' ')
                    .append(m.shardOf(t.name()).getName()).append('\n');
        }
        text.append("config.json=").append(m.configJson() == null ? "none" : sha256(m.configJson())).append('\n');
        Path success = new Path(m.root(), "_SUCCESS");
        text.append("_SUCCESS=").append(m.fileSystem().exists(success) ? sha256(bytes(m.fileSystem(), success)) : "none")
                .append('\n');
        return this;
    }

    /** Text inputs as the commands read them: each file, or each .txt file of a directory in name order. */
    public RunFingerprint texts(List<String> uris, Configuration conf) throws IOException {
        for (String uri : uris) {
            Path p = new Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st = fs.getFileStatus(p);
            if (st.isDirectory()) {
                FileStatus[] files = fs.listStatus(p, f -> f.getName().endsWith(".txt"));
                Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
                for (FileStatus f : files) file("text " + uri + "/", f.getPath(), fs);
            } else {
                file("text ", p, fs);
            }
        }
        return this;
    }

    /** One input file by its bytes (streamed). */
    public RunFingerprint file(String role, Path p, FileSystem fs) throws IOException {
        MessageDigest md = sha();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(p)) {
            for (int n; (n = in.read(buf)) >= 0; ) md.update(buf, 0, n);
        }
        text.append(role).append(p.getName()).append('=').append(HexFormat.of().formatHex(md.digest())).append('\n');
        return this;
    }

    /** The fingerprint: SHA-256 of everything added, in hex. */
    public String digest() {
        return sha256(text.toString());
    }

    public static String sha256(String s) {
        return HexFormat.of().formatHex(sha().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha().digest(b));
    }

    private static byte[] bytes(FileSystem fs, Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return new byte[0];
        }
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
