package org.nowag.tools.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.PairedBootstrap;

class StudyIntervalsTest {
    @Test
    void eachRowIsComparedWithNowagPAtItsBudgetOrNowagVqAtItsBits() {
        List<StudyRow> all = StudyPlan.rows(0.5, new int[] {2, 3}, 6, new int[] {2, 3, 4}, StudyPlanTest.FIXTURE, List.of());
        Set<String> ids = all.stream().map(r -> r.id).collect(Collectors.toSet());
        Map<String, String> ref = new LinkedHashMap<>();
        for (StudyRow r : all) ref.put(r.id, StudyIntervals.reference(r, ids));
        assertNull(ref.get("dense"));
        assertEquals("nowag-p-50", ref.get("magnitude-50"));
        assertEquals("nowag-p-50", ref.get("sparsegpt-50"));
        assertNull(ref.get("nowag-p-50"), "the reference itself");
        assertEquals("nowag-p-2of4", ref.get("wanda-2of4"));
        assertEquals("nowag-p-2of4", ref.get("armor-2of4"));
        assertEquals("nowag-vq-2bit", ref.get("rtn-int2"));
        assertEquals("nowag-vq-3bit", ref.get("rtn-int3"));
        assertNull(ref.get("rtn-int4"), "no 4-bit NoWag-VQ row");
        assertNull(ref.get("nowag-vq-3bit"));
        assertNull(StudyIntervals.reference(all.get(1), Set.of("magnitude-50")), "a reference that is not planned");
    }

    @Test
    void intervalsComeFromTheRowsEvaluationsAndWaitForTheReference() {
        List<StudyRow> plan = StudyPlan.rows(0.5, new int[] {2}, 6, new int[] {4}, StudyPlanTest.FIXTURE,
                List.of("dense", "magnitude-50", "nowag-p-50"));
        Study.Outcome o = new Study.Outcome();
        Map<String, Map<String, Evaluation>> evals = new LinkedHashMap<>();
        long[] tokens = {7, 7, 7, 5};
        double[] dense = {14, 12, 16, 9};
        double[][] rows = {dense, {16, 13, 17, 11}, {15, 12.5, 16, 10}};
        for (int i = 0; i < 3; i++) {
            StudyResult r = new StudyResult();
            r.id = plan.get(i).id;
            o.rows.add(r);
            evals.put(r.id, new LinkedHashMap<>(Map.of("set", evaluation(tokens, dense, rows[i]))));
            if (i == 1) {  // nowag-p-50 not measured yet: magnitude-50 has no interval against it
                StudyIntervals.fill(plan, o, evals);
                assertNull(o.row("magnitude-50").versusReference);
            }
        }
        StudyIntervals.fill(plan, o, evals);
        PairedBootstrap.Interval i = o.row("magnitude-50").versusReference.get("set");
        PairedBootstrap.Interval expected = PairedBootstrap.compare(tokens, rows[2], rows[1]).perplexityDifference;
        assertEquals(expected.low, i.low, 0.0);
        assertEquals(expected.high, i.high, 0.0);
        assertEquals(Math.exp(57.0 / 26) - Math.exp(53.5 / 26), i.estimate, 1e-12);
        assertEquals(0.0, o.row("dense").versusDense.get("set").high, 0.0);
        assertEquals(PairedBootstrap.compare(tokens, dense, rows[1]).perplexityDifference.low,
                o.row("magnitude-50").versusDense.get("set").low, 0.0);
        assertNull(o.row("nowag-p-50").versusReference);
        assertEquals("nowag-p-50", o.row("magnitude-50").reference);
        String md = StudyFiles.markdown(withSets(o));
        assertEquals(true, md.contains("| nowag-p-50 | " + StudyFiles.interval(o.row("magnitude-50").versusReference, "set") + " |"), md);
    }

    private static Study.Outcome withSets(Study.Outcome o) {
        o.evaluation.put("sets", List.of("set"));
        return o;
    }

    private static Evaluation evaluation(long[] tokens, double[] original, double[] compared) {
        Evaluation e = new Evaluation();
        e.kind = "causal-lm";
        e.context = 8;
        e.stride = 4;
        e.windowTokens = tokens;
        e.originalWindowNll = original;
        e.comparedWindowNll = compared;
        return e;
    }
}
