package org.nowag.bench;

import java.util.concurrent.TimeUnit;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.FloatCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bulk BF16/F16 <-> float conversion of 4M elements (8 MiB of 16-bit input, 16 MiB of floats); baseline: copying
 * the 16-bit bytes with System.arraycopy, the floor for any pass over them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConversionBench {
    @Param({"BF16", "F16"})
    public String dtype;

    private DType type;
    private float[] floats;
    private byte[] bytes;
    private byte[] copy;
    private float[] decoded;

    @Setup
    public void setUp() {
        type = DType.valueOf(dtype);
        floats = BenchData.gaussian(BenchData.ROWS * BenchData.COLS, 1);
        bytes = new byte[floats.length * 2];
        copy = new byte[bytes.length];
        decoded = new float[floats.length];
        FloatCodec.encode(floats, 0, type, bytes, 0, floats.length);
    }

    @Benchmark
    public byte[] baseline() {
        System.arraycopy(bytes, 0, copy, 0, bytes.length);
        return copy;
    }

    @Benchmark
    public float[] decode() {
        FloatCodec.decode(bytes, 0, type, decoded, 0, decoded.length);
        return decoded;
    }

    @Benchmark
    public byte[] encode() {
        FloatCodec.encode(floats, 0, type, copy, 0, floats.length);
        return copy;
    }
}
