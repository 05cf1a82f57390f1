package org.nowag.tools.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void medianIsTheMiddleValueWhateverTheOrder() {
        assertEquals(2.0, Samples.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Samples.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(7.0, Samples.median(List.of(7.0)));
        assertThrows(IllegalStateException.class, () -> Samples.median(List.of()));
    }

    @Test
    void keepsTheRangeAndTheLargestHeapFigures() {
        Samples s = new Samples();
        HeapWatch heap = HeapWatch.start();
        heap.close();
        s.add(5.0, 2.0, heap);
        s.add(1.0, Double.NaN, heap);
        s.add(9.0, 4.0, heap);
        assertEquals(3, s.count());
        assertEquals(5.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(9.0, s.max());
        assertEquals(heap.peakBytes(), s.peakHeapBytes());
        assertEquals(3.0, s.cpuMedian(), "an unknown CPU time is left out, not counted as zero");
        assertTrue(Double.isNaN(new Samples().cpuMedian()));
        s.addExtra(4.0);
        s.addExtra(2.0);
        assertEquals(3.0, s.extraMedian());
    }
}
