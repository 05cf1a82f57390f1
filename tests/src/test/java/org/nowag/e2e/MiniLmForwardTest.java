package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.model.BertConfig;
import org.nowag.kernels.model.BertEncoder;
import org.nowag.kernels.model.SentencePooling;
import org.nowag.kernels.model.Tensor;
import org.nowag.kernels.model.TokenBatch;
import org.nowag.kernels.model.WeightSource;

/**
 * The BERT forward pass on the real imported all-MiniLM-L6-v2 reproduces the published model's behaviour
 * (sentence-transformers: mean pooling + L2 normalization).
 */
class MiniLmForwardTest {
    private static BertEncoder encoder;
    private static Map<String, Integer> vocab;

    @BeforeAll
    static void load() throws IOException {
        Path dir = Fixtures.miniLm();
        ModelDirectory model = ModelDirectory.open(dir.toUri().toString(), new Configuration());
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new ObjectMapper().readValue(model.configJson(), Map.class);
        encoder = BertEncoder.load(weights(model), BertConfig.fromHf(config));
        vocab = new HashMap<>();
        JsonNode v = new ObjectMapper().readTree(Files.readString(dir.resolve("tokenizer.json"))).path("model").path("vocab");
        v.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    }

    /** The weight source a Spark job would write: each tensor read from its shard on demand. */
    static WeightSource weights(ModelDirectory model) {
        return name -> {
            TensorInfo t = model.tensor(name);
            if (t == null) return null;
            try (SafetensorsFile f = SafetensorsFile.open(model.fileSystem(), model.shardOf(name))) {
                long[] s = t.shape();
                int[] shape = new int[s.length];
                for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
                return new Tensor(name, f.readRowsAsFloat(name, 0, Math.toIntExact(t.rows())), shape);
            }
        };
    }

    /**
     * Test-only lookup for sentences made of whole vocabulary words: lowercase, split off punctuation,
     * [CLS] ... [SEP]. Not a tokenizer (no WordPiece sub-words); fails if a word is not in the vocabulary.
     */
    static int[] ids(String sentence) {
        List<Integer> out = new ArrayList<>();
        out.add(101);
        for (String word : sentence.toLowerCase(Locale.ROOT).replaceAll("([.,!?])", " $1 ").trim().split("\\s+")) {
            Integer id = vocab.get(word);
            if (id == null) throw new IllegalArgumentException("'" + word + "' is not a whole word of the vocabulary");
            out.add(id);
        }
        out.add(102);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static double cosine(String a, String b) {
        float[][] e = encoder.sentenceEmbeddings(TokenBatch.of(ids(a), ids(b)));
        return SentencePooling.cosine(e[0], e[1]);
    }

    static final String CAT = "The cat sits on the mat.";
    static final String KITTEN = "A kitten is resting on a rug.";
    static final String STOCKS = "Stock markets fell sharply today.";

    @Test
    void testLookupGivesTheVocabularyIdsOfWholeWords() {
        // [CLS] the cat sits on the mat . [SEP]
        assertArrayEquals(new int[] {101, 1996, 4937, 7719, 2006, 1996, 13523, 1012, 102}, ids(CAT));
    }

    @Test
    void relatedSentencesScoreAbout064() {
        double c = cosine(CAT, KITTEN);
        System.out.printf(Locale.ROOT, "MiniLM cosine(cat, kitten) = %.4f%n", c);
        assertTrue(c > 0.62 && c < 0.66, "cosine(cat, kitten) = " + c + ", published model gives 0.641");
    }

    @Test
    void unrelatedSentencesScoreNearZero() {
        double c = cosine(STOCKS, CAT);
        assertTrue(c < 0.2, "cosine(stocks, cat) = " + c);
        double k = cosine(STOCKS, KITTEN);
        System.out.printf(Locale.ROOT, "MiniLM cosine(stocks, cat) = %.4f, cosine(stocks, kitten) = %.4f%n", c, k);
        assertTrue(k < 0.2, "cosine(stocks, kitten) = " + k);
        assertTrue(cosine(CAT, KITTEN) > c + 0.4, "related pair scores far above the unrelated one");
    }

    @Test
    void batchesOf128TokenSequencesGiveUnitVectorsEqualToSingleRuns() {
        int[] seq = new int[128];
        int[] words = ids(CAT + " " + KITTEN + " " + STOCKS);
        seq[0] = 101;
        for (int i = 1; i < 127; i++) seq[i] = words[1 + (i - 1) % (words.length - 2)];
        seq[127] = 102;
        int[] other = seq.clone();
        other[5] = ids("dog")[1];
        float[] alone = encoder.sentenceEmbeddings(TokenBatch.of(other))[0];

        int batch = 4;
        int[][] sequences = new int[batch][];
        for (int s = 0; s < batch; s++) sequences[s] = s == 1 ? other : seq;
        encoder.sentenceEmbeddings(TokenBatch.of(sequences)); // warm-up
        int runs = 2;
        // Process CPU time as well as wall time: on a shared, loaded machine the wall figure mostly measures the queue.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        float[][] e = null;
        for (int r = 0; r < runs; r++) e = encoder.sentenceEmbeddings(TokenBatch.of(sequences));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "MiniLM forward: %d x %d tokens, %d runs, %.2f s wall, %.0f tokens/s; "
                        + "%.2f s process CPU, %.0f tokens per CPU-second; load average %.1f%n",
                batch, 128, runs, seconds, runs * batch * 128 / seconds, cpuSeconds, runs * batch * 128 / cpuSeconds,
                os.getSystemLoadAverage());

        for (float[] v : e) {
            double n = 0;
            for (float x : v) n += (double) x * x;
            assertEquals(1.0, n, 1e-5);
        }
        assertArrayEquals(alone, e[1], 1e-5f);
        assertArrayEquals(e[0], e[batch - 1], 1e-6f);
        assertTrue(SentencePooling.cosine(e[0], e[1]) < 0.99999, "one changed token changes the embedding");
    }
}
