package org.nowag.tools.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StudyPlanTest {
    /** The causal fixture: d_in 256 (smallest matrix k_proj/v_proj, 64 x 256) and 688 (down_proj, 256 x 688). */
    static final Map<Long, Long> FIXTURE = Map.of(256L, 64L * 256, 688L, 256L * 688);
    /** all-MiniLM-L6-v2: d_in 384 and 1536, smallest matrices 384 x 384 (where the suite runs VQ at d = 6). */
    static final Map<Long, Long> MINILM = Map.of(384L, 384L * 384, 1536L, 384L * 1536);

    @Test
    void vqTakesThePapersDimensionWhereItFitsAndTheLargestSensibleOneElsewhere() {
        assertEquals(6, StudyPlan.vqDim(2, 6, MINILM), "d = 6, K = 4096: the paper's default");
        assertEquals(4, StudyPlan.vqDim(2, 6, FIXTURE), "6 and 5 do not divide 256; K = 256 leaves 16 subvectors per centroid in k_proj");
        assertEquals(2, StudyPlan.vqDim(3, 6, FIXTURE), "d = 4 at 3 bits is K = 4096 = every subvector of k_proj");
        assertEquals(1, StudyPlan.vqDim(2, 6, Map.of(7L, 7L * 100)), "only 1 divides 7");
        // Against the rule spelled out: divides every d_in, 4 subvectors per centroid in the smallest matrix.
        for (int bits = 1; bits <= 4; bits++) {
            int expected = 0;
            for (int d = 1; d <= 6; d++) {
                long k = 1L << (bits * d);
                if (256 % d == 0 && 688 % d == 0 && k * 4 * d <= 64L * 256 && k * 4 * d <= 256L * 688) expected = d;
            }
            assertEquals(expected, StudyPlan.vqDim(bits, 6, FIXTURE), bits + " bits");
        }
        assertThrows(IllegalArgumentException.class, () -> StudyPlan.vqDim(8, 6, Map.of(256L, 256L)));
    }

    @Test
    void rowsComeInTableOrderAndASubsetIsChosenById() {
        List<StudyRow> all = StudyPlan.rows(0.5, new int[] {2, 3}, 6, new int[] {2, 3, 4}, FIXTURE, List.of());
        assertEquals(List.of("dense", "magnitude-50", "wanda-50", "sparsegpt-50", "nowag-p-50", "magnitude-2of4",
                        "wanda-2of4", "sparsegpt-2of4", "nowag-p-2of4", "armor-2of4", "nowag-vq-2bit", "nowag-vq-3bit",
                        "rtn-int2", "rtn-int3", "rtn-int4"),
                all.stream().map(r -> r.id).collect(Collectors.toList()));
        assertEquals("2 bits: d=4, K=256, <= 100 iterations", all.get(10).setting(128, 10, 100));
        assertTrue(all.get(4).calibrated() && !all.get(1).calibrated() && !all.get(14).calibrated());
        List<StudyRow> some = StudyPlan.rows(0.5, new int[] {2}, 6, new int[] {4}, FIXTURE, List.of("rtn-int4", "dense"));
        assertEquals(List.of("rtn-int4", "dense"), some.stream().map(r -> r.id).collect(Collectors.toList()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyPlan.rows(0.5, new int[] {2}, 6, new int[] {4}, FIXTURE, List.of("rtn-int9")));
        assertTrue(e.getMessage().contains("'rtn-int9'") && e.getMessage().contains("nowag-p-50"), e.getMessage());
    }
}
