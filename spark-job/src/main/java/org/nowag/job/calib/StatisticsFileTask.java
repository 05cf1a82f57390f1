package org.nowag.job.calib;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;

/**
 * The executor task that writes one of {@code calibrate}'s files from the staged pieces: the statistics file (one
 * 1-D F32 diag(X^T X) [d_in] per weight) or, with --full, its sibling {@code NAME.xtx.safetensors} (one 2-D F32
 * [d_in, d_in] per weight, band after band). Same header and bytes as {@link StatisticsFileWriter} writes from a
 * collector. Written under a temp name and renamed ({@link AtomicFiles}); a retry finding the file complete leaves it.
 */
public final class StatisticsFileTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private String target;
    private boolean full;
    private LinkedHashMap<String, String> metadata;
    private ArrayList<StagedPiece> pieces;   // in file order: weight by weight, band by band

    /** For serializers only. */
    private StatisticsFileTask() { }

    StatisticsFileTask(String target, boolean full, LinkedHashMap<String, String> metadata, ArrayList<StagedPiece> pieces) {
        this.target = target;
        this.full = full;
        this.metadata = metadata;
        this.pieces = pieces;
    }

    /** Bytes of the file written. */
    public long run(Configuration conf) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, List<StagedPiece>> byWeight = new LinkedHashMap<>();
        for (StagedPiece p : pieces) {
            byWeight.computeIfAbsent(p.name, n -> new ArrayList<>()).add(p);
        }
        for (List<StagedPiece> ps : byWeight.values()) {
            StagedPiece p = ps.get(0);
            specs.add(new TensorSpec(p.name, DType.F32, full ? new long[] {p.dIn, p.dIn} : new long[] {p.dIn}));
        }
        Path path = new Path(target);
        FileSystem fs = path.getFileSystem(conf);
        Map<String, FSDataInputStream> open = new HashMap<>();
        try {
            AtomicFiles.write(fs, path, out -> SafetensorsWriter.write(out, specs, metadata, (spec, o) -> {
                for (StagedPiece p : byWeight.get(spec.name())) copy(p, open, conf, o);
            }));
        } finally {
            for (FSDataInputStream in : open.values()) in.close();
        }
        return fs.getFileStatus(path).getLen();
    }

    private static void copy(StagedPiece p, Map<String, FSDataInputStream> open, Configuration conf, OutputStream o)
            throws IOException {
        FSDataInputStream in = open.get(p.file);
        if (in == null) {
            Path f = new Path(p.file);
            in = f.getFileSystem(conf).open(f);
            open.put(p.file, in);
        }
        byte[] buf = new byte[(int) Math.min(p.length, 1 << 20)];
        long at = p.offset;
        long left = p.length;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            in.readFully(at, buf, 0, n);
            o.write(buf, 0, n);
            at += n;
            left -= n;
        }
    }
}
