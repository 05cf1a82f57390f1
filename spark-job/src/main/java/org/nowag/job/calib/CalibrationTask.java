package org.nowag.job.calib;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.nowag.kernels.model.GramRowChunks;
import org.nowag.kernels.model.LayerWalk;
import org.nowag.kernels.model.LinearInputObserver;
import org.nowag.kernels.model.TokenBatch;
import scala.Tuple2;

/**
 * One map task of {@code calibrate}: its share of the windows, run through the model one layer at a time (each
 * layer's weights read from storage when the walk reaches it, then dropped). After each layer it hands on that
 * layer's sums of x^2 (and with --full the bands of X^T X) as shuffle records, before the next layer runs: a task
 * holds one layer's inputs and one band, never a whole model's statistics. A plain class with an ArrayList, as
 * Spark's Kryo needs.
 */
public final class CalibrationTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private String model;
    private ArrayList<int[]> windows;
    private boolean full;

    /** For serializers only. */
    private CalibrationTask() { }

    public CalibrationTask(String model, ArrayList<int[]> windows, boolean full) {
        this.model = model;
        this.windows = windows;
        this.full = full;
    }

    public int windows() { return windows.size(); }

    /** The records of map partition {@code partition}, produced lazily, one layer at a time. */
    public Iterator<Tuple2<Long, GramBand>> partialSums(Configuration conf, int partition) throws IOException {
        org.nowag.job.exec.KernelThreads.matchTask();
        if (windows.isEmpty()) return java.util.Collections.emptyIterator();
        ModelWeights m = ModelWeights.open(model, conf);
        TokenBatch batch = TokenBatch.of(windows.toArray(new int[0][]));
        LayerWalk walk = m.family() == ModelWeights.Family.BERT
                ? LayerWalk.bert(m.source(), m.bertConfig(), batch)
                : LayerWalk.llama(m.source(), m.llamaConfig(), batch);
        return new Records(walk, full, partition);
    }

    /** The inputs one layer showed its linear weights: one copy per distinct array, with the names it fed. */
    static final class LayerInputs implements LinearInputObserver {
        final List<GramRowChunks> inputs = new ArrayList<>();
        final List<List<String>> names = new ArrayList<>();
        private float[] last;

        @Override
        public void onLinearInput(String weightName, float[] rows, int tokens, int inFeatures) {
            if (rows != last) {
                // The array belongs to the forward pass; the bands are computed after the layer has finished.
                inputs.add(new GramRowChunks(rows.clone(), tokens, inFeatures));
                names.add(new ArrayList<>());
                last = rows;
            }
            names.get(names.size() - 1).add(weightName);
        }
    }

    /** Walks the layers as records are asked for: piece by piece, one band computed once for every name it feeds. */
    private static final class Records implements Iterator<Tuple2<Long, GramBand>> {
        private final LayerWalk walk;
        private final boolean full;
        private final int partition;
        private final Map<String, Integer> ordinals = new LinkedHashMap<>();
        private LayerInputs layer;
        private int input;      // index into layer.inputs
        private int piece;      // 0: diagonal, b + 1: band b
        private int name;       // index into layer.names.get(input)
        private double[] values;

        Records(LayerWalk walk, boolean full, int partition) {
            this.walk = walk;
            this.full = full;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            while (layer == null || input >= layer.inputs.size()) {
                if (!walk.hasNext()) return false;
                layer = new LayerInputs();
                try {
                    walk.step(layer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                input = 0;
                piece = 0;
                name = 0;
                values = null;
            }
            return true;
        }

        @Override
        public Tuple2<Long, GramBand> next() {
            if (!hasNext()) throw new NoSuchElementException();
            GramRowChunks x = layer.inputs.get(input);
            List<String> fed = layer.names.get(input);
            if (values == null) values = piece == 0 ? x.diagonal() : x.band(piece - 1);
            String weight = fed.get(name);
            int ordinal = ordinals.computeIfAbsent(weight, w -> ordinals.size());
            Tuple2<Long, GramBand> record = new Tuple2<>(GramBandKey.of(ordinal, piece, partition),
                    new GramBand(weight, x.inFeatures(), values));
            if (++name == fed.size()) {
                name = 0;
                values = null;
                if (++piece > (full ? GramRowChunks.bands(x.inFeatures()) : 0)) {
                    x.release();
                    piece = 0;
                    input++;
                }
            }
            return record;
        }
    }
}
