package org.nowag.job.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Top-k neighbours by similarity (self excluded, ties to the lower index) and the overlap of two such lists. */
final class NearestNeighbours {
    private NearestNeighbours() {}

    static int[] top(double[] similarity, int self, int k) {
        return IntStream.range(0, similarity.length).filter(j -> j != self).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -similarity[j]).thenComparingInt(j -> j))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    static int overlap(int[] a, int[] b) {
        int[] sb = b.clone();
        Arrays.sort(sb);
        int n = 0;
        for (int x : a) if (Arrays.binarySearch(sb, x) >= 0) n++;
        return n;
    }
}
