package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.cli.NowagCli;

/** `nowag evaluate` on the real MiniLM with held-out State of the Union text (2000-2001). */
class EvaluateCommandTest {
    static Path model;
    static List<String> text;

    @TempDir Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        model = Fixtures.miniLm();
        Fixtures.spark();
        text = Corpora.uris(Corpora.sotu(2000, 2001));
    }

    static JsonNode evaluate(Path compare, Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--compare", compare.toString(),
                "--max-chunks", "24", "--max-tokens", "96", "--top-k", "5", "--partitions", "2"));
        for (String t : text) {
            args.add("--text");
            args.add(t);
        }
        if (out != null) {
            args.add("--out");
            args.add(out.toString());
        }
        assertEquals(0, NowagCli.run(args.toArray(new String[0])));
        Path json = out != null ? out : compare.resolve("evaluation.json");
        return new ObjectMapper().readTree(Files.readString(json));
    }

    @Test
    void aModelAgainstItselfGivesCosineOneAndFullNeighbourAgreement() throws IOException {
        JsonNode e = evaluate(model, tmp.resolve("self.json"));
        assertEquals("encoder", e.get("kind").asText());
        assertEquals(24, e.get("chunks").asInt());
        assertEquals(1.0, e.get("meanCosine").asDouble(), 1e-6);
        assertEquals(1.0, e.get("minCosine").asDouble(), 1e-6);
        assertEquals(1.0, e.get("top1Agreement").asDouble());
        assertEquals(1.0, e.get("topKOverlap").asDouble());
    }

    @Test
    void aFiftyPercentPrunedCopyScoresBelowOneAndTheJsonLandsInItsDirectory() throws IOException {
        Path pruned = tmp.resolve("p50");
        assertEquals(0, NowagCli.run("compress", "--model", model.toString(), "--out", pruned.toString(),
                "--method", "magnitude", "--sparsity", "0.5"));
        JsonNode e = evaluate(pruned, null);
        double cos = e.get("meanCosine").asDouble();
        assertTrue(cos < 0.999 && cos > 0, "mean cosine " + cos);
        assertTrue(e.get("minCosine").asDouble() <= cos);
        double overlap = e.get("topKOverlap").asDouble();
        assertTrue(overlap >= 0 && overlap < 1, "top-5 overlap " + overlap);
    }
}
