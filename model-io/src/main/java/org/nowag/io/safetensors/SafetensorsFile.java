package org.nowag.io.safetensors;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An open safetensors file on any Hadoop FileSystem; reads only the byte ranges asked for (positional reads).
 * Every read is positional (it leaves the stream position alone), so one instance may be shared by several threads;
 * Hadoop streams either serve such reads concurrently or serialise them.
 */
public final class SafetensorsFile implements Closeable {
    /** Largest single read: big enough to stream at full speed, small enough never to need a huge byte[]. */
    static final int CHUNK_BYTES = 64 << 20;
    /** The JVM's practical array limit; a request above it cannot be returned as one array. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FSDataInputStream in;
    private final SafetensorsHeader header;
    private final int chunkBytes;

    private SafetensorsFile(Path path, FSDataInputStream in, SafetensorsHeader header, int chunkBytes) {
        this.path = path;
        this.in = in;
        this.header = header;
        this.chunkBytes = chunkBytes;
    }

    /** Opens and validates the header; a missing file, a truncated one or a bad header is a clear IOException naming the path. */
    public static SafetensorsFile open(FileSystem fs, Path path) throws IOException {
        return open(fs, path, CHUNK_BYTES);
    }

    /** open() with a smaller read chunk, so tests can cross chunk boundaries without 64 MiB tensors. */
    static SafetensorsFile open(FileSystem fs, Path path, int chunkBytes) throws IOException {
        if (chunkBytes < 8) throw new IllegalArgumentException("chunkBytes must be at least 8, got " + chunkBytes);
        String file = path.toString();
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(file + ": no such safetensors file");
        }
        if (!status.isFile()) {
            throw new SafetensorsFormatException(file, "not a regular file");
        }
        long fileLength = status.getLen();
        // Checked before opening so that a short file never reaches a read that would fail with a vague EOF.
        SafetensorsHeader.checkFileLength(file, fileLength);
        FSDataInputStream in = fs.open(path);
        try {
            byte[] prefix = new byte[8];
            in.readFully(0, prefix);
            long headerLength = littleEndianLong(prefix);
            SafetensorsHeader.checkHeaderLength(file, fileLength, headerLength);
            byte[] json = new byte[(int) headerLength];
            in.readFully(8, json);
            SafetensorsHeader header = SafetensorsHeader.parse(file, fileLength, headerLength, json);
            return new SafetensorsFile(path, in, header, chunkBytes);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in, e);
            throw e;
        }
    }

    public SafetensorsHeader header() { return header; }
    public Path path() { return path; }

    /** Rows [rowStart, rowStart + rowCount) of a F32/F16/BF16 tensor, converted to float (row-major). */
    public float[] readRowsAsFloat(String tensor, long rowStart, int rowCount) throws IOException {
        TensorInfo t = floatTensor(tensor);
        long floats = checkRows(t, rowStart, rowCount);
        if (floats > MAX_ARRAY) {
            throw new IllegalArgumentException(path + ": tensor '" + tensor + "': " + rowCount + " rows x " + t.cols()
                    + " = " + floats + " floats, too large for one array (limit " + MAX_ARRAY + "); read fewer rows");
        }
        float[] out = new float[(int) floats];
        readRowsAsFloat(tensor, rowStart, rowCount, out, 0);
        return out;
    }

    /** Like readRowsAsFloat, into dst[dstOff ...]; reads in bounded chunks so no large byte[] is ever allocated. */
    public void readRowsAsFloat(String tensor, long rowStart, int rowCount, float[] dst, int dstOff) throws IOException {
        TensorInfo t = floatTensor(tensor);
        long floats = checkRows(t, rowStart, rowCount);
        if (dstOff < 0 || floats > dst.length - (long) dstOff) {
            throw new IndexOutOfBoundsException("need " + floats + " floats at offset " + dstOff + " of an array of " + dst.length);
        }
        int width = t.dtype().bytes();
        long position = header.dataStart() + t.begin() + Math.multiplyExact(rowStart, t.rowBytes());
        long remaining = floats;
        int chunkFloats = (int) Math.min(remaining, chunkBytes / width);
        byte[] buf = new byte[chunkFloats * width];
        int at = dstOff;
        while (remaining > 0) {
            int n = (int) Math.min(remaining, chunkFloats);
            in.readFully(position, buf, 0, n * width);
            FloatCodec.decode(buf, 0, t.dtype(), dst, at, n);
            position += (long) n * width;
            at += n;
            remaining -= n;
        }
    }

    /** Raw bytes [offset, offset + length) of a tensor's data. */
    public byte[] readBytes(String tensor, long offset, int length) throws IOException {
        TensorInfo t = require(tensor);
        checkRange(t, offset, length);
        if (length > MAX_ARRAY) {
            throw new IllegalArgumentException(path + ": tensor '" + tensor + "': " + length + " bytes requested, limit " + MAX_ARRAY);
        }
        byte[] out = new byte[length];
        long position = header.dataStart() + t.begin() + offset;
        for (int done = 0; done < length; ) {
            int n = Math.min(length - done, chunkBytes);
            in.readFully(position + done, out, done, n);
            done += n;
        }
        return out;
    }

    /** Streams a tensor's bytes (or a byte range of it) to out in bounded chunks. */
    public void copyBytes(String tensor, long offset, long length, OutputStream out) throws IOException {
        TensorInfo t = require(tensor);
        checkRange(t, offset, length);
        byte[] buf = new byte[(int) Math.min(length, Math.min(chunkBytes, 8 << 20))];
        long position = header.dataStart() + t.begin() + offset;
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(length - done, buf.length);
            in.readFully(position + done, buf, 0, n);
            out.write(buf, 0, n);
            done += n;
        }
    }

    @Override public void close() throws IOException { in.close(); }

    private TensorInfo require(String tensor) {
        TensorInfo t = header.tensor(tensor);
        if (t == null) {
            throw new IllegalArgumentException(path + ": no tensor '" + tensor + "'");
        }
        return t;
    }

    private TensorInfo floatTensor(String tensor) {
        TensorInfo t = require(tensor);
        if (!t.dtype().isFloatConvertible()) {
            throw new IllegalArgumentException(path + ": tensor '" + tensor + "' has dtype " + t.dtype()
                    + ", which does not convert to float (only F32, F16, BF16); copy it with readBytes/copyBytes");
        }
        return t;
    }

    /** Returns the number of elements in the rows; rejects ranges outside the tensor. */
    private long checkRows(TensorInfo t, long rowStart, int rowCount) {
        if (rowStart < 0 || rowCount < 0 || rowStart > t.rows() - rowCount) {
            throw new IndexOutOfBoundsException(path + ": tensor '" + t.name() + "': rows [" + rowStart + ", "
                    + rowStart + " + " + rowCount + ") outside its " + t.rows() + " rows");
        }
        return Math.multiplyExact((long) rowCount, t.cols());
    }

    private void checkRange(TensorInfo t, long offset, long length) {
        if (offset < 0 || length < 0 || offset > t.byteSize() - length) {
            throw new IndexOutOfBoundsException(path + ": tensor '" + t.name() + "': bytes [" + offset + ", "
                    + offset + " + " + length + ") outside its " + t.byteSize() + " bytes");
        }
    }

    private static long littleEndianLong(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    private static void closeQuietly(Closeable c, Throwable original) {
        try {
            c.close();
        } catch (IOException e) {
            original.addSuppressed(e);
        }
    }
}
