package org.nowag.job.commit;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.nowag.io.fs.AtomicFiles;

/**
 * Where a run writes. Everything in progress lives under OUT/_staging (the run's fingerprint, committed parts,
 * committed shards); OUT/_SUCCESS holds the fingerprint of the run that completed the directory.
 */
public final class OutputLayout {
    public enum State { FRESH, RESUME, COMPLETE, CONFLICT }

    private final FileSystem fs;
    private final Path root;

    public OutputLayout(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    public FileSystem fs() { return fs; }
    public Path root() { return root; }
    public Path staging() { return new Path(root, "_staging"); }
    public Path fingerprintFile() { return new Path(staging(), "run.fingerprint"); }
    public Path partsDir() { return new Path(staging(), "parts"); }
    public Path shardsDir() { return new Path(staging(), "shards"); }
    public Path stagedShard(String name) { return new Path(shardsDir(), name); }
    public Path successMarker() { return new Path(root, "_SUCCESS"); }
    public Path report() { return new Path(root, "report.json"); }
    public Path manifest() { return new Path(root, OutputManifest.FILE); }

    /** Temp files a killed writer left directly in the output directory (never part of the model). */
    public void deleteTempLeftovers() throws IOException {
        for (FileStatus st : fs.listStatus(root)) {
            if (st.isFile() && st.getPath().getName().contains(AtomicFiles.TEMP_MARKER)) fs.delete(st.getPath(), false);
        }
    }

    /** Tensor names may hold any character; encoding keeps each in one directory level ('/' and '..' included). */
    public Path part(String tensor, int block, int blockCount) {
        String dir = "t_" + URLEncoder.encode(tensor, StandardCharsets.UTF_8).replace(".", "%2E");
        return new Path(new Path(partsDir(), dir), String.format("block-%05d-of-%05d.safetensors", block, blockCount));
    }

    public State state(String fingerprint) throws IOException {
        if (!fs.exists(root)) return State.FRESH;
        if (fs.exists(successMarker())) {
            return fingerprint.equals(readText(successMarker())) ? State.COMPLETE : State.CONFLICT;
        }
        if (fs.exists(fingerprintFile())) {
            return fingerprint.equals(readText(fingerprintFile())) ? State.RESUME : State.CONFLICT;
        }
        FileStatus[] children = fs.listStatus(root);
        return children.length == 0 ? State.FRESH : State.CONFLICT;
    }

    public void begin(String fingerprint) throws IOException {
        fs.mkdirs(partsDir());
        fs.mkdirs(shardsDir());
        AtomicFiles.write(fs, fingerprintFile(), out -> out.write(fingerprint.getBytes(StandardCharsets.UTF_8)));
    }

    /** Fully committed part files (temp files of attempts in flight are not counted). */
    public Set<Path> committedParts() throws IOException {
        Set<Path> parts = new HashSet<>();
        if (!fs.exists(partsDir())) return parts;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(partsDir(), true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (p.getName().endsWith(".safetensors")) parts.add(Path.getPathWithoutSchemeAndAuthority(p));
        }
        return parts;
    }

    public boolean isCommitted(Set<Path> committed, Path part) {
        return committed.contains(Path.getPathWithoutSchemeAndAuthority(part));
    }

    public String readText(Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    public void writeText(Path p, String text) throws IOException {
        fs.delete(p, false);
        AtomicFiles.write(fs, p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
