package org.nowag.io.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** An open safetensors file on any Hadoop FileSystem; reads only the byte ranges asked for (positional reads). */
public final class SafetensorsFile implements Closeable {
    /** Opens and validates the header; a missing file, a truncated one or a bad header is a clear IOException naming the path. */
    public static SafetensorsFile open(FileSystem fs, Path path) throws IOException { throw new UnsupportedOperationException("todo"); }

    public SafetensorsHeader header() { throw new UnsupportedOperationException("todo"); }
    public Path path() { throw new UnsupportedOperationException("todo"); }

    /** Rows [rowStart, rowStart + rowCount) of a F32/F16/BF16 tensor, converted to float (row-major). */
    public float[] readRowsAsFloat(String tensor, long rowStart, int rowCount) throws IOException { throw new UnsupportedOperationException("todo"); }

    /** Raw bytes [offset, offset + length) of a tensor's data. */
    public byte[] readBytes(String tensor, long offset, int length) throws IOException { throw new UnsupportedOperationException("todo"); }

    /** Streams a tensor's bytes (or a byte range of it) to out in bounded chunks. */
    public void copyBytes(String tensor, long offset, long length, OutputStream out) throws IOException { throw new UnsupportedOperationException("todo"); }

    @Override public void close() throws IOException { throw new UnsupportedOperationException("todo"); }
}
