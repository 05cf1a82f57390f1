package org.nowag.io.fs;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Attempt-safe writes: write under a unique temporary name beside the target, then rename into place. */
public final class AtomicFiles {
    public interface Writer { void write(OutputStream out) throws IOException; }

    private AtomicFiles() {}

    /**
     * Writes target via a temp file and a rename. If the target already exists after the write (another attempt
     * committed first), the temp file is deleted and false is returned; the content is the same by construction.
     * On failure the temp file is deleted and the exception rethrown.
     */
    public static boolean write(FileSystem fs, Path target, Writer writer) throws IOException { throw new UnsupportedOperationException("todo"); }
}
