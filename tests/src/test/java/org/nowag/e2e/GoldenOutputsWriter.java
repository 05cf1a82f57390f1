package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.job.cli.NowagCli;

/**
 * Not part of the suite (the name does not end in Test): writes the golden output folders GoldenOutputsTest reads.
 * {@code input/} is a tiny random Llama (1 layer, hidden 8, F16, byte-level tokenizer: a few KB); each format
 * version gets {@code VERSION/magnitude-2of4}, {@code VERSION/nowag-vq} and {@code VERSION/armor}, written by the
 * real {@code nowag compress} of the build that runs this. Run once per new output format version, with
 * {@code -Dgolden.version=vN}, and commit the folders:
 * {@code mvn -B -o -q test -pl tests -am -Dtest=GoldenOutputsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dgolden.version=v1}. Existing folders are never overwritten (an old version must stay what the old build wrote).
 */
class GoldenOutputsWriter {
    static final int HIDDEN = 8;
    static final int FF = 16;

    static Path root() {
        return Path.of(System.getProperty("golden.root", "src/test/resources/golden")).toAbsolutePath();
    }

    @Test
    void write() throws IOException {
        String version = System.getProperty("golden.version");
        if (version == null) throw new IllegalStateException("give -Dgolden.version=vN");
        Path input = root().resolve("input");
        if (!Files.exists(input)) writeInput(input);
        Path dir = root().resolve(version);
        Files.createDirectories(dir);
        Map<String, String[]> runs = new LinkedHashMap<>();
        runs.put("magnitude-2of4", new String[] {"--method", "magnitude", "--pattern", "2:4"});
        runs.put("nowag-vq", new String[] {"--method", "nowag-vq", "--vq-dim", "2", "--vq-bits", "2", "--vq-iters", "5"});
        runs.put("armor", new String[] {"--method", "armor", "--armor-block", "4", "--armor-iters", "2"});
        for (Map.Entry<String, String[]> run : runs.entrySet()) {
            Path out = dir.resolve(run.getKey());
            if (Files.exists(out)) continue;
            List<String> args = new ArrayList<>(List.of("compress", "--model", input.toString(), "--out", out.toString(),
                    "--master", "local[1]"));
            args.addAll(List.of(run.getValue()));
            assertEquals(0, NowagCli.run(args.toArray(String[]::new)), String.join(" ", args));
            removeChecksumFiles(out);
        }
    }

    /** Older builds left Hadoop .crc files beside what they wrote; they are no part of the format. */
    static void removeChecksumFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (p.getFileName().toString().endsWith(".crc")) Files.delete(p);
            }
        }
    }

    static void writeInput(Path model) throws IOException {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.putArray("architectures").add("LlamaForCausalLM");
        TinyLlamaCalibrateEvaluateTest.writeLlama(model, config.put("torch_dtype", "float16"), HIDDEN, FF, 1, 2, 1, 64,
                DType.F16, 16);
        Files.writeString(model.resolve("generation_config.json"), "{\"max_new_tokens\": 16}\n");
    }
}
