package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.FileDigest;

/** Size and SHA-256 of one output file written by an earlier, interrupted run; on an executor, next to the data. */
public final class DigestTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String path;

    public DigestTask(String path) { this.path = path; }

    public FileDigest run(Configuration conf) throws IOException {
        Path p = new Path(path);
        return FileDigest.of(p.getFileSystem(conf), p);
    }
}
