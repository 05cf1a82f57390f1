package org.nowag.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
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

/** Every malformed file fails at open() with a SafetensorsFormatException naming the file and the problem. */
class SafetensorsHeaderValidationTest {
    @TempDir java.nio.file.Path dir;
    FileSystem fs;

    @BeforeEach
    void localFs() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
    }

    /** Opens the file, expects the failure, and checks that reading wrote nothing beside it. */
    private void assertRejected(java.nio.file.Path file, String problemWord) throws IOException {
        List<String> before = listing();
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsFile.open(fs, new Path(file.toUri().toString())).close());
        String message = e.getMessage();
        assertTrue(message.contains(file.getFileName().toString()), "names the file: " + message);
        assertTrue(message.toLowerCase().contains(problemWord.toLowerCase()), "names the problem '" + problemWord + "': " + message);
        assertEquals(before, listing(), "a reader writes nothing");
    }

    private List<String> listing() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String tensor(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void fileShorterThanTheLengthPrefixIsTruncated() throws IOException {
        java.nio.file.Path f = dir.resolve("five-bytes.safetensors");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        assertRejected(f, "truncated");
        java.nio.file.Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        assertRejected(empty, "truncated");
    }

    @Test
    void headerLengthOfTwoToTheSixtyIsTooLarge() throws IOException {
        assertRejected(TestTensors.withPrefix(dir, "huge-len.safetensors", 1L << 60, "{}".getBytes(StandardCharsets.UTF_8)), "too large");
        assertRejected(TestTensors.withPrefix(dir, "negative-len.safetensors", -1L, "{}".getBytes(StandardCharsets.UTF_8)), "too large");
    }

    @Test
    void headerLengthAboveOneHundredMibIsTooLargeEvenIfTheFileIsBigger() throws IOException {
        java.nio.file.Path f = TestTensors.withPrefix(dir, "101mib.safetensors", 101L << 20, new byte[16]);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(102L << 20); // sparse
        }
        assertRejected(f, "too large");
    }

    @Test
    void headerLengthBeyondTheFileIsTruncated() throws IOException {
        assertRejected(TestTensors.withPrefix(dir, "short-header.safetensors", 1000, "{}".getBytes(StandardCharsets.UTF_8)), "truncated");
    }

    @Test
    void invalidJsonIsReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "bad-json.safetensors", "{\"a\": {\"dtype\": ", 0), "invalid JSON");
        assertRejected(TestTensors.raw(dir, "trailing.safetensors", "{} {}", 0), "invalid JSON");
        assertRejected(TestTensors.raw(dir, "array.safetensors", "[1,2]", 0), "not a JSON object");
        assertRejected(TestTensors.raw(dir, "dupe.safetensors", "{" + tensor("a", "U8", "[1]", "[0,1]") + ","
                + tensor("a", "U8", "[1]", "[1,2]") + "}", 2), "duplicate");
        byte[] badUtf8 = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
        assertRejected(TestTensors.withPrefix(dir, "latin1.safetensors", badUtf8.length, badUtf8), "UTF-8");
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutStackOverflow() throws IOException {
        int depth = 200_000;
        String arrays = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertRejected(TestTensors.raw(dir, "bomb-arrays.safetensors", arrays, 0), "nesting");
        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertRejected(TestTensors.raw(dir, "bomb-objects.safetensors", objects, 0), "nesting");
        String inTensor = "{\"t\":{\"dtype\":\"U8\",\"shape\":[[[[[[[[[[1]]]]]]]]]],\"data_offsets\":[0,1]}}";
        assertRejected(TestTensors.raw(dir, "bomb-shape.safetensors", inTensor, 1), "nesting");
    }

    @Test
    void unknownDtypeIsReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "q4.safetensors", "{" + tensor("w", "Q4_0", "[2]", "[0,1]") + "}", 1), "unknown dtype");
        assertRejected(TestTensors.raw(dir, "lower.safetensors", "{" + tensor("w", "f32", "[1]", "[0,4]") + "}", 4), "unknown dtype");
    }

    @Test
    void dataOffsetsMustBeTwoIntegers() throws IOException {
        assertRejected(TestTensors.raw(dir, "one.safetensors", "{" + tensor("w", "U8", "[1]", "[0]") + "}", 1), "data_offsets");
        assertRejected(TestTensors.raw(dir, "three.safetensors", "{" + tensor("w", "U8", "[1]", "[0,1,2]") + "}", 2), "data_offsets");
        assertRejected(TestTensors.raw(dir, "text.safetensors", "{" + tensor("w", "U8", "[1]", "[\"0\",1]") + "}", 1), "data_offsets");
        assertRejected(TestTensors.raw(dir, "frac.safetensors", "{" + tensor("w", "U8", "[1]", "[0.5,1]") + "}", 1), "data_offsets");
        assertRejected(TestTensors.raw(dir, "huge.safetensors", "{" + tensor("w", "U8", "[1]", "[0,99999999999999999999999]") + "}", 1), "data_offsets");
        assertRejected(TestTensors.raw(dir, "missing.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1), "data_offsets");
    }

    @Test
    void beginAfterEndIsReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "reversed.safetensors", "{" + tensor("w", "U8", "[1]", "[2,1]") + "}", 4), "begin > end");
        assertRejected(TestTensors.raw(dir, "negative-off.safetensors", "{" + tensor("w", "U8", "[1]", "[-1,0]") + "}", 4), "negative");
    }

    @Test
    void offsetsOutsideTheDataSectionAreReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "outside.safetensors", "{" + tensor("w", "F32", "[4]", "[0,16]") + "}", 15), "outside the data section");
    }

    @Test
    void overlappingTensorsAreReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "overlap.safetensors", "{" + tensor("a", "F32", "[2]", "[0,8]") + ","
                + tensor("b", "F32", "[2]", "[4,12]") + "}", 12), "overlap");
        assertRejected(TestTensors.raw(dir, "inside.safetensors", "{" + tensor("big", "U8", "[10]", "[0,10]") + ","
                + tensor("small", "U8", "[2]", "[3,5]") + "}", 10), "overlap");
    }

    @Test
    void byteSizeMustMatchShapeTimesDtype() throws IOException {
        assertRejected(TestTensors.raw(dir, "size.safetensors", "{" + tensor("w", "F16", "[2,3]", "[0,8]") + "}", 8), "byte size");
        assertRejected(TestTensors.raw(dir, "overflow.safetensors", "{" + tensor("w", "F32", "[4294967296,4294967296]", "[0,8]") + "}", 8), "overflow");
    }

    @Test
    void negativeDimensionsAreReported() throws IOException {
        assertRejected(TestTensors.raw(dir, "negdim.safetensors", "{" + tensor("w", "F32", "[-2,-1]", "[0,8]") + "}", 8), "negative dimension");
        assertRejected(TestTensors.raw(dir, "fracdim.safetensors", "{" + tensor("w", "F32", "[2.5]", "[0,8]") + "}", 8), "not an integer");
    }

    @Test
    void metadataMustMapStringsToStrings() throws IOException {
        assertRejected(TestTensors.raw(dir, "meta-num.safetensors", "{\"__metadata__\":{\"format\":1}}", 0), "__metadata__");
        assertRejected(TestTensors.raw(dir, "meta-arr.safetensors", "{\"__metadata__\":[\"pt\"]}", 0), "__metadata__");
        assertRejected(TestTensors.raw(dir, "meta-null.safetensors", "{\"__metadata__\":{\"k\":null}}", 0), "__metadata__");
    }

    /** Opens a file the format allows and returns its tensor names in offset order. */
    private List<String> accepted(java.nio.file.Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(fs, new Path(file.toUri().toString()))) {
            return f.header().tensors().stream().map(TensorInfo::name).collect(Collectors.toList());
        }
    }

    @Test
    void theHeaderMustBeginWithAnOpeningBrace() throws IOException {
        assertRejected(TestTensors.raw(dir, "leading-space.safetensors", " {}", 0), "begin with '{'");
        assertRejected(TestTensors.raw(dir, "leading-newline.safetensors", "\n{}", 0), "0x0A");
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'};
        assertRejected(TestTensors.withPrefix(dir, "bom.safetensors", bom.length, bom), "0xEF");
    }

    @Test
    void onlySpacesMayPadTheHeader() throws IOException {
        assertEquals(List.of(), accepted(TestTensors.raw(dir, "spaces.safetensors", "{}      ", 0)));
        assertRejected(TestTensors.raw(dir, "newline.safetensors", "{}\n", 0), "only spaces");
        assertRejected(TestTensors.raw(dir, "tab.safetensors", "{}  \t  ", 0), "0x09 at header offset 4");
        byte[] nul = {'{', '}', 0, 0};
        assertRejected(TestTensors.withPrefix(dir, "nul.safetensors", nul.length, nul), "invalid JSON");
    }

    @Test
    void aHoleBetweenTensorsIsRefusedWithItsOffsetsAndSize() throws IOException {
        String json = "{" + tensor("a", "F32", "[2]", "[0,8]") + "," + tensor("b", "U8", "[4]", "[16,20]") + "}";
        java.nio.file.Path f = TestTensors.raw(dir, "hole.safetensors", json, 20);
        assertRejected(f, "hole");
        String m = message(f);
        long dataStart = 8 + json.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(m.contains("[8, 16) of the data section") && m.contains("8 bytes")
                && m.contains("file offsets [" + (dataStart + 8) + ", " + (dataStart + 16) + ")")
                && m.contains("'a'") && m.contains("'b'"), m);
    }

    @Test
    void aHoleBeforeTheFirstTensorIsRefused() throws IOException {
        assertRejected(TestTensors.raw(dir, "hole-first.safetensors", "{" + tensor("a", "U8", "[4]", "[2,6]") + "}", 6),
                "[0, 2) of the data section");
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRefused() throws IOException {
        java.nio.file.Path f = TestTensors.raw(dir, "trailing-bytes.safetensors", "{" + tensor("a", "U8", "[4]", "[0,4]") + "}", 7);
        assertRejected(f, "trailing bytes");
        assertTrue(message(f).contains("[4, 7) of the data section") && message(f).contains("3 bytes"), message(f));
        assertRejected(TestTensors.raw(dir, "no-tensors.safetensors", "{\"__metadata__\":{}}", 1), "names no tensor");
    }

    @Test
    void anEmptyTensorMustSitWhereThePreviousTensorEnds() throws IOException {
        assertEquals(List.of("a", "empty", "b"), accepted(TestTensors.raw(dir, "empty-on-chain.safetensors", "{"
                + tensor("b", "U8", "[2]", "[4,6]") + "," + tensor("empty", "F16", "[0,3]", "[4,4]") + ","
                + tensor("a", "U8", "[4]", "[0,4]") + "}", 6)));
        assertRejected(TestTensors.raw(dir, "empty-inside.safetensors", "{" + tensor("a", "U8", "[4]", "[0,4]") + ","
                + tensor("empty", "F16", "[0]", "[2,2]") + "}", 4), "overlap");
        assertRejected(TestTensors.raw(dir, "empty-beyond.safetensors", "{" + tensor("a", "U8", "[4]", "[0,4]") + ","
                + tensor("empty", "F16", "[0]", "[6,6]") + "}", 6), "hole");
    }

    @Test
    void entriesMayComeInAnyOrderInTheJson() throws IOException {
        // The reference reader sorts entries by offset; the JSON order is not part of the format.
        assertEquals(List.of("first", "second"), accepted(TestTensors.raw(dir, "order.safetensors", "{"
                + tensor("second", "U8", "[2]", "[3,5]") + "," + tensor("first", "U8", "[3]", "[0,3]") + "}", 5)));
        assertEquals(List.of(), accepted(TestTensors.raw(dir, "empty-object.safetensors", "{}", 0)));
    }

    @Test
    void duplicateKeysAreRefusedAtEveryLevel() throws IOException {
        assertRejected(TestTensors.raw(dir, "dupe-meta.safetensors", "{\"__metadata__\":{},\"__metadata__\":{}}", 0), "duplicate");
        assertRejected(TestTensors.raw(dir, "dupe-meta-key.safetensors", "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0), "duplicate");
        assertRejected(TestTensors.raw(dir, "dupe-field.safetensors",
                "{\"w\":{\"dtype\":\"U8\",\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "duplicate");
    }

    @Test
    void invalidUtf8IsRefusedWithItsOffset() throws IOException {
        String[] names = {"overlong", "surrogate", "truncated", "beyond-unicode"};
        byte[][] bad = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (int i = 0; i < bad.length; i++) {
            byte[] json = new byte[7 + bad[i].length];
            byte[] head = {'{', '"', 'k', 'e', 'y'};
            System.arraycopy(head, 0, json, 0, head.length);
            System.arraycopy(bad[i], 0, json, head.length, bad[i].length);
            json[json.length - 2] = '"';
            json[json.length - 1] = '}';
            java.nio.file.Path f = TestTensors.withPrefix(dir, names[i] + ".safetensors", json.length, json);
            assertRejected(f, "UTF-8");
            assertTrue(message(f).contains("at byte offset 5"), names[i] + ": " + message(f));
        }
    }

    @Test
    void headerLengthJustAboveTheReferenceLimitIsTooLarge() throws IOException {
        java.nio.file.Path f = TestTensors.withPrefix(dir, "limit.safetensors", SafetensorsHeader.MAX_HEADER_LENGTH + 1, new byte[16]);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SafetensorsHeader.MAX_HEADER_LENGTH + 64); // sparse
        }
        assertRejected(f, "too large (limit 100000000 bytes)");
    }

    private String message(java.nio.file.Path file) {
        return assertThrows(SafetensorsFormatException.class,
                () -> SafetensorsFile.open(fs, new Path(file.toUri().toString())).close()).getMessage();
    }

    @Test
    void missingFileIsANotFoundErrorNamingThePath() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> SafetensorsFile.open(fs, new Path(dir.toUri().toString(), "absent.safetensors")));
        assertTrue(e.getMessage().contains("absent.safetensors"), e.getMessage());
    }
}
