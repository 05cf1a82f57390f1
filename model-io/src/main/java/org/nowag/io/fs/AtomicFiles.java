package org.nowag.io.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Attempt-safe writes. Two schemes, chosen per store:
 * <ul>
 * <li>file systems with an atomic rename (local, HDFS): write under a unique temporary name beside the target, then
 * rename into place, so the target name only ever holds a complete file;</li>
 * <li>object stores (S3A): no atomic rename (a rename is a copy), but an object only becomes visible when its upload
 * completes. There the target is written directly, and a failed write is aborted (never completed), so the target
 * name likewise only ever holds a complete object. A killed writer leaves at most an invisible pending upload.</li>
 * </ul>
 * Either way the content is a pure function of the task, so two attempts that both write produce the same bytes.
 */
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
    public static boolean write(FileSystem store, Path target, Writer writer) throws IOException {
        // Hadoop's local file system would add a .NAME.crc beside every file: not part of any model folder.
        FileSystem fs = LocalChecksums.writer(store);
        if (writesDirectly(fs, target)) {
            return writeDirect(fs, target, writer);
        }
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

    /**
     * True where the store can abort an output stream (S3A declares this): there an object appears only when its
     * upload completes, so writing the final name directly is safe and a rename (a full copy on S3) is avoided.
     */
    public static boolean writesDirectly(FileSystem fs, Path target) throws IOException {
        return fs.hasPathCapability(target, CommonPathCapabilities.ABORTABLE_STREAM);
    }

    private static boolean writeDirect(FileSystem fs, Path target, Writer writer) throws IOException {
        if (fs.exists(target)) {
            return false;  // another attempt completed it; same bytes by construction
        }
        // overwrite = true: a concurrent attempt may complete the same object first; its bytes are ours.
        FSDataOutputStream out = fs.create(target, true);
        boolean written = false;
        try {
            writer.write(out);
            written = true;
        } finally {
            if (!written) {
                // Without abort(), close() would complete the upload and publish a truncated object.
                out.abort();
            }
            out.close();
        }
        return true;
    }

    /**
     * Creates path holding content if, and only if, no file or object of that name exists, as one atomic step: of
     * several callers racing for the same name exactly one gets true. The store decides how: the local file system
     * by the operating system's exclusive create (O_EXCL), HDFS by the NameNode's create without overwrite, S3 by a
     * conditional PUT (If-None-Match: *, S3A's {@code fs.option.create.conditional.overwrite}), which S3 and
     * S3-compatible stores answer atomically. Returns false when the name was taken.
     */
    public static boolean createExclusive(FileSystem fs, Path path, byte[] content) throws IOException {
        Path qualified = fs.makeQualified(path);
        if ("file".equals(qualified.toUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Paths.get(qualified.toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            try {
                java.nio.file.Files.write(local, content, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                return false;
            }
        }
        try {
            FSDataOutputStream out;
            if (writesDirectly(fs, qualified)) {
                org.apache.hadoop.fs.FSDataOutputStreamBuilder<?, ?> b = fs.createFile(qualified);
                b.overwrite(false);
                b.must(org.apache.hadoop.fs.Options.CreateFileOptionKeys.FS_OPTION_CREATE_CONDITIONAL_OVERWRITE, true);
                out = b.build();
            } else {
                out = fs.create(qualified, false);
            }
            try (FSDataOutputStream o = out) {
                o.write(content);
            }
            return true;
        } catch (IOException e) {
            if (taken(e)) return false;
            throw e;
        }
    }

    /**
     * Whether a failed exclusive create means the name was taken: the file exists, or HDFS has it under
     * construction by another writer (AlreadyBeingCreatedException, also for another thread of this JVM's client),
     * or S3 refused the conditional PUT (HTTP 412 Precondition Failed, reported at close()).
     */
    private static boolean taken(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t instanceof org.apache.hadoop.ipc.RemoteException r ? r.getClassName() : t.getClass().getName();
            if (name.endsWith("FileAlreadyExistsException") || name.endsWith("AlreadyBeingCreatedException")) return true;
            String m = String.valueOf(t.getMessage());
            if (m.contains("412") || m.contains("PreconditionFailed") || m.contains("Precondition Failed")) return true;
            if (t.getCause() == t) break;
        }
        return false;
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
