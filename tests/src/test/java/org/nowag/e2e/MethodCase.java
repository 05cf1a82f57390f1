package org.nowag.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.calib.CalibrateOptions;
import org.nowag.job.calib.Calibrator;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.prune.SparsityPattern;
import org.nowag.kernels.vq.VqConfig;

/**
 * Every compression method as the fault and storage tests run it on MiniLM, each exercising its own paths: NoWag-P's
 * whole-matrix threshold over row blocks, Wanda's column norms over row blocks, SparseGPT with a real full X^T X,
 * NoWag-VQ and ARMOR small enough for a test (two matrices, few iterations, a small codebook), copy.
 */
enum MethodCase {
    NOWAG_P(o -> o.method(CompressionMethod.NOWAG_P)
            .pattern(SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX)).blockBytes(1 << 20)),
    WANDA(o -> o.method(CompressionMethod.WANDA).pattern(SparsityPattern.nOfM(2, 4)).blockBytes(1 << 20)),
    MAGNITUDE(o -> o.method(CompressionMethod.MAGNITUDE).pattern(SparsityPattern.nOfM(2, 4))),
    SPARSEGPT(o -> o.method(CompressionMethod.SPARSEGPT).pattern(SparsityPattern.nOfM(2, 4)).include(MethodCase.TWO)
            .calibration(fullCalibration())),
    NOWAG_VQ(o -> o.method(CompressionMethod.NOWAG_VQ).include(MethodCase.TWO).vq(new VqConfig(4, 16, 3, 0L, true))),
    ARMOR(o -> o.method(CompressionMethod.ARMOR).pattern(SparsityPattern.nOfM(2, 4)).include(MethodCase.TWO)
            .armor(ArmorConfig.of(32, 1, true))),
    COPY(o -> o.method(CompressionMethod.COPY));

    /** Two matrices of layer 0 for the slow methods. */
    static final String TWO = "encoder\\.layer\\.0\\.attention\\.self\\.(query|key)\\.weight";
    /** A tensor every case compresses: the fault hooks name it. */
    static final String TENSOR = "encoder.layer.0.attention.self.query.weight";

    private final UnaryOperator<CompressOptions> configure;

    MethodCase(UnaryOperator<CompressOptions> configure) {
        this.configure = configure;
    }

    CompressOptions options(String model, String out) {
        return configure.apply(new CompressOptions().model(model).out(out));
    }

    private static String calibration;

    /** Statistics with the full X^T X beside them (SOTU 1990-1999, 4 windows of 64 tokens), made once per JVM. */
    static synchronized String fullCalibration() {
        if (calibration == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "calibration");
                CalibrateOptions o = new CalibrateOptions();
                o.model = Fixtures.miniLm().toUri().toString();
                o.texts = Corpora.uris(Corpora.sotu(1990, 1999));
                o.samples = 4;
                o.seqLen = 64;
                o.seed = 1;
                o.full = true;
                o.out = dir.resolve("sotu.safetensors").toString();
                new Calibrator(Fixtures.spark(), line -> { }).run(o);
                calibration = o.out;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return calibration;
    }
}
