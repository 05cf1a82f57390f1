package org.nowag.tools.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The floor every method is measured against: read every file of the model and write the same bytes, nothing else. */
public final class IoFloor {
    private IoFloor() {}

    /** Copies all files of src into dst with plain streams; returns bytes copied. */
    public static long copyAll(FileSystem fs, Path src, Path dst) throws IOException {
        fs.mkdirs(dst);
        byte[] buf = new byte[8 << 20];
        long total = 0;
        for (FileStatus f : fs.listStatus(src)) {
            if (!f.isFile()) continue;
            try (InputStream in = fs.open(f.getPath()); OutputStream out = fs.create(new Path(dst, f.getPath().getName()), true)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    total += n;
                }
            }
        }
        return total;
    }
}
