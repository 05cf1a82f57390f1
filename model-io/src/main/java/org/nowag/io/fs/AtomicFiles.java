package org.nowag.io.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Attempt-safe writes: write under a unique temporary name beside the target, then rename into place. */
public final class AtomicFiles {
    public interface Writer { void write(OutputStream out) throws IOException; }

    /** Marker in temporary names; a directory listing can recognise (and a cleanup can delete) leftovers by it. */
    public static final String TEMP_MARKER = ".tmp-";

    private AtomicFiles() {}

    /**
     * Writes target via a temp file and a rename. If the target already exists after the write (another attempt
     * committed first), the temp file is deleted and false is returned; the content is the same by construction.
     * On failure the temp file is deleted and the exception rethrown.
     */
    public static boolean write(FileSystem fs, Path target, Writer writer) throws IOException {
        Path parent = target.getParent();
        if (parent == null) {
            throw new IOException("cannot write " + target + ": it has no parent directory");
        }
        // Same directory as the target, so the rename never crosses a mount point or bucket prefix.
        Path temp = new Path(parent, target.getName() + TEMP_MARKER + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(temp, false)) {
                writer.write(out);
            }
            // Checked before the rename as well as after: the local file system's rename silently replaces an
            // existing file (java.io.File.renameTo), where HDFS refuses. The first committed copy must win everywhere.
            if (fs.exists(target)) {
                deleteTemp(fs, temp, null);
                return false;
            }
            if (fs.rename(temp, target)) {
                return true;
            }
            if (fs.exists(target)) {
                deleteTemp(fs, temp, null);
                return false;
            }
            throw new IOException("cannot rename " + temp + " to " + target + " (rename returned false, target absent)");
        } catch (Throwable failure) {
            deleteTemp(fs, temp, failure);
            throw failure;
        }
    }

    /** Deletes the temp file; a failure to delete is attached to the original failure rather than hiding it. */
    private static void deleteTemp(FileSystem fs, Path temp, Throwable original) throws IOException {
        try {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
        } catch (IOException e) {
            if (original == null) throw e;
            original.addSuppressed(e);
        }
    }
}
