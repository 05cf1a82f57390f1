package org.nowag.tools.train;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;

/** ND4J arrays to and from safetensors files (F32 for checkpoints, BF16 for the published model). */
public final class TensorFiles {
    private TensorFiles() {}

    public static void write(Path file, Map<String, INDArray> tensors, DType dtype, Map<String, String> metadata)
            throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) specs.add(new TensorSpec(e.getKey(), dtype, e.getValue().shape()));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            SafetensorsWriter.write(out, specs, metadata, (spec, o) -> {
                float[] values = tensors.get(spec.name()).castTo(DataType.FLOAT).dup('c').data().asFloat();
                byte[] bytes = new byte[(int) spec.byteSize()];
                FloatCodec.encode(values, 0, dtype, bytes, 0, values.length);
                o.write(bytes);
            });
        }
    }

    /** Every tensor of the file as a float32 array of its shape, in file order. */
    public static Map<String, INDArray> read(Path file) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        FileSystem fs = FileSystem.getLocal(new Configuration());
        try (SafetensorsFile f = SafetensorsFile.open(fs, new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()))) {
            for (TensorInfo t : f.header().tensors()) {
                long n = 1;
                for (long d : t.shape()) n *= d;
                byte[] bytes = f.readBytes(t.name(), 0, (int) (n * t.dtype().bytes()));
                float[] values = new float[(int) n];
                FloatCodec.decode(bytes, 0, t.dtype(), values, 0, (int) n);
                out.put(t.name(), Nd4j.createFromArray(values).reshape(t.shape()));
            }
        }
        return out;
    }
}
