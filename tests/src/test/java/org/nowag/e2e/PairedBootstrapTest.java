package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    @Test
    void aConstantDifferenceGivesAZeroWidthIntervalAtThatDifference() {
        List<Double> a = List.of(0.9, 0.8, 0.7, 0.95);
        List<Double> b = List.of(0.85, 0.75, 0.65, 0.9);
        PairedBootstrap p = PairedBootstrap.of(a, b, 2000, 3);
        assertEquals(0.05, p.meanDifference, 1e-12);
        assertEquals(0.05, p.low, 1e-12);
        assertEquals(0.05, p.high, 1e-12);
        assertEquals(4, p.aWins);
    }

    @Test
    void pairingRemovesTheSpreadTheChunksShare() {
        // Chunk difficulty varies widely, the methods differ by a small, steady amount: the paired interval is narrow
        // and excludes 0, although the unpaired spread of either list is far wider than the difference.
        Random r = new Random(5);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double chunk = 0.5 + 0.4 * r.nextDouble();
            a.add(chunk + 0.01 + 0.002 * r.nextGaussian());
            b.add(chunk);
        }
        PairedBootstrap p = PairedBootstrap.of(a, b, 5000, 1);
        assertTrue(p.low > 0.009 && p.high < 0.011, p.toString());
        assertTrue(p.low <= p.meanDifference && p.meanDifference <= p.high, p.toString());
    }

    @Test
    void refusesListsOfDifferentLengths() {
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.of(List.of(1.0), List.of(1.0, 2.0), 10, 0));
    }
}
