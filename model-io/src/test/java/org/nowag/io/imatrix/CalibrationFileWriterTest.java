package org.nowag.io.imatrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.TensorInfo;

/** An imatrix saved as a calibration safetensors file reads back bit for bit, one 1-D tensor per HF weight. */
class CalibrationFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void savedDiagonalsReadBackExactly() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ImportanceMatrix m = ImatrixReader.read(ImatrixReaderTest.ggufSample(), "sample.gguf");
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("stats.safetensors").toUri());
        CalibrationFileWriter.write(fs, out, m);
        try (SafetensorsFile f = SafetensorsFile.open(fs, out)) {
            List<TensorInfo> tensors = f.header().tensors();
            assertEquals(m.diagonals().size(), tensors.size());
            for (TensorInfo t : tensors) {
                assertEquals(1, t.shape().length);
                assertArrayEquals(m.diagonals().get(t.name()), f.readRowsAsFloat(t.name(), 0, (int) t.rows()));
            }
        }
        assertThrows(java.io.IOException.class, () -> CalibrationFileWriter.write(fs, out, m));
        try (var files = Files.list(dir)) {
            // No temp files left behind (Hadoop's local FS adds a hidden .crc beside the file).
            assertEquals(List.of("stats.safetensors"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).toList());
        }
    }
}
