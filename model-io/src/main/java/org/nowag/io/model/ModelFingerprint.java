package org.nowag.io.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.safetensors.TensorInfo;

/**
 * report.json's input and output fingerprints: one SHA-256 each, so two reports can tell whether they describe the
 * same input or the same output.
 * <ul>
 * <li>output: over the published files' names, sizes and SHA-256s (the manifest's digests, which the writers computed
 * while writing; {@link #RUN_FILES} excluded, as they describe the run);</li>
 * <li>input: over every shard's name and size and every tensor's name, dtype, shape and byte range, plus config.json's
 * and the side files' bytes. Not over the tensor bytes: that would read the whole model on the driver; an input
 * edited in place with the same header is therefore not told apart (an input that is one of our outputs carries
 * its _MANIFEST.json, whose bytes are covered, and with them every file's SHA-256).</li>
 * </ul>
 */
public final class ModelFingerprint {
    /**
     * Files that describe a run rather than hold the model (they name its times, paths and command line); the output
     * fingerprint leaves them out, so two runs with the same arguments on the same input have the same one.
     */
    public static final java.util.Set<String> RUN_FILES = java.util.Set.of("report.json", "report.html", "README.md",
            "nowag_provenance.json", "_MANIFEST.json", "_SUCCESS");

    private ModelFingerprint() {}

    public static String ofOutput(Collection<FileDigest> files) {
        TreeMap<String, FileDigest> sorted = new TreeMap<>();
        for (FileDigest d : files) if (!RUN_FILES.contains(d.name)) sorted.put(d.name, d);
        StringBuilder s = new StringBuilder("nowag-output-fingerprint-v1\n");
        for (FileDigest d : sorted.values()) s.append(d.name).append(' ').append(d.size).append(' ').append(d.sha256).append('\n');
        return sha256(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String ofInput(ModelDirectory model) throws IOException {
        MessageDigest md = digest();
        md.update("nowag-input-fingerprint-v1\n".getBytes(StandardCharsets.UTF_8));
        for (Path shard : model.shards()) {
            long size = model.fileSystem().getFileStatus(shard).getLen();
            md.update(("shard " + shard.getName() + ' ' + size + '\n').getBytes(StandardCharsets.UTF_8));
        }
        for (TensorInfo t : model.tensors()) {
            md.update((t.name() + ' ' + t.dtype() + ' ' + Arrays.toString(t.shape()) + ' ' + t.begin() + ' ' + t.end()
                    + '\n').getBytes(StandardCharsets.UTF_8));
        }
        if (model.configJson() != null) {
            md.update(("config.json\n" + model.configJson() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        java.util.List<Path> files = new java.util.ArrayList<>(model.otherFiles());
        Path manifest = new Path(model.root(), "_MANIFEST.json");
        if (model.fileSystem().exists(manifest)) files.add(manifest);
        for (Path p : files) {
            FileDigest d = FileDigest.of(model.fileSystem(), p);
            md.update(("file " + d.name + ' ' + d.size + ' ' + d.sha256 + '\n').getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
