package org.nowag.io.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The front matter's top-level keys and their (JSON-quoted) values; list items under "tags". */
    static Map<String, Object> frontMatter(String card) throws Exception {
        assertTrue(card.startsWith("---\n"), "a model card opens with YAML front matter");
        int end = card.indexOf("\n---\n", 4);
        assertTrue(end > 0, "front matter is closed");
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> tags = new java.util.ArrayList<>();
        for (String line : card.substring(4, end).split("\n")) {
            if (line.startsWith("- ")) {
                tags.add(JSON.readValue(line.substring(2), String.class));
            } else if (line.equals("tags:")) {
                out.put("tags", tags);
            } else {
                int colon = line.indexOf(": ");
                out.put(line.substring(0, colon), JSON.readValue(line.substring(colon + 2), String.class));
            }
        }
        return out;
    }

    private static ModelCard pruned() {
        ModelCard c = new ModelCard();
        c.kind = ModelCard.Kind.PRUNED;
        c.baseModel = "meta-llama/Llama-3.2-1B";
        c.input = "hdfs:///models/llama";
        c.method = "wanda";
        c.settings.put("pattern", "2:4");
        c.sparsity = 0.5;
        c.pipelineTag = "text-generation";
        c.license = "llama3.2";
        c.commandLine = "nowag compress --conf fs.s3a.secret.key=*** --include 'a|b'";
        c.versions.put("nowag-spark", "0.1.0");
        c.started = "2026-12-06T05:00:00Z";
        c.finished = "2026-12-06T05:01:00Z";
        return c;
    }

    @Test
    void aPrunedCardHasTheHubFrontMatterAndTheRunsFacts() throws Exception {
        String card = pruned().render();
        Map<String, Object> fm = frontMatter(card);
        assertEquals("meta-llama/Llama-3.2-1B", fm.get("base_model"));
        assertEquals("transformers", fm.get("library_name"));
        assertEquals("text-generation", fm.get("pipeline_tag"));
        assertEquals("llama3.2", fm.get("license"));
        assertEquals(List.of("nowag-spark", "wanda", "pruned", "sparse"), fm.get("tags"));
        assertFalse(fm.containsKey("base_model_relation"), "pruning is none of the Hub's relations");
        assertTrue(card.contains("| pattern | 2:4 |"));
        assertTrue(card.contains("| sparsity of the compressed weights | 0.5000 |"));
        assertTrue(card.contains("--include 'a|b'"), "the command line is kept as given, in a code block");
        assertTrue(card.contains("2026-12-06T05:01:00Z"));
        assertFalse(card.contains("## Quality"), "no evaluation ran");
    }

    @Test
    void aRawCardHasNoLibraryAndSaysHowToDecompress() throws Exception {
        ModelCard c = pruned();
        c.kind = ModelCard.Kind.RAW_VQ;
        c.method = "nowag-vq";
        c.bitsPerWeight = 2.25;
        c.evaluation.put("perplexity", "12.5");
        String card = c.render();
        Map<String, Object> fm = frontMatter(card);
        assertFalse(fm.containsKey("library_name"), "no library loads a raw folder");
        assertEquals("quantized", fm.get("base_model_relation"));
        assertTrue(card.contains("nowag decompress"));
        assertTrue(card.contains("| stored bits per weight | 2.2500 |"));
        assertTrue(card.contains("## Quality") && card.contains("| perplexity | 12.5 |"));
    }

    @Test
    void frontMatterValuesCannotBreakTheYaml() throws Exception {
        ModelCard c = pruned();
        c.license = "other\"\n---\nevil: yes";
        assertEquals(c.license, frontMatter(c.render()).get("license"));
        c.commandLine = "echo ```` x";
        assertTrue(c.render().contains("`````sh\necho ```` x\n`````"));
    }

    @Test
    void baseModelPipelineAndLicenceComeFromTheInputWhenItTellsThem() throws Exception {
        assertEquals("org/name.v2", ModelCard.baseModelId(JSON.readTree("{\"_name_or_path\": \"org/name.v2\"}")));
        assertNull(ModelCard.baseModelId(JSON.readTree("{\"_name_or_path\": \"/home/me/models/llama\"}")));
        assertNull(ModelCard.baseModelId(JSON.readTree("{}")));
        assertEquals("feature-extraction", ModelCard.pipelineTag(JSON.readTree(
                "{\"architectures\": [\"BertModel\"], \"model_type\": \"bert\"}")));
        assertEquals("text-generation", ModelCard.pipelineTag(JSON.readTree(
                "{\"architectures\": [\"NowagVqCompressedModel\"], \"nowag_original\": "
                        + "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\"}}")));
        assertNull(ModelCard.pipelineTag(JSON.readTree("{}")));
        assertEquals("apache-2.0", ModelCard.licenseOf("---\nlanguage: en\nlicense: apache-2.0\n---\n# x\n"));
        assertEquals("mit", ModelCard.licenseOf("---\nlicense: \"mit\"\n---\n"));
        assertNull(ModelCard.licenseOf("# no front matter\nlicense: mit\n"));
    }
}
