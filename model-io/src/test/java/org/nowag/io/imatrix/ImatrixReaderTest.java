package org.nowag.io.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both llama.cpp imatrix forms, written by hand per imatrix.cpp, read back as mean x^2 under HF names. */
class ImatrixReaderTest {
    @TempDir
    Path dir;

    static byte[] legacySample() {
        // Values are (sum x^2 / tokens) * ncall, so the reader divides by ncall: [4, 8, 0] / 4 = [1, 2, 0].
        return new ImatrixFiles.Legacy()
                .entry("blk.0.attn_q.weight", 4, 4f, 8f, 0f)
                .entry("blk.0.ffn_down.weight", 2, 3f, 5f)
                .entry("blk.0.attn_qkv.weight", 1, 1f)
                .entry("output.weight", 1, 7f, 9f)
                .withTrailer(4, "calib.txt");
    }

    @Test
    void legacyValuesAreDividedByNcallAndNamedAsHuggingFaceDoes() throws Exception {
        ImportanceMatrix m = ImatrixReader.read(legacySample(), "sample.dat");
        Map<String, float[]> d = m.diagonals();
        assertEquals(List.of("lm_head.weight", "model.layers.0.mlp.down_proj.weight", "model.layers.0.self_attn.q_proj.weight"),
                List.copyOf(d.keySet()));
        assertArrayEquals(new float[] {1f, 2f, 0f}, d.get("model.layers.0.self_attn.q_proj.weight"));
        assertArrayEquals(new float[] {1.5f, 2.5f}, d.get("model.layers.0.mlp.down_proj.weight"));
        assertArrayEquals(new float[] {7f, 9f}, d.get("lm_head.weight"));
        assertEquals(1, m.skipped().size());
        assertTrue(m.skipped().get(0).startsWith("blk.0.attn_qkv.weight"), m.skipped().toString());
        assertEquals(List.of("calib.txt"), m.datasets());
    }

    @Test
    void legacyFileWithoutTheOptionalTrailerReads() throws Exception {
        byte[] b = new ImatrixFiles.Legacy().entry("blk.3.ffn_up.weight", 1, 2f).withoutTrailer();
        assertArrayEquals(new float[] {2f}, ImatrixReader.read(b, "old.dat").diagonals().get("model.layers.3.mlp.up_proj.weight"));
    }

    static byte[] ggufSample() {
        // Dense: in_sum2 [1, 3] / counts [1, 1] = 10 tokens. Experts: 2 experts x 2 inputs; expert 1 saw no tokens.
        return new ImatrixFiles.Gguf()
                .tensor("blk.0.attn_k.weight.in_sum2", new long[] {1, 3}, 10f, 20f, 5f)
                .tensor("blk.0.attn_k.weight.in_sum", new long[] {1, 3}, 1f, -2f, 0.5f)
                .tensor("blk.0.attn_k.weight.counts", new long[] {1, 1}, 10f)
                .tensor("blk.1.ffn_down_exps.weight.in_sum2", new long[] {2, 2}, 4f, 6f, 0f, 0f)
                .tensor("blk.1.ffn_down_exps.weight.counts", new long[] {2, 1}, 2f, 0f)
                .bytes("wiki.train.raw");
    }

    @Test
    void ggufSumsAreDividedByTheirCountsAndExpertsSplit() throws Exception {
        ImportanceMatrix m = ImatrixReader.read(ggufSample(), "sample.gguf");
        assertArrayEquals(new float[] {1f, 2f, 0.5f}, m.diagonals().get("model.layers.0.self_attn.k_proj.weight"));
        assertArrayEquals(new float[] {2f, 3f}, m.diagonals().get("model.layers.1.mlp.experts.0.down_proj.weight"));
        assertEquals(2, m.diagonals().size());
        assertEquals(1, m.skipped().size());
        assertTrue(m.skipped().get(0).contains("expert 1"), m.skipped().toString());
        assertEquals(List.of("wiki.train.raw"), m.datasets());
    }

    @Test
    void readsThroughAHadoopFileSystem() throws Exception {
        Path f = dir.resolve("imatrix.gguf");
        Files.write(f, ggufSample());
        ImportanceMatrix m = ImatrixReader.read(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(f.toUri()));
        assertEquals(2, m.diagonals().size());
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> ImatrixReader.read(
                FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.resolve("none.dat").toUri())));
        assertTrue(e.getMessage().contains("none.dat"), e.getMessage());
    }

    private static String error(byte[] bytes, String file) {
        String msg = assertThrows(ImatrixFormatException.class, () -> ImatrixReader.read(bytes, file)).getMessage();
        assertTrue(msg.startsWith(file + ": "), msg);
        return msg;
    }

    @Test
    void everyTruncationOfALegacyFileIsAnErrorNamingTheFile() {
        byte[] full = new ImatrixFiles.Legacy().entry("blk.0.attn_q.weight", 1, 1f, 2f).entry("blk.0.attn_v.weight", 1, 3f)
                .withoutTrailer();
        for (int len = 0; len < full.length; len++) error(Arrays.copyOf(full, len), "cut.dat");
    }

    @Test
    void everyTruncationOfAGgufFileIsAnErrorNamingTheFile() {
        byte[] full = ggufSample();
        // The last tensor's data ends 4 floats in; beyond that only alignment padding follows.
        int end = full.length - 32 + 8;
        for (int len = 0; len < end; len++) error(Arrays.copyOf(full, len), "cut.gguf");
    }

    @Test
    void badLegacyFieldsAreClearErrors() {
        assertTrue(error(new ImatrixFiles.Legacy().entry("blk.0.attn_q.weight", -1, 1f).withoutTrailer(), "a.dat").contains("ncall is -1"));
        assertTrue(error(new ImatrixFiles.Le().i32(1).i32(3).raw("abc".getBytes()).i32(1).i32(-5).bytes(), "b.dat")
                .contains("value count is -5"));
        assertTrue(error(new ImatrixFiles.Legacy().entry("blk.0.attn_q.weight", 1, 1f, Float.NaN).withoutTrailer(), "c.dat")
                .contains("value 1 is NaN"));
        assertTrue(error(new ImatrixFiles.Legacy().entry("blk.0.attn_q.weight", 1, -1f).withoutTrailer(), "d.dat").contains("value 0 is -1.0"));
        assertTrue(error(new ImatrixFiles.Le().i32(0).bytes(), "e.dat").contains("entry count is 0"));
        assertTrue(error(new ImatrixFiles.Legacy().entry("x", 1, 1f).entry("x", 1, 1f).withoutTrailer(), "f.dat").contains("twice"));
        error("this is a text file, not an imatrix".getBytes(), "notes.txt");
    }

    @Test
    void badGgufFieldsAreClearErrors() {
        ImatrixFiles.Gguf v1 = new ImatrixFiles.Gguf().tensor("blk.0.attn_q.weight.in_sum2", new long[] {1, 1}, 1f);
        v1.version = 1;
        assertTrue(error(v1.bytes("x"), "v1.gguf").contains("version 1"));
        assertTrue(error(new ImatrixFiles.Gguf().tensor("blk.0.attn_q.weight.in_sum2", new long[] {1, 2}, 1f, 2f).bytes("x"), "nocounts.gguf")
                .contains("no matching"));
        assertTrue(error(new ImatrixFiles.Gguf().tensor("blk.0.attn_q.weight.in_sum2", new long[] {1, 2}, 1f, Float.NaN)
                .tensor("blk.0.attn_q.weight.counts", new long[] {1, 1}, 1f).bytes("x"), "nan.gguf").contains("NaN"));
        assertTrue(error(new ImatrixFiles.Gguf().tensor("blk.0.attn_q.weight.in_sum2", new long[] {1, 2}, 1f, 2f)
                .tensor("blk.0.attn_q.weight.counts", new long[] {1, 1}, -3f).bytes("x"), "neg.gguf").contains("count 0 is -3.0"));
        assertTrue(error(new ImatrixFiles.Gguf().tensor("token_embd.weight", new long[] {2}, 1f, 2f).bytes("x"), "model.gguf")
                .contains("no '*.in_sum2'"));
    }

    @Test
    void aGgufHeaderWithTheWrongMagicIsRefused() {
        byte[] b = ggufSample();
        b[3] = 'X';
        String msg = assertThrows(ImatrixFormatException.class,
                () -> GgufFile.parse(new LittleEndianReader("m.gguf", b))).getMessage();
        assertEquals("m.gguf: not a GGUF file (wrong magic)", msg);
    }
}
