package org.nowag.tools.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves a text argument to files, in name order: a file, a directory (its *.txt files), or a glob in the last
 * path component ({@code corpora/sotu/data/19*.txt}). Nothing matched is an error naming the argument.
 */
public final class TextFiles {
    private TextFiles() {}

    public static List<Path> resolve(String arg) throws IOException {
        Path p = Path.of(arg);
        if (Files.isRegularFile(p)) return List.of(p);
        String glob;
        Path dir;
        if (Files.isDirectory(p)) {
            dir = p;
            glob = "*.txt";
        } else {
            dir = p.getParent() == null ? Path.of(".") : p.getParent();
            glob = p.getFileName().toString();
            if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
                throw new IllegalArgumentException(arg + ": no such file or directory");
            }
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException(arg + ": directory " + dir + " does not exist");
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> Files.isRegularFile(f) && m.matches(f.getFileName())).sorted().forEach(out::add);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(arg + ": matches no text file");
        return out;
    }

    public static List<Path> resolveAll(List<String> args) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String a : args) out.addAll(resolve(a));
        return out;
    }

    public static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
