package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.vq.CodePacking;
import org.nowag.io.vq.VqTensors;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Decompressor;
import org.nowag.job.api.TensorReport;
import org.nowag.job.commit.OutputLayout;
import org.nowag.job.commit.OutputManifest;
import org.nowag.job.commit.ShardRecord;
import org.nowag.kernels.vq.NoWagVq;
import org.nowag.kernels.vq.VqConfig;
import org.nowag.kernels.vq.VqResult;

/**
 * NoWag-VQ with k-means over row blocks on executors (real SparkContext, real MiniLM weights) against the one-task
 * path: same configuration, same seed, byte-identical output, for a width d divides and one it does not (padding).
 */
class VqRowBlocksTest {
    static final String QUERY = "encoder.layer.0.attention.self.query.weight";
    static final String UP = "encoder.layer.0.intermediate.dense.weight";

    @TempDir Path tmp;

    private static CompressOptions options(Path model, Path out, VqConfig cfg) {
        return new CompressOptions().model(model.toUri().toString()).out(out.toUri().toString())
                .method(CompressionMethod.NOWAG_VQ).vq(cfg);
    }

    private static CompressionReport run(CompressOptions opts, List<String> log) throws IOException {
        return new Compressor(Fixtures.spark(), line -> { log.add(line); System.err.println(line); }).run(opts);
    }

    /**
     * The 1536 x 384 matrix (98304 subvectors at d = 6) in blocks of 32768 subvectors (3 blocks of 512 rows), with a
     * k-means++ sample of 3000 subvectors (so the init runs on a sample gathered from the executors' blocks). The
     * second run splits it automatically: it exceeds a 1 MiB --block-mb budget, the 384 x 384 query does not.
     */
    @Test
    void rowBlocksOnExecutorsWriteExactlyWhatOneTaskWritesForTheSameSeed() throws IOException {
        Path model = Fixtures.miniLm();
        VqConfig cfg = VqConfig.ofBits(6, 1, 6, 7).withBlocks(32768, 3000);
        String include = "encoder\\.layer\\.0\\.(attention\\.self\\.query|intermediate\\.dense)\\.weight";
        List<String> oneLog = new ArrayList<>();
        List<String> autoLog = new ArrayList<>();
        CompressionReport one = run(options(model, tmp.resolve("one"), cfg).include(include), oneLog);
        CompressionReport auto = run(options(model, tmp.resolve("auto"), cfg).include(include).blockBytes(1 << 20), autoLog);
        assertTrue(oneLog.stream().noneMatch(l -> l.contains("row blocks on executors")), "one task per matrix");
        assertTrue(autoLog.stream().anyMatch(l -> l.equals("nowag-vq " + UP + ": k-means over 3 row blocks of up to 512 "
                + "rows on executors")), String.join("\n", autoLog));
        assertTrue(autoLog.stream().noneMatch(l -> l.startsWith("nowag-vq " + QUERY)), "the small matrix stays one task");

        Map<String, byte[]> a = Fixtures.rawTensors(tmp.resolve("one"));
        Map<String, byte[]> c = Fixtures.rawTensors(tmp.resolve("auto"));
        assertEquals(a.keySet(), c.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), c.get(name), name + ": row blocks on executors == one task, byte for byte");
        }
        TensorReport x = one.tensor(UP);
        TensorReport y = auto.tensor(UP);
        assertArrayEquals(x.vq.kMeansLosses, y.vq.kMeansLosses, "the same k-means loss at every iteration");
        assertEquals(x.proxyLoss, y.proxyLoss, 0.0);
        assertEquals(x.proxyEnergy, y.proxyEnergy, 0.0);
        assertEquals(x.dataAwareLoss, y.dataAwareLoss, 0.0);
        // And both equal the kernel run on its own, outside Spark.
        VqResult up = NoWagVq.quantize(Fixtures.floats(model, UP), 1536, 384, null, cfg);
        assertArrayEquals(CodePacking.pack(up.codes, 6), c.get(UP + VqTensors.CODES));
        assertTrue(Files.notExists(tmp.resolve("auto").resolve("_staging")), "codes files cleaned up with the staging");
    }

    /** d = 5 does not divide 384: every row's last subvector is padded (4 real inputs + 1 of padding). */
    @Test
    void paddedWidthsRunOverRowBlocksTooAndDecompressGivesTheKernelsWHat() throws IOException {
        Path model = Fixtures.miniLm();
        VqConfig cfg = VqConfig.ofBits(5, 1, 6, 3).withBlocks(77 * 128, 1 << 18);  // 3 blocks of 128 rows
        List<String> log = new ArrayList<>();
        String include = "encoder\\.layer\\.0\\.attention\\.self\\.query\\.weight";
        CompressionReport one = run(options(model, tmp.resolve("one"), cfg).include(include), log);
        CompressionReport blocks = run(options(model, tmp.resolve("blocks"), cfg).include(include).vqRowBlocks(true), log);
        assertTrue(log.contains("nowag-vq " + QUERY + ": k-means over 3 row blocks of up to 128 rows on executors"));
        Map<String, byte[]> a = Fixtures.rawTensors(tmp.resolve("one"));
        Map<String, byte[]> b = Fixtures.rawTensors(tmp.resolve("blocks"));
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name);
        assertEquals(one.bitsPerWeight, blocks.bitsPerWeight, 0.0);

        int groups = (384 + 4) / 5;  // 77
        TensorReport q = one.tensor(QUERY);
        assertEquals(384.0 * groups * 5 / (384.0 * 384), q.vq.codeBitsPerWeight, 1e-12, "padded codes are counted");

        Path dense = tmp.resolve("dense");
        new Decompressor(Fixtures.spark(), null).run(tmp.resolve("blocks").toUri().toString(), dense.toUri().toString(),
                5_000_000_000L);
        Map<String, byte[]> decoded = Fixtures.rawTensors(dense);
        for (String t : new String[] {QUERY}) {
            long[] shape = one.tensor(t).shape;
            VqResult expected = NoWagVq.quantize(Fixtures.floats(model, t), (int) shape[0], (int) shape[1], null, cfg);
            float[] wHat = expected.wHat();
            byte[] bytes = new byte[wHat.length * 4];
            FloatCodec.encode(wHat, 0, DType.F32, bytes, 0, wHat.length);
            assertArrayEquals(bytes, decoded.get(t), t + ": decompress drops the padding and equals the kernel's W_hat");
        }
        assertEquals(List.of(), OutputManifest.verify(localFs(), hadoopPath(dense)), "a decompressed model has a manifest");
        assertTrue(Files.notExists(dense.resolve("_staging")), "nothing staged is left behind");
        resumedDecompressionWritesOnlyTheShardsWithoutARecord(tmp.resolve("blocks"));
    }

    /**
     * A decompression that died after committing its first shard (shard and record in place, as the task leaves them):
     * the re-run writes only the other shards, leaves the committed one untouched, and publishes the same bytes.
     */
    private void resumedDecompressionWritesOnlyTheShardsWithoutARecord(Path vqModel) throws IOException {
        long shardBytes = 20L << 20;
        Path whole = tmp.resolve("dense-shards");
        new Decompressor(Fixtures.spark(), null).run(vqModel.toUri().toString(), whole.toUri().toString(), shardBytes);
        String first = "model-00001-of-" + Files.readString(whole.resolve("model.safetensors.index.json"))
                .replaceAll("(?s).*model-00001-of-(\\d+)\\.safetensors.*", "$1") + ".safetensors";
        assertTrue(Files.exists(whole.resolve(first)), first);

        Path crashed = tmp.resolve("dense-crashed");
        OutputLayout layout = new OutputLayout(localFs(), hadoopPath(crashed));
        layout.begin(Files.readString(whole.resolve("_SUCCESS")).trim());
        Files.copy(whole.resolve(first), crashed.resolve(first));
        Files.setLastModifiedTime(crashed.resolve(first), FileTime.fromMillis(946684800000L));
        ShardRecord committed = new ShardRecord();
        committed.shard = first;
        committed.shardDigest = FileDigest.of(localFs(), hadoopPath(crashed.resolve(first)));
        layout.writeText(layout.record(first), committed.toJson());

        List<String> log = new ArrayList<>();
        new Decompressor(Fixtures.spark(), log::add).run(vqModel.toUri().toString(), crashed.toUri().toString(), shardBytes);
        assertTrue(log.stream().anyMatch(l -> l.matches("decompress: .* \\(\\d+ to write, 1 committed\\)")), log.toString());
        assertEquals(946684800000L, Files.getLastModifiedTime(crashed.resolve(first)).toMillis(), "the committed shard is not rewritten");
        assertEquals(List.of(), OutputManifest.verify(localFs(), hadoopPath(crashed)));
        Map<String, byte[]> expected = Fixtures.rawTensors(whole);
        Map<String, byte[]> resumed = Fixtures.rawTensors(crashed);
        assertEquals(expected.keySet(), resumed.keySet());
        for (String t : expected.keySet()) assertArrayEquals(expected.get(t), resumed.get(t), t);
        assertTrue(Files.notExists(crashed.resolve("_staging")));
    }

    private static FileSystem localFs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }
}
