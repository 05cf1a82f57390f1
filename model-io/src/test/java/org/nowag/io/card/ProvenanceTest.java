package org.nowag.io.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChainOfRunsKeepsEveryStepOldestFirst() throws IOException {
        Provenance first = Provenance.inherited("p", null, JSON.readTree("{\"model_type\": \"llama\"}"));
        assertEquals(0, first.steps().size());
        var step1 = Provenance.step("compress", "nowag-spark 1", "t0", "t1", "in", "out1");
        step1.put("method", "wanda");
        String written = first.then(step1).toJson();

        var step2 = Provenance.step("compress", "nowag-spark 1", "t2", "t3", "out1", "out2");
        step2.put("method", "nowag-p");
        Provenance second = Provenance.inherited("out1/nowag_provenance.json", written, null).then(step2);
        assertEquals(2, second.steps().size());
        assertEquals("wanda", second.steps().get(0).get("method").asText());
        assertEquals("nowag-p", second.steps().get(1).get("method").asText());
        assertEquals("nowag-provenance-v1", JSON.readTree(second.toJson()).get("format").asText());
    }

    @Test
    void anOutputWrittenBeforeTheFileExistedGivesItsStepFromConfigJson() throws IOException {
        Provenance p = Provenance.inherited("p", null, JSON.readTree(
                "{\"compression\": {\"tool\": \"nowag-spark 0.1\", \"method\": \"magnitude\"}}"));
        assertEquals(1, p.steps().size());
        assertEquals("magnitude", p.steps().get(0).get("compression").get("method").asText());
        assertEquals("nowag-spark 0.1", p.steps().get(0).get("tool").asText());

        Provenance d = Provenance.inherited("p", null, JSON.readTree(
                "{\"nowag_decompressed_from\": {\"method\": \"nowag-vq\", \"format\": \"nowag-vq-v1\"}}"));
        assertEquals(2, d.steps().size());
        assertEquals("compress", d.steps().get(0).get("command").asText());
        assertEquals("decompress", d.steps().get(1).get("command").asText());
    }

    @Test
    void aFileWithoutHistoryIsRefusedNamingIt() {
        IOException e = assertThrows(IOException.class, () -> Provenance.inherited("in/nowag_provenance.json",
                "{\"format\": \"x\"}", null));
        assertTrue(e.getMessage().startsWith("in/nowag_provenance.json"), e.getMessage());
        assertThrows(IOException.class, () -> Provenance.inherited("f", "{\"history\": [1]}", null));
    }
}
