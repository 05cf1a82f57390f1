package org.nowag.job.calib;

import java.io.Serializable;

/**
 * Where a reducer of {@code calibrate} left one summed piece (float32 little-endian, as the output file holds it):
 * this, not the piece, is what the driver receives.
 */
public final class StagedPiece implements Serializable {
    private static final long serialVersionUID = 1L;

    int weight;
    String name;
    int dIn;
    int piece;
    String file;
    long offset;
    long length;

    /** For serializers only. */
    private StagedPiece() { }

    StagedPiece(int weight, String name, int dIn, int piece, String file, long offset, long length) {
        this.weight = weight;
        this.name = name;
        this.dIn = dIn;
        this.piece = piece;
        this.file = file;
        this.offset = offset;
        this.length = length;
    }
}
