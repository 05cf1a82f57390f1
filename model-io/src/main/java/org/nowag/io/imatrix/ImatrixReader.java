package org.nowag.io.imatrix;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a llama.cpp importance matrix, GGUF or legacy .dat (told apart by the "GGUF" magic, as llama.cpp does),
 * from any Hadoop FileSystem, as per-layer activation statistics under Hugging Face weight names.
 */
public final class ImatrixReader {
    /** imatrix files are a few floats per input column per layer (MBs even for 70B models); more is not one. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private ImatrixReader() {}

    public static ImportanceMatrix read(FileSystem fs, Path path) throws IOException {
        String file = path.toString();
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(file + ": no such imatrix file");
        }
        if (!status.isFile()) throw new ImatrixFormatException(file, "not a regular file");
        if (status.getLen() > MAX_BYTES) throw new ImatrixFormatException(file, status.getLen() + " bytes is too large for an imatrix");
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
            bytes = in.readAllBytes();
        }
        return read(bytes, file);
    }

    /** file names the source in error messages. */
    public static ImportanceMatrix read(byte[] bytes, String file) throws ImatrixFormatException {
        LittleEndianReader in = new LittleEndianReader(file, bytes);
        return GgufFile.hasMagic(bytes) ? GgufImatrixReader.read(in) : LegacyImatrixReader.read(in);
    }
}
