package org.nowag.tools.study;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.kernels.quant.RoundToNearest;
import org.nowag.kernels.quant.RtnConfig;
import org.nowag.kernels.quant.RtnResult;

/**
 * The study's own RTN path (not `compress --method rtn`, whose decompress writes W_hat in the weight's own dtype): every selected 2-D weight is quantized and
 * dequantized by the kernel ({@link RoundToNearest}) and written as F32 (W_hat = scale * (code - zero) is exact in
 * F32, not in BF16); every other tensor, config.json and the tokenizer files are copied. The output is an HF model
 * that evaluate reads like any other. Shard by shard, one tensor at a time: no model is held whole.
 */
final class RtnModel {
    /** Stored bits and weights over the quantized matrices (for the row's bits per weight). */
    double storedBits;
    long weights;
    int tensorsQuantized;

    private RtnModel() {}

    static RtnModel write(ModelDirectory model, Path out, RtnConfig config, String include) throws IOException {
        FileSystem fs = model.fileSystem();
        FileSystem outFs = out.getFileSystem(fs.getConf());
        if (outFs.exists(out)) throw new IllegalArgumentException(out + " exists; the study writes each row into a new directory");
        outFs.mkdirs(out);
        Pattern selected = Pattern.compile(include);
        RtnModel result = new RtnModel();
        for (Path shard : model.shards()) {
            List<TensorSpec> specs = new ArrayList<>();
            Map<String, TensorInfo> quantized = new LinkedHashMap<>();
            try (SafetensorsFile in = SafetensorsFile.open(fs, shard)) {
                for (TensorInfo t : model.tensors()) {
                    if (!model.shardOf(t.name()).equals(shard)) continue;
                    boolean q = t.shape().length == 2 && t.dtype().isFloatConvertible() && selected.matcher(t.name()).matches();
                    if (q) quantized.put(t.name(), t);
                    specs.add(new TensorSpec(t.name(), q ? DType.F32 : t.dtype(), t.shape()));
                }
                try (OutputStream o = outFs.create(new Path(out, shard.getName()), false)) {
                    SafetensorsWriter.write(o, specs, Map.of("format", "pt"), (spec, stream) -> {
                        TensorInfo t = model.tensor(spec.name());
                        if (!quantized.containsKey(spec.name())) {
                            in.copyBytes(spec.name(), 0, t.byteSize(), stream);
                            return;
                        }
                        int rows = Math.toIntExact(t.rows());
                        int cols = Math.toIntExact(t.cols());
                        RtnResult r = RoundToNearest.quantize(in.readRowsAsFloat(spec.name(), 0, rows), rows, cols, config);
                        float[] wHat = r.dequantize();
                        byte[] bytes = new byte[wHat.length * 4];
                        FloatCodec.encode(wHat, 0, DType.F32, bytes, 0, wHat.length);
                        stream.write(bytes);
                        result.storedBits += r.bitsPerWeight() * wHat.length;
                        result.weights += wHat.length;
                        result.tensorsQuantized++;
                    });
                }
            }
        }
        if (model.configJson() != null) {
            try (OutputStream o = outFs.create(new Path(out, ModelDirectory.CONFIG_FILE), false)) {
                o.write(model.configJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        List<Path> others = new ArrayList<>(model.otherFiles());
        Path index = new Path(model.root(), org.nowag.io.model.ShardLayout.INDEX_FILE);
        if (fs.exists(index)) others.add(index);
        for (Path p : others) {
            try (InputStream i = fs.open(p); OutputStream o = outFs.create(new Path(out, p.getName()), false)) {
                i.transferTo(o);
            }
        }
        return result;
    }

    double bitsPerWeight() { return weights == 0 ? 0 : storedBits / weights; }
}
