package org.nowag.io.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir java.nio.file.Path dir;
    FileSystem fs;
    Path target;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        target = new Path(dir.toUri().toString(), "part-00001.bin");
    }

    /** Every name in the directory, checksum side files (.crc) included. */
    private List<String> names() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private String content() throws IOException {
        return new String(Files.readAllBytes(dir.resolve("part-00001.bin")), StandardCharsets.UTF_8);
    }

    @Test
    void writtenTargetIsPresentAndNoTempFileIsLeft() throws IOException {
        assertTrue(AtomicFiles.write(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8))));
        assertEquals("first", content());
        assertTrue(names().stream().noneMatch(n -> n.contains(AtomicFiles.TEMP_MARKER)), names().toString());
    }

    @Test
    void theLocalFileSystemGetsNoChecksumFileBesideWhatIsWritten() throws IOException {
        AtomicFiles.write(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("part-00001.bin"), names(), "no hidden .part-00001.bin.crc");
        // The shared, cached instance still writes checksums for everyone else (its behaviour is not changed).
        try (var out = fs.create(new Path(dir.toUri().toString(), "other.bin"))) {
            out.write(1);
        }
        assertTrue(names().contains(".other.bin.crc"), names().toString());
        assertEquals("first", new String(fs.open(target).readAllBytes(), StandardCharsets.UTF_8), "still readable");
    }

    @Test
    void aWriterThatThrowsLeavesNeitherTempNorTarget() throws IOException {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(fs, target, out -> {
            out.write(new byte[1000]);
            throw boom;
        }));
        assertSame(boom, thrown, "the writer's own exception comes back");
        assertEquals(List.of(), names());

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(fs, target, out -> {
            throw new IllegalStateException("unchecked too");
        }));
        assertEquals(List.of(), names());
    }

    @Test
    void secondWriteToAnExistingTargetReturnsFalseAndKeepsTheFirstContent() throws IOException {
        assertTrue(AtomicFiles.write(fs, target, out -> out.write("first".getBytes(StandardCharsets.UTF_8))));
        List<String> afterFirst = names();
        assertFalse(AtomicFiles.write(fs, target, out -> out.write("second".getBytes(StandardCharsets.UTF_8))));
        assertEquals("first", content());
        assertEquals(afterFirst, names(), "no temp file left by the losing attempt");
    }

    @Test
    void missingParentDirectoriesAreCreated() throws IOException {
        Path nested = new Path(dir.toUri().toString(), "a/b/c.json");
        assertTrue(AtomicFiles.write(fs, nested, out -> out.write('x')));
        assertEquals("x", new String(Files.readAllBytes(dir.resolve("a/b/c.json")), StandardCharsets.UTF_8));
    }

    @Test
    void ofThreadsRacingToCreateOneNameExactlyOneWinsAndItsContentStays() throws Exception {
        Path claim = new Path(dir.toUri().toString(), "claims/claim-000001");
        int racers = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(racers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            List<java.util.concurrent.Future<Boolean>> won = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                byte[] mine = ("racer " + i).getBytes(StandardCharsets.UTF_8);
                won.add(pool.submit(() -> {
                    start.await();
                    return AtomicFiles.createExclusive(fs, claim, mine);
                }));
            }
            int winners = 0;
            String winner = null;
            for (int i = 0; i < racers; i++) {
                if (won.get(i).get()) {
                    winners++;
                    winner = "racer " + i;
                }
            }
            assertEquals(1, winners, "exactly one exclusive create succeeds");
            assertEquals(winner, new String(Files.readAllBytes(dir.resolve("claims/claim-000001")), StandardCharsets.UTF_8));
        } finally {
            pool.shutdownNow();
        }
        assertFalse(AtomicFiles.createExclusive(fs, claim, new byte[] {1}), "a taken name stays taken");
    }
}
