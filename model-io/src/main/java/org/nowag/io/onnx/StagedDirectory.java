package org.nowag.io.onnx;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;

/**
 * A directory built under a temporary sibling name ({@code <target>.tmp-<uuid>}) and renamed into place by
 * {@link #commit()}, so a crash leaves either the complete directory or no target at all (plus, at worst, a
 * recognisable temp directory). close() without commit deletes the temp directory. The target must be absent or empty.
 */
final class StagedDirectory implements Closeable {
    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private boolean finished;

    private StagedDirectory(FileSystem fs, Path target, Path staging) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
    }

    /** Fails unless target is absent or an empty directory; cheap, so callers check before expensive work. */
    static void requireAbsentOrEmpty(FileSystem fs, Path target) throws IOException {
        if (!fs.exists(target)) return;
        FileStatus status = fs.getFileStatus(target);
        if (!status.isDirectory()) {
            throw new IOException("output " + target + " exists and is a file; refusing to overwrite it");
        }
        FileStatus[] entries = fs.listStatus(target);
        if (entries.length > 0) {
            String[] names = Arrays.stream(entries).limit(5).map(e -> e.getPath().getName()).toArray(String[]::new);
            throw new IOException("output directory " + target + " is not empty (" + entries.length + " entries, e.g. "
                    + String.join(", ", names) + "); refusing to overwrite it: choose a new directory or delete it first");
        }
    }

    static StagedDirectory create(FileSystem fs, Path requested) throws IOException {
        Path target = withoutTrailingSlash(requested);
        requireAbsentOrEmpty(fs, target);
        Path parent = target.getParent();
        if (parent == null) {
            throw new IOException("cannot stage " + target + ": it has no parent directory");
        }
        // A sibling, so the final rename stays inside one directory (never across mounts or bucket prefixes).
        Path staging = new Path(parent, target.getName() + AtomicFiles.TEMP_MARKER + UUID.randomUUID());
        if (!fs.mkdirs(staging)) {
            throw new IOException("cannot create staging directory " + staging);
        }
        return new StagedDirectory(fs, target, staging);
    }

    /**
     * new Path(URI) keeps a trailing slash (java.nio's toUri() adds one to existing directories), and then getName()
     * is empty and getParent() is the directory itself: the staging directory would land inside the target.
     */
    static Path withoutTrailingSlash(Path p) {
        URI u = p.toUri();
        String path = u.getPath();
        if (path == null || path.length() <= 1 || !path.endsWith("/")) return p;
        return new Path(u.getScheme(), u.getAuthority(), path.substring(0, path.length() - 1));
    }

    Path path() {
        return staging;
    }

    /** A new file in the staging directory; the caller closes it. */
    OutputStream create(String fileName) throws IOException {
        return fs.create(new Path(staging, fileName), false);
    }

    /** Renames the staging directory to the target; an empty target directory is replaced. */
    void commit() throws IOException {
        if (finished) throw new IllegalStateException("already committed or closed: " + staging);
        // Checked again: something may have been written into the target while we worked.
        requireAbsentOrEmpty(fs, target);
        // Renaming onto an existing directory moves the source inside it on HDFS (and in Hadoop's contract), so the
        // empty target goes first; a non-recursive delete cannot remove anything that appeared meanwhile.
        if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot remove empty output directory " + target + " before the rename");
        }
        if (!fs.rename(staging, target)) {
            throw new IOException("cannot rename " + staging + " to " + target);
        }
        finished = true;
    }

    @Override
    public void close() throws IOException {
        if (finished) return;
        finished = true;
        if (fs.exists(staging)) {
            fs.delete(staging, true);
        }
    }
}
