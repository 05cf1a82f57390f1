package org.nowag.job.calib;

import org.apache.spark.Partitioner;

/**
 * The shuffle key of a {@link GramBand}, one long: weight ordinal (the order the forward pass first reports the
 * weight), piece (0: diagonal, b + 1: band b) and map partition, so that sorting keys orders every piece's partial
 * sums by partition: the reducer adds them in partition order, as the driver used to (same bits).
 */
final class GramBandKey {
    static final int PARTITION_BITS = 24;
    static final int PIECE_BITS = 20;
    static final int WEIGHT_BITS = 63 - PARTITION_BITS - PIECE_BITS;

    private GramBandKey() {}

    static long of(int weight, int piece, int partition) {
        if (weight < 0 || weight >= 1 << WEIGHT_BITS || piece < 0 || piece >= 1 << PIECE_BITS
                || partition < 0 || partition >= 1 << PARTITION_BITS) {
            throw new IllegalArgumentException("calibrate: weight " + weight + ", piece " + piece + ", partition "
                    + partition + " exceed the shuffle key's range");
        }
        return ((long) weight << (PIECE_BITS + PARTITION_BITS)) | ((long) piece << PARTITION_BITS) | partition;
    }

    /** Weight and piece without the partition: what the reducer sums over. */
    static long piece(long key) { return key >>> PARTITION_BITS; }

    static int weight(long key) { return (int) (key >>> (PIECE_BITS + PARTITION_BITS)); }

    static int pieceIndex(long key) { return (int) ((key >>> PARTITION_BITS) & ((1 << PIECE_BITS) - 1)); }

    /** Sends every partition's partial of one piece to the same reducer (by weight and piece, not partition). */
    static final class ByPiece extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByPiece(int partitions) { this.partitions = partitions; }

        @Override public int numPartitions() { return partitions; }

        @Override public int getPartition(Object key) {
            return (int) Math.floorMod(piece((Long) key), (long) partitions);
        }

        @Override public boolean equals(Object o) {
            return o instanceof ByPiece && ((ByPiece) o).partitions == partitions;
        }

        @Override public int hashCode() { return partitions; }
    }
}
