package org.nowag.io.fs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A file's size and SHA-256, for output manifests. A plain class: it travels back from Spark tasks through Kryo. */
public final class FileDigest implements Serializable {
    private static final long serialVersionUID = 1L;
    public String name;
    public long size;
    public String sha256;

    public FileDigest() { }

    public FileDigest(String name, long size, String sha256) {
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
    }

    /** Reads the whole file once. */
    public static FileDigest of(FileSystem fs, Path file) throws IOException {
        MessageDigest md = sha256();
        long size = 0;
        byte[] buf = new byte[1 << 20];
        try (FSDataInputStream in = fs.open(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new FileDigest(file.getName(), size, HexFormat.of().formatHex(md.digest()));
    }

    public static FileDigest of(String name, InputStream in) throws IOException {
        MessageDigest md = sha256();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            size += n;
        }
        return new FileDigest(name, size, HexFormat.of().formatHex(md.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof FileDigest d && d.size == size && java.util.Objects.equals(d.name, name)
                && java.util.Objects.equals(d.sha256, sha256);
    }

    @Override public int hashCode() { return java.util.Objects.hash(name, size, sha256); }

    @Override public String toString() { return name + " (" + size + " bytes, sha256 " + sha256 + ")"; }

    /** Counts and hashes what passes through, so a writer gets the digest of what it wrote without reading it back. */
    public static final class Counting extends FilterOutputStream {
        private final MessageDigest md = sha256();
        private long size;

        public Counting(OutputStream out) { super(out); }

        @Override public void write(int b) throws IOException {
            out.write(b);
            md.update((byte) b);
            size++;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            md.update(b, off, len);
            size += len;
        }

        /** Does not close the underlying stream: the caller owns it. */
        @Override public void close() throws IOException { flush(); }

        public FileDigest digest(String name) {
            return new FileDigest(name, size, HexFormat.of().formatHex(md.digest()));
        }
    }
}
