package org.nowag.job.exec;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nowag.io.armor.ArmorTensors;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.io.rtn.RtnTensors;
import org.nowag.io.vq.VqTensors;
import org.nowag.kernels.quant.RtnConfig;
import org.nowag.kernels.quant.RtnResult;
import org.nowag.kernels.armor.ArmorDecoder;
import org.nowag.kernels.vq.VqDecoder;

/**
 * Writes one shard of a dense model decoded from a NoWag-VQ, ARMOR or RTN model: a VQ weight is decoded to
 * W_hat = diag(r) Q diag(c), an ARMOR one to diag(r) A S B diag(c), an RTN one to scale * (code - zero) (each the
 * kernel's own decoder) in its original dtype; every other tensor is copied byte for byte. Temp name, then rename.
 */
public final class DecompressShardTask implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String targetPath;
    public final List<TensorSpec> tensors;
    /** Input tensor name -> input shard, for every tensor this shard reads. */
    public final Map<String, String> inputShards;
    /** Output tensors decoded from VQ tensors (the rest are copies). */
    public final List<String> vqWeights;

    /** Output tensors rebuilt from their ARMOR parts (diag(r) A S B diag(c)). */
    public final List<String> armorWeights;

    public DecompressShardTask(String targetPath, List<TensorSpec> tensors, Map<String, String> inputShards,
                               List<String> vqWeights) {
        this(targetPath, tensors, inputShards, vqWeights, new ArrayList<>());
    }

    /** Output tensors decoded from RTN tensors: weight -> {bits, group size} (config.json's record). */
    public final Map<String, int[]> rtnWeights;

    public DecompressShardTask(String targetPath, List<TensorSpec> tensors, Map<String, String> inputShards,
                               List<String> vqWeights, List<String> armorWeights) {
        this(targetPath, tensors, inputShards, vqWeights, armorWeights, new LinkedHashMap<>());
    }

    public DecompressShardTask(String targetPath, List<TensorSpec> tensors, Map<String, String> inputShards,
                               List<String> vqWeights, List<String> armorWeights, Map<String, int[]> rtnWeights) {
        this.rtnWeights = new LinkedHashMap<>(rtnWeights);
        this.targetPath = targetPath;
        this.tensors = new ArrayList<>(tensors);
        this.inputShards = new LinkedHashMap<>(inputShards);
        this.vqWeights = new ArrayList<>(vqWeights);
        this.armorWeights = new ArrayList<>(armorWeights);
    }

    public long run(Configuration conf) throws IOException {
        Path target = new Path(targetPath);
        Map<String, SafetensorsFile> open = new HashMap<>();
        Set<String> vq = new HashSet<>(vqWeights);
        Set<String> armor = new HashSet<>(armorWeights);
        try {
            AtomicFiles.write(target.getFileSystem(conf), target, out ->
                    SafetensorsWriter.write(out, tensors, Map.of("format", "pt"), (spec, o) -> {
                        if (vq.contains(spec.name())) {
                            o.write(decode(spec, open, conf));
                        } else if (rtnWeights.containsKey(spec.name())) {
                            o.write(decodeRtn(spec, open, conf));
                        } else if (armor.contains(spec.name())) {
                            o.write(decodeArmor(spec, open, conf));
                        } else {
                            open(open, inputShards.get(spec.name()), conf).copyBytes(spec.name(), 0, spec.byteSize(), o);
                        }
                    }));
        } finally {
            for (SafetensorsFile f : open.values()) f.close();
        }
        return tensors.stream().mapToLong(TensorSpec::byteSize).sum();
    }

    private byte[] decode(TensorSpec spec, Map<String, SafetensorsFile> open, Configuration conf) throws IOException {
        String w = spec.name();
        Map<String, VqTensors.Stored> stored = parts(w, new String[] {VqTensors.CODES, VqTensors.CODEBOOK, VqTensors.ROW_NORMS,
                VqTensors.COL_NORMS}, open, conf);
        VqTensors v = VqTensors.decode(w, stored);
        long[] shape = spec.shape();
        if (shape.length != 2 || shape[0] != v.rows || shape[1] != v.cols) {
            throw new IllegalArgumentException("VQ tensors of " + w + " decode to [" + v.rows + ", " + v.cols
                    + "] but config.json records " + java.util.Arrays.toString(shape));
        }
        float[] wHat = VqDecoder.decode(v.codes, v.codebook, v.dim, v.rows, v.cols, v.rowNorms, v.colNorms);
        byte[] bytes = new byte[Math.toIntExact(spec.byteSize())];
        FloatCodec.encode(wHat, 0, spec.dtype(), bytes, 0, wHat.length);
        return bytes;
    }

    /** W_hat = scale * (code - zero), the kernel's own dequantization, in the weight's recorded dtype. */
    private byte[] decodeRtn(TensorSpec spec, Map<String, SafetensorsFile> open, Configuration conf) throws IOException {
        String w = spec.name();
        Map<String, VqTensors.Stored> stored = parts(w, RtnTensors.SUFFIXES, open, conf);
        long[] shape = spec.shape();
        int[] bg = rtnWeights.get(w);
        RtnTensors r = RtnTensors.decode(w, shape[0], shape[1], bg[0], bg[1], stored);
        float[] wHat = RtnResult.stored(r.rows, r.cols, RtnConfig.of(r.bits, r.groupSize), r.codes, r.scales, r.zeros).dequantize();
        byte[] bytes = new byte[Math.toIntExact(spec.byteSize())];
        FloatCodec.encode(wHat, 0, spec.dtype(), bytes, 0, wHat.length);
        return bytes;
    }

    private byte[] decodeArmor(TensorSpec spec, Map<String, SafetensorsFile> open, Configuration conf) throws IOException {
        String w = spec.name();
        Map<String, VqTensors.Stored> stored = parts(w, ArmorTensors.SUFFIXES, open, conf);
        ArmorTensors a = ArmorTensors.decode(w, stored);
        long[] shape = spec.shape();
        if (shape.length != 2 || shape[0] != a.rows || shape[1] != a.cols) {
            throw new IllegalArgumentException("ARMOR tensors of " + w + " decode to [" + a.rows + ", " + a.cols
                    + "] but the model records " + java.util.Arrays.toString(shape));
        }
        float[] wHat = ArmorDecoder.decode(a.rows, a.cols, a.blockSize, a.aBlocks, a.bBlocks, a.values, a.positions,
                a.rowNorms, a.colNorms);
        byte[] bytes = new byte[Math.toIntExact(spec.byteSize())];
        FloatCodec.encode(wHat, 0, spec.dtype(), bytes, 0, wHat.length);
        return bytes;
    }

    /** The part tensors of weight w (one per suffix), read whole from their input shards. */
    private Map<String, VqTensors.Stored> parts(String w, String[] suffixes, Map<String, SafetensorsFile> open, Configuration conf)
            throws IOException {
        Map<String, VqTensors.Stored> stored = new HashMap<>();
        for (String suffix : suffixes) {
            String name = w + suffix;
            SafetensorsFile f = open(open, inputShards.get(name), conf);
            TensorInfo t = f.header().tensor(name);
            stored.put(name, new VqTensors.Stored(t.dtype(), t.shape(), f.readBytes(name, 0, Math.toIntExact(t.byteSize()))));
        }
        return stored;
    }

    private static SafetensorsFile open(Map<String, SafetensorsFile> open, String path, Configuration conf) throws IOException {
        if (path == null) throw new IOException("a tensor this shard needs is in no input shard");
        SafetensorsFile f = open.get(path);
        if (f == null) {
            Path p = new Path(path);
            f = SafetensorsFile.open(p.getFileSystem(conf), p);
            open.put(path, f);
        }
        return f;
    }
}
