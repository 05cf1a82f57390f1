package org.nowag.job.calib;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import scala.Tuple2;

/**
 * One reduce task of {@code calibrate}: its share of the pieces, each piece's partial sums arriving sorted by map
 * partition (the shuffle key ends in it). Adds them in that order, starting from 0.0, exactly as the driver added
 * whole collectors before (so the doubles, and the float32 bytes written, are the same), rounds to float and
 * appends the piece to this attempt's own staging file. Holds one piece's sum at a time; returns only where each
 * piece went.
 */
final class PieceSums {
    private PieceSums() {}

    static List<StagedPiece> sumAndStage(Iterator<Tuple2<Long, GramBand>> sorted, int expectedPartials, Path staging,
                                         int reducer, int attempt, Configuration conf) throws IOException {
        List<StagedPiece> staged = new ArrayList<>();
        if (!sorted.hasNext()) return staged;
        // One file per attempt: a retried or speculative attempt never writes into another's file.
        Path file = new Path(staging, String.format("sums-%05d-%d", reducer, attempt));
        FileSystem fs = file.getFileSystem(conf);
        try (FSDataOutputStream out = fs.create(file, true)) {
            Tuple2<Long, GramBand> first = sorted.next();
            while (first != null) {
                long piece = GramBandKey.piece(first._1);
                GramBand band = first._2;
                double[] sum = new double[band.values.length];
                int partials = 0;
                Tuple2<Long, GramBand> r = first;
                first = null;
                while (r != null) {
                    double[] v = r._2.values;
                    if (v.length != sum.length) {
                        throw new IllegalStateException("calibrate: partial sums of " + band.weight + " piece "
                                + GramBandKey.pieceIndex(r._1) + " differ in length (" + v.length + ", " + sum.length + ")");
                    }
                    for (int i = 0; i < sum.length; i++) sum[i] += v[i];
                    partials++;
                    r = null;
                    if (sorted.hasNext()) {
                        Tuple2<Long, GramBand> nextRecord = sorted.next();
                        if (GramBandKey.piece(nextRecord._1) == piece) r = nextRecord;
                        else first = nextRecord;
                    }
                }
                if (partials != expectedPartials) {
                    throw new IllegalStateException("calibrate: " + band.weight + " piece " + GramBandKey.pieceIndex(piece
                            << GramBandKey.PARTITION_BITS) + " has " + partials + " partial sums, expected one per map task ("
                            + expectedPartials + ")");
                }
                long offset = out.getPos();
                byte[] bytes = toFloatBytes(sum);
                out.write(bytes);
                staged.add(new StagedPiece(GramBandKey.weight(piece << GramBandKey.PARTITION_BITS), band.weight,
                        band.dIn, GramBandKey.pieceIndex(piece << GramBandKey.PARTITION_BITS), file.toString(), offset,
                        bytes.length));
            }
        }
        return staged;
    }

    /** Rounds to float32 little-endian, as the statistics files store them. */
    static byte[] toFloatBytes(double[] sum) {
        float[] f = new float[sum.length];
        for (int i = 0; i < sum.length; i++) f[i] = (float) sum[i];
        byte[] bytes = new byte[f.length * 4];
        FloatCodec.encode(f, 0, DType.F32, bytes, 0, f.length);
        return bytes;
    }
}
