package org.nowag.tools.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nowag.io.safetensors.DType;

/**
 * Checkpoints of a run under RUN/checkpoints/step-NNNNNN: parameters and both Adam moments in F32 (exact), and
 * state.json (step, elapsed seconds, tokens seen). A checkpoint is written into a .tmp directory and renamed, so a
 * run killed while writing leaves the previous one intact; the newest two are kept.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "step-";

    private final Path dir;

    public Checkpoints(Path runDir) {
        this.dir = runDir.resolve("checkpoints");
    }

    /** The saved state of a run after some step. */
    public record State(int step, double elapsedSeconds, long tokensSeen) {}

    public record Loaded(State state, Map<String, INDArray> params, Map<String, INDArray> m, Map<String, INDArray> v) {}

    public void save(State state, Map<String, INDArray> params, AdamOptimizer adam) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("%s%06d", PREFIX, state.step());
        Path tmp = dir.resolve(name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        TensorFiles.write(tmp.resolve("params.safetensors"), params, DType.F32, Map.of());
        TensorFiles.write(tmp.resolve("adam-m.safetensors"), adam.firstMoments(), DType.F32, Map.of());
        TensorFiles.write(tmp.resolve("adam-v.safetensors"), adam.secondMoments(), DType.F32, Map.of());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("step", state.step());
        s.put("elapsed_seconds", state.elapsedSeconds());
        s.put("tokens_seen", state.tokensSeen());
        JSON.writeValue(tmp.resolve("state.json").toFile(), s);
        Path target = dir.resolve(name);
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        List<Path> all = list();
        for (int i = 0; i + 2 < all.size(); i++) deleteTree(all.get(i));
    }

    public Optional<Loaded> latest() throws IOException {
        List<Path> all = list();
        if (all.isEmpty()) return Optional.empty();
        Path p = all.get(all.size() - 1);
        Map<?, ?> s = JSON.readValue(p.resolve("state.json").toFile(), Map.class);
        State state = new State(((Number) s.get("step")).intValue(), ((Number) s.get("elapsed_seconds")).doubleValue(),
                ((Number) s.get("tokens_seen")).longValue());
        return Optional.of(new Loaded(state, TensorFiles.read(p.resolve("params.safetensors")),
                TensorFiles.read(p.resolve("adam-m.safetensors")), TensorFiles.read(p.resolve("adam-v.safetensors"))));
    }

    /** Finished checkpoint directories, oldest first. */
    private List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isRegularFile(p.resolve("state.json")))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
