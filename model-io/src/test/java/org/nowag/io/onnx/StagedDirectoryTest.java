package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDirectoryTest {
    @TempDir java.nio.file.Path tmp;

    private static FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    /** Every name in the directory, checksum side files included: "nothing written" means nothing at all. */
    static List<String> names(java.nio.file.Path dir) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void writeFile(StagedDirectory dir, String name) throws IOException {
        try (OutputStream out = dir.create(name)) {
            out.write(new byte[] {1, 2, 3});
        }
    }

    @Test
    void commitMovesTheWholeDirectoryIntoPlaceAndLeavesNoTempSibling() throws Exception {
        Path target = new Path(tmp.resolve("out").toUri());
        try (StagedDirectory dir = StagedDirectory.create(fs(), target)) {
            writeFile(dir, "a.bin");
            assertFalse(Files.exists(tmp.resolve("out")), "invisible until commit");
            dir.commit();
        }
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("a.bin")));
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws Exception {
        Path target = new Path(tmp.resolve("out").toUri());
        try (StagedDirectory dir = StagedDirectory.create(fs(), target)) {
            writeFile(dir, "a.bin");
        }
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void existingEmptyDirectoryIsReplaced() throws Exception {
        Files.createDirectory(tmp.resolve("out"));
        try (StagedDirectory dir = StagedDirectory.create(fs(), new Path(tmp.resolve("out").toUri()))) {
            writeFile(dir, "a.bin");
            dir.commit();
        }
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("a.bin")), "not moved into out/<temp name>/");
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void nonEmptyDirectoryOrFileIsRefused() throws Exception {
        Files.createDirectory(tmp.resolve("full"));
        Files.write(tmp.resolve("full").resolve("keep.txt"), new byte[] {1});
        Files.write(tmp.resolve("file"), new byte[] {1});
        IOException full = assertThrows(IOException.class,
                () -> StagedDirectory.create(fs(), new Path(tmp.resolve("full").toUri())));
        assertTrue(full.getMessage().contains("not empty") && full.getMessage().contains("keep.txt"), full.getMessage());
        IOException file = assertThrows(IOException.class,
                () -> StagedDirectory.create(fs(), new Path(tmp.resolve("file").toUri())));
        assertTrue(file.getMessage().contains("is a file"), file.getMessage());
        assertEquals(List.of("file", "full"), names(tmp));
    }

    @Test
    void commitRefusesATargetThatFilledUpMeanwhile() throws Exception {
        Path target = new Path(tmp.resolve("out").toUri());
        try (StagedDirectory dir = StagedDirectory.create(fs(), target)) {
            writeFile(dir, "a.bin");
            Files.createDirectory(tmp.resolve("out"));
            Files.write(tmp.resolve("out").resolve("other.txt"), new byte[] {1});
            assertThrows(IOException.class, dir::commit);
        }
        assertEquals(List.of("out"), names(tmp));
        assertEquals(List.of("other.txt"), names(tmp.resolve("out")));
    }
}
