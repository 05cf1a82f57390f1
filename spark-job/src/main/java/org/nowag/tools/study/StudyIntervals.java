package org.nowag.tools.study;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.nowag.job.eval.Evaluation;
import org.nowag.job.eval.PairedBootstrap;

/**
 * The study's paired bootstrap intervals, per row and held-out set: the row's perplexity minus its reference row's
 * (the same windows, see {@link PairedBootstrap}), and minus dense (from the row's own evaluation, which scores both).
 * The reference is NoWag-P at the same budget for pruning (the comparison), NoWag-VQ at the same bits for
 * quantization (NoWag-P has no quantized budget; VQ is the paper's quantizer); rows with none (dense, INT4 without a
 * 4-bit VQ row, a reference that was not run or failed) get only the interval against dense.
 */
final class StudyIntervals {
    static final int RESAMPLES = PairedBootstrap.DEFAULT_RESAMPLES;
    static final long SEED = PairedBootstrap.DEFAULT_SEED;
    static final double LEVEL = PairedBootstrap.DEFAULT_LEVEL;

    private StudyIntervals() {}

    /** How the intervals are computed, for the study's record. */
    static String description() {
        return "paired bootstrap over evaluation windows: " + RESAMPLES + " resamples, seed " + SEED + ", "
                + Math.round(LEVEL * 100) + "% percentile interval of ppl(row) - ppl(reference)";
    }

    /** The reference row id of {@code row} among the planned ids, or null (the row is its own reference, or none is planned). */
    static String reference(StudyRow row, Set<String> planned) {
        String ref;
        switch (row.kind) {
            case PRUNE_UNSTRUCTURED: ref = StudyRow.unstructured("nowag-p", row.sparsity).id; break;
            case PRUNE_2_4:
            case ARMOR: ref = StudyRow.twoOfFour("nowag-p").id; break;
            case VQ:
            case RTN: ref = StudyRow.vq(row.bits, 0).id; break;
            default: return null;
        }
        return ref.equals(row.id) || !planned.contains(ref) ? null : ref;
    }

    /**
     * Fills every measured row's intervals from the evaluations so far (row id -> set -> evaluation); rows whose
     * reference is not measured yet keep none. Recomputed whole each time: the reference may come after the row.
     */
    static void fill(List<StudyRow> plan, Study.Outcome o, Map<String, Map<String, Evaluation>> evaluations) {
        Set<String> planned = plan.stream().map(r -> r.id).collect(Collectors.toSet());
        for (StudyRow row : plan) {
            StudyResult r = o.row(row.id);
            Map<String, Evaluation> mine = evaluations.get(row.id);
            if (r == null || mine == null) continue;
            r.versusDense = new LinkedHashMap<>();
            for (Map.Entry<String, Evaluation> e : mine.entrySet()) {
                r.versusDense.put(e.getKey(), PairedBootstrap.withinOne(e.getValue(), row.id + "." + e.getKey(), RESAMPLES, SEED, LEVEL).perplexityDifference);
            }
            String ref = reference(row, planned);
            r.reference = ref;
            Map<String, Evaluation> theirs = ref == null ? null : evaluations.get(ref);
            if (theirs == null) {
                r.versusReference = null;
                continue;
            }
            r.versusReference = new LinkedHashMap<>();
            for (Map.Entry<String, Evaluation> e : mine.entrySet()) {
                Evaluation other = theirs.get(e.getKey());
                if (other == null) continue;
                r.versusReference.put(e.getKey(), PairedBootstrap.between(other, e.getValue(), ref + "." + e.getKey(),
                        row.id + "." + e.getKey(), RESAMPLES, SEED, LEVEL).perplexityDifference);
            }
        }
    }
}
