package org.nowag.io.arrow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Named tensors as an Arrow IPC file (the "file" format, readable by pyarrow.ipc.open_file and every Arrow library).
 * <pre>
 *   schema: name utf8, dtype utf8 (the safetensors dtype, e.g. "U8", "F16"), shape list&lt;int64&gt;,
 *           data large_binary (the tensor's little-endian bytes, exactly as in safetensors)
 *   schema metadata: format = "nowag-tensors-v1", plus what the caller adds (e.g. the source shard)
 * </pre>
 * One record batch of one row per tensor, so writing holds one tensor at a time: memory is bounded by the largest
 * tensor (its bytes on the heap plus one off-heap copy in Arrow's buffer), not by the file.
 */
public final class TensorArrowFile {
    public static final String FORMAT = "nowag-tensors-v1";
    /** Arrow's binary values are indexed by long, but Java arrays by int: one tensor is at most this many bytes. */
    public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    /** Gives the bytes of a tensor, in the order the writer asks. */
    public interface TensorBytes { byte[] read(TensorSpec spec) throws IOException; }

    /** A tensor read back. */
    public static final class Entry {
        public final String name;
        public final String dtype;
        public final long[] shape;
        public final byte[] data;

        Entry(String name, String dtype, long[] shape, byte[] data) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.data = data;
        }
    }

    private TensorArrowFile() {}

    static Schema schema(Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", FORMAT);
        Field shapeItem = new Field("item", FieldType.notNullable(new ArrowType.Int(64, true)), null);
        return new Schema(List.of(
                new Field("name", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field("dtype", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
                new Field("shape", FieldType.notNullable(ArrowType.List.INSTANCE), List.of(shapeItem)),
                new Field("data", FieldType.notNullable(ArrowType.LargeBinary.INSTANCE), null)), meta);
    }

    /** Writes the tensors in list order to out (which is not closed). */
    public static void write(OutputStream out, List<TensorSpec> tensors, Map<String, String> metadata, TensorBytes source)
            throws IOException {
        for (TensorSpec t : tensors) checkSize(t);
        try (Writer writer = new Writer(out, metadata)) {
            for (TensorSpec t : tensors) writer.add(t, source.read(t));
            writer.finish();
        }
    }

    private static void checkSize(TensorSpec t) throws IOException {
        if (t.byteSize() > MAX_TENSOR_BYTES) {
            throw new IOException("tensor " + t.name() + " has " + t.byteSize() + " bytes; an Arrow part holds at most "
                    + MAX_TENSOR_BYTES);
        }
    }

    /**
     * Writes tensors one at a time as they come (a shard writer hands each part tensor here while it streams the
     * same bytes into the shard); close() ends the file but not the stream.
     */
    public static final class Writer implements AutoCloseable {
        private final BufferAllocator allocator;
        private final VectorSchemaRoot root;
        private final ArrowFileWriter writer;

        public Writer(OutputStream out, Map<String, String> metadata) throws IOException {
            allocator = new RootAllocator();
            root = VectorSchemaRoot.create(schema(metadata), allocator);
            writer = new ArrowFileWriter(root, null, Channels.newChannel(new Unclosed(out)),
                    root.getSchema().getCustomMetadata());
            writer.start();
        }

        public void add(TensorSpec t, byte[] bytes) throws IOException {
            checkSize(t);
            if (bytes.length != t.byteSize()) {
                throw new IOException("tensor " + t.name() + ": expected " + t.byteSize() + " bytes, got " + bytes.length);
            }
            root.allocateNew();
            ((VarCharVector) root.getVector("name")).setSafe(0, t.name().getBytes(StandardCharsets.UTF_8));
            ((VarCharVector) root.getVector("dtype")).setSafe(0, t.dtype().name().getBytes(StandardCharsets.UTF_8));
            UnionListWriter shape = ((ListVector) root.getVector("shape")).getWriter();
            shape.setPosition(0);
            shape.startList();
            for (long d : t.shape()) shape.bigInt().writeBigInt(d);
            shape.endList();
            ((LargeVarBinaryVector) root.getVector("data")).setSafe(0, bytes);
            root.setRowCount(1);
            writer.writeBatch();
        }

        /** Ends the file (footer); the stream stays open. */
        public void finish() throws IOException { writer.end(); }

        @Override public void close() throws IOException {
            try {
                writer.close();
            } finally {
                root.close();
                allocator.close();
            }
        }
    }

    /** Reads every tensor of the file (for tests and small files: holds them all). */
    public static List<Entry> readAll(SeekableByteChannel in) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(in, allocator)) {
            if (!FORMAT.equals(reader.getVectorSchemaRoot().getSchema().getCustomMetadata().get("format"))) {
                throw new IOException("not a " + FORMAT + " Arrow file");
            }
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                VarCharVector names = (VarCharVector) root.getVector("name");
                VarCharVector dtypes = (VarCharVector) root.getVector("dtype");
                ListVector shapes = (ListVector) root.getVector("shape");
                LargeVarBinaryVector data = (LargeVarBinaryVector) root.getVector("data");
                for (int row = 0; row < root.getRowCount(); row++) {
                    String dtype = new String(dtypes.get(row), StandardCharsets.UTF_8);
                    DType.parse("Arrow tensor file", dtype);  // an unknown dtype fails here, by name
                    BigIntVector dims = (BigIntVector) shapes.getDataVector();
                    int from = shapes.getElementStartIndex(row);
                    int to = shapes.getElementEndIndex(row);
                    long[] shape = new long[to - from];
                    for (int i = from; i < to; i++) shape[i - from] = dims.get(i);
                    out.add(new Entry(new String(names.get(row), StandardCharsets.UTF_8), dtype, shape, data.get(row)));
                }
            }
        }
        return out;
    }

    /** Arrow's writer closes its channel; the caller owns the stream (it may still need to hash or rename it). */
    private static final class Unclosed extends java.io.FilterOutputStream {
        Unclosed(OutputStream out) { super(out); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void close() throws IOException { flush(); }
    }
}
