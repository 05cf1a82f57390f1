package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.commit.OutputManifest;

/**
 * compress with input and output on HDFS (MiniDFSCluster) and on S3 (S3Mock through S3A), and across the two, for
 * every method: the output is byte for byte the output of the same run on the local file system.
 */
class StorageEndToEndTest {
    /** Differ by design between stores: the reports record paths and times, the manifest records their hashes. */
    static final java.util.Set<String> PROVENANCE = org.nowag.io.model.ModelFingerprint.RUN_FILES;

    @TempDir static Path tmp;
    static Configuration conf;
    static String localModel;
    static String hdfsModel;
    static String s3Model;
    static final Map<MethodCase, Map<String, byte[]>> reference = new java.util.EnumMap<>(MethodCase.class);

    @BeforeAll
    static void setUp() throws IOException {
        Path model = Fixtures.miniLm();
        conf = Fixtures.spark().hadoopConfiguration();
        URI hdfs = Stores.hdfs();
        URI s3 = Stores.s3(conf);
        localModel = model.toUri().toString();
        hdfsModel = hdfs + "/models/minilm";
        s3Model = s3 + "/models/minilm";
        Stores.upload(model, new org.apache.hadoop.fs.Path(hdfsModel), conf);
        Stores.upload(model, new org.apache.hadoop.fs.Path(s3Model), conf);
    }

    static CompressionReport compress(MethodCase c, String model, String out) throws IOException {
        return new Compressor(Fixtures.spark(), System.err::println).run(c.options(model, out));
    }

    static synchronized Map<String, byte[]> reference(MethodCase c) throws IOException {
        if (!reference.containsKey(c)) {
            Path local = tmp.resolve("local-" + c);
            compress(c, localModel, local.toUri().toString());
            Map<String, byte[]> files = Stores.files(new org.apache.hadoop.fs.Path(local.toUri()), conf);
            assertTrue(files.containsKey("_SUCCESS"), files.keySet().toString());
            reference.put(c, files);
        }
        return reference.get(c);
    }

    static void assertSameAsLocal(MethodCase c, String out) throws IOException {
        Map<String, byte[]> want = reference(c);
        Map<String, byte[]> got = Stores.files(new org.apache.hadoop.fs.Path(out), conf);
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), c + ": the same files as the local run");
        for (Map.Entry<String, byte[]> e : want.entrySet()) {
            if (PROVENANCE.contains(e.getKey())) continue;  // _SUCCESS: the fingerprint names the input path
            assertArrayEquals(e.getValue(), got.get(e.getKey()), c + ": " + e.getKey() + " differs from the local run");
        }
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out);
        org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(dir, "_staging")), "staging is removed after publishing");
        assertEquals(java.util.List.of(), OutputManifest.verify(fs, dir), c + ": every file matches the manifest");
        // S3 is written without renames (objects appear only when complete); HDFS keeps temp + rename.
        assertEquals(out.startsWith("s3a:"), AtomicFiles.writesDirectly(fs, dir), "commit scheme for " + out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void hdfsToHdfsWritesExactlyTheLocalOutput(MethodCase c) throws IOException {
        reference(c);
        String out = Stores.hdfs() + "/out/hdfs-hdfs-" + c;
        compress(c, hdfsModel, out);
        assertSameAsLocal(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void s3ToS3WritesExactlyTheLocalOutput(MethodCase c) throws IOException {
        reference(c);
        String out = Stores.s3(conf) + "/out/s3-s3-" + c;
        compress(c, s3Model, out);
        assertSameAsLocal(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void hdfsToS3WritesExactlyTheLocalOutput(MethodCase c) throws IOException {
        reference(c);
        String out = Stores.s3(conf) + "/out/hdfs-s3-" + c;
        compress(c, hdfsModel, out);
        assertSameAsLocal(c, out);
    }

    @ParameterizedTest
    @EnumSource(MethodCase.class)
    void s3ToHdfsWritesExactlyTheLocalOutput(MethodCase c) throws IOException {
        reference(c);
        String out = Stores.hdfs() + "/out/s3-hdfs-" + c;
        compress(c, s3Model, out);
        assertSameAsLocal(c, out);
    }

    /** A writer that fails after 20 MB (several S3 multipart blocks are already uploaded by then). */
    static void failingWrite(org.apache.hadoop.fs.Path target) throws IOException {
        org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(conf);
        fs.mkdirs(target.getParent());
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () ->
                AtomicFiles.write(fs, target, out -> {
                    out.write(new byte[20 << 20]);
                    throw new IOException("writer failed half-way");
                }));
        assertEquals("writer failed half-way", e.getMessage());
        assertFalse(fs.exists(target), "a failed write leaves no object or file under the target name");
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(target.getParent())) {
            assertFalse(st.getPath().getName().startsWith(target.getName()), "left behind: " + st.getPath());
        }
    }

    @Test
    void aFailedWriteToS3IsAbortedAndNeverBecomesAnObject() throws IOException {
        failingWrite(new org.apache.hadoop.fs.Path(Stores.s3(conf) + "/aborted/part.safetensors"));
    }

    @Test
    void aFailedWriteToHdfsLeavesNoFile() throws IOException {
        failingWrite(new org.apache.hadoop.fs.Path(Stores.hdfs() + "/aborted/part.safetensors"));
    }
}
