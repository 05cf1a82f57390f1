package org.nowag.job.commit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;

/**
 * Where a run writes. Shards (and their Arrow files) go straight to their final names in OUT; everything else in
 * progress lives under OUT/_staging: the run's fingerprint, one record per committed shard, the claims of the runs
 * that want the directory, and scratch files of a method's preparation. OUT/_SUCCESS holds the fingerprint of the
 * run that completed the directory; _staging is removed then.
 */
public final class OutputLayout {
    public enum State { FRESH, RESUME, COMPLETE, CONFLICT }

    public static final String STAGING = "_staging";

    private final FileSystem fs;
    private final Path root;

    public OutputLayout(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    public FileSystem fs() { return fs; }
    public Path root() { return root; }
    public Path staging() { return new Path(root, STAGING); }
    public Path fingerprintFile() { return new Path(staging(), "run.fingerprint"); }
    public Path recordsDir() { return new Path(staging(), "shards"); }
    public Path record(String shardName) { return new Path(recordsDir(), shardName + ".json"); }
    public Path claimsDir() { return new Path(staging(), "claims"); }
    public Path scratchDir() { return new Path(staging(), "scratch"); }
    public Path successMarker() { return new Path(root, "_SUCCESS"); }
    public Path report() { return new Path(root, "report.json"); }
    public Path manifest() { return new Path(root, OutputManifest.FILE); }

    /** A tensor name in one directory level whatever characters it holds ('/' and '..' included). */
    public static String encode(String tensor) {
        return "t_" + URLEncoder.encode(tensor, StandardCharsets.UTF_8).replace(".", "%2E");
    }

    /** Temp files a killed writer left directly in the output directory (never part of the model). */
    public void deleteTempLeftovers() throws IOException {
        for (FileStatus st : fs.listStatus(root)) {
            if (st.isFile() && st.getPath().getName().contains(AtomicFiles.TEMP_MARKER)) fs.delete(st.getPath(), false);
        }
    }

    /**
     * FRESH: nothing there (or an empty directory, or only the claims of runs starting now); RESUME: a run with this
     * fingerprint is staged; COMPLETE: published with this fingerprint; CONFLICT: anything else.
     */
    public State state(String fingerprint) throws IOException {
        if (!fs.exists(root)) return State.FRESH;
        if (fs.exists(successMarker())) {
            return fingerprint.equals(readText(successMarker())) ? State.COMPLETE : State.CONFLICT;
        }
        if (fs.exists(fingerprintFile())) {
            return fingerprint.equals(readText(fingerprintFile())) ? State.RESUME : State.CONFLICT;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(root);
        } catch (FileNotFoundException gone) {
            return State.FRESH;
        }
        for (FileStatus c : children) {
            if (!c.getPath().getName().equals(STAGING)) return State.CONFLICT;
        }
        return State.FRESH;
    }

    public void begin(String fingerprint) throws IOException {
        fs.mkdirs(recordsDir());
        AtomicFiles.write(fs, fingerprintFile(), out -> out.write(fingerprint.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The shards a run committed: a record, and the shard (and its Arrow file, if any) present. A record whose file
     * is missing does not count (the shard is written again, the same bytes).
     */
    public Map<String, ShardRecord> committedShards() throws IOException {
        Map<String, ShardRecord> done = new LinkedHashMap<>();
        if (!fs.exists(recordsDir())) return done;
        for (FileStatus st : fs.listStatus(recordsDir())) {
            String name = st.getPath().getName();
            if (!st.isFile() || !name.endsWith(".json") || name.contains(AtomicFiles.TEMP_MARKER)) continue;
            ShardRecord r = ShardRecord.fromJson(readText(st.getPath()));
            if (!fs.exists(new Path(root, r.shard))) continue;
            if (r.arrow != null && !fs.exists(new Path(root, r.arrow))) continue;
            done.put(r.shard, r);
        }
        return done;
    }

    public String readText(Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    public void writeText(Path p, String text) throws IOException {
        writeBytes(p, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces p (only the run that holds the claim on the output calls this for a published file). */
    public void writeBytes(Path p, byte[] bytes) throws IOException {
        fs.delete(p, false);
        AtomicFiles.write(fs, p, out -> out.write(bytes));
    }

    /** Writes a small published file OUT/name and returns its digest for the manifest (no second read). */
    public FileDigest writeHashed(String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeBytes(new Path(root, name), bytes);
        try {
            return new FileDigest(name, bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
