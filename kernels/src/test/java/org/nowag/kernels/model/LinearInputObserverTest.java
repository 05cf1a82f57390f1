package org.nowag.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The observer sees the input of every linear layer, with the weight's name and [tokens x d_in]. */
class LinearInputObserverTest {

    static final class Seen {
        final String name;
        final float[] rows;
        final int tokens;
        final int in;

        Seen(String name, float[] rows, int tokens, int in) {
            this.name = name;
            this.rows = rows;
            this.tokens = tokens;
            this.in = in;
        }
    }

    @Test
    void llamaReportsAllSevenLinearInputsPerLayerWithTheirShapes() throws Exception {
        LlamaConfig config = new LlamaConfig(50, 16, 24, 2, 4, 2);
        Map<String, Tensor> weights = TinyWeights.llama(config, 3, true, false);
        List<Seen> seen = new ArrayList<>();
        TokenBatch batch = TokenBatch.of(TinyWeights.ids(6, 50, 1), TinyWeights.ids(3, 50, 2));
        LlamaModel.load(WeightSource.of(weights), config)
                .hiddenStates(batch, (name, rows, tokens, in) -> seen.add(new Seen(name, rows, tokens, in)));

        List<String> expectedNames = new ArrayList<>();
        for (int l = 0; l < 2; l++) expectedNames.addAll(LlamaLayer.linearWeightNames(l));
        List<String> names = new ArrayList<>();
        for (Seen s : seen) names.add(s.name);
        assertEquals(expectedNames, names);
        for (Seen s : seen) {
            Tensor w = weights.get(s.name);
            assertEquals(9, s.tokens, s.name);
            assertEquals(w.dim(1), s.in, s.name + " d_in");
            assertEquals(s.tokens * s.in, s.rows.length, s.name);
        }
        assertEquals(24, seen.get(6).in, "down_proj sees the intermediate width");
        assertSame(seen.get(0).rows, seen.get(1).rows, "q and k share their input");
        assertSame(seen.get(0).rows, seen.get(2).rows, "q and v share their input");
        assertSame(seen.get(4).rows, seen.get(5).rows, "gate and up share their input");
    }

    @Test
    void bertLeavesPaddingRowsOutAndPaddingChangesNothingElse() throws Exception {
        BertConfig config = TinyWeights.tinyBert();
        BertEncoder encoder = BertEncoder.load(WeightSource.of(TinyWeights.bert(config, 9)), config);
        int[] a = TinyWeights.ids(5, 40, 1);
        int[] b = TinyWeights.ids(3, 40, 2);
        int[] bPadded = {b[0], b[1], b[2], 0, 0};

        List<Seen> plain = new ArrayList<>();
        TokenBatch unpadded = TokenBatch.of(a, b);
        float[][] e1 = SentencePooling.normalize(SentencePooling.meanPool(
                encoder.hiddenStates(unpadded, (n, r, t, i) -> plain.add(new Seen(n, r.clone(), t, i)))));
        List<Seen> padded = new ArrayList<>();
        TokenBatch withPadding = TokenBatch.of(a, bPadded).withAttentionMask(new int[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
        float[][] e2 = SentencePooling.normalize(SentencePooling.meanPool(
                encoder.hiddenStates(withPadding, (n, r, t, i) -> padded.add(new Seen(n, r.clone(), t, i)))));

        assertEquals(2 * 6, plain.size());
        assertEquals(plain.size(), padded.size());
        for (int k = 0; k < plain.size(); k++) {
            assertEquals(plain.get(k).name, padded.get(k).name);
            assertEquals(8, padded.get(k).tokens, "padding rows are not calibration data");
            assertArrayEquals(plain.get(k).rows, padded.get(k).rows, 1e-5f, plain.get(k).name);
        }
        assertEquals(24, plain.get(5).in, "output.dense sees the intermediate width");
        for (int s = 0; s < 2; s++) assertArrayEquals(e1[s], e2[s], 1e-5f);
    }
}
