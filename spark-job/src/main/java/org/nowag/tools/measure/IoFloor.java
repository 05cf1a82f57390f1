package org.nowag.tools.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.LocalChecksums;

/**
 * The floor every method is measured against: read every file of the model and write the same bytes, nothing else.
 * It reads as a run reads (through the store's file system, which verifies Hadoop's checksum files where the model
 * has them) and writes as a run writes every output file ({@link LocalChecksums#writer}: no .crc beside the copy), so
 * that the floor does the same byte work as a run and nothing more.
 */
public final class IoFloor {
    private IoFloor() {}

    /** Copies all files of src into dst with plain streams; returns bytes copied. */
    public static long copyAll(FileSystem fs, Path src, Path dst) throws IOException {
        fs.mkdirs(dst);
        FileSystem out0 = LocalChecksums.writer(fs);
        byte[] buf = new byte[8 << 20];
        long total = 0;
        for (FileStatus f : fs.listStatus(src)) {
            if (!f.isFile()) continue;
            try (InputStream in = fs.open(f.getPath()); OutputStream out = out0.create(new Path(dst, f.getPath().getName()), true)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    total += n;
                }
            }
        }
        return total;
    }
}
