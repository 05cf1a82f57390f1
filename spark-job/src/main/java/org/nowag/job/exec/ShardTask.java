package org.nowag.job.exec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.arrow.TensorArrowFile;
import org.nowag.io.fs.AtomicFiles;
import org.nowag.io.fs.FileDigest;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorSpec;
import org.nowag.job.api.TensorReport;
import org.nowag.job.commit.ShardRecord;
import org.nowag.job.method.NonFiniteWeights;
import org.nowag.job.method.TensorOutput;
import org.nowag.job.method.TensorWork;
import org.nowag.job.plan.TargetTensor;

/**
 * One output shard, written once, on an executor: the header (every output tensor's size is known from the plan),
 * then each tensor in order, copied from its input shard or computed by its method's plug-in and streamed in, hashed
 * on the way; part tensors (VQ codes, ARMOR parts) go into the shard's Arrow file at the same time. The files are
 * committed as every output file is ({@link AtomicFiles}: temp + rename, or a direct write on S3), then the task
 * writes the shard's {@link ShardRecord}, which makes the shard count as committed. The bytes are a pure function of
 * the task, so a retried or duplicate attempt writes the same files and an equivalent record.
 */
public final class ShardTask implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> METADATA = Map.of("format", "pt");

    /** One tensor of the shard: copied unchanged from an input shard, or computed by a plug-in. */
    public static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        public String inputShard;
        public TensorSpec copy;
        public TensorWork work;

        public static Entry copy(String inputShard, TensorSpec spec) {
            Entry e = new Entry();
            e.inputShard = inputShard;
            e.copy = spec;
            return e;
        }

        public static Entry compute(TensorWork work) {
            Entry e = new Entry();
            e.work = work;
            return e;
        }
    }

    public String shardPath;
    /** The Arrow file of the shard's part tensors; null when it holds none. */
    public String arrowPath;
    public String recordPath;
    /** Every output tensor in order: the header. Mutable lists and maps: Kryo rebuilds them with add/put. */
    public ArrayList<TensorSpec> specs;
    public ArrayList<Entry> entries;
    /** Tensors the driver decided to copy unchanged because they hold NaN or infinite weights: name -> why. */
    public LinkedHashMap<String, String> skippedNonFinite;

    public ShardTask() { }

    public ShardTask(String shardPath, String arrowPath, String recordPath, List<TensorSpec> specs, List<Entry> entries,
                     Map<String, String> skippedNonFinite) {
        this.shardPath = shardPath;
        this.arrowPath = arrowPath;
        this.recordPath = recordPath;
        this.specs = new ArrayList<>(specs);
        this.entries = new ArrayList<>(entries);
        this.skippedNonFinite = new LinkedHashMap<>(skippedNonFinite);
    }

    public ShardRecord run(Configuration conf) throws IOException {
        KernelThreads.matchTask();
        FaultInjection.delay();
        Path shard = new Path(shardPath);
        FileSystem fs = shard.getFileSystem(conf);
        ShardRecord rec = new ShardRecord();
        rec.shard = shard.getName();
        rec.skippedNonFinite.putAll(skippedNonFinite);
        byte[] header = SafetensorsWriter.header(specs, METADATA);
        try {
            AtomicFiles.write(fs, shard, raw -> {
                FileDigest.Counting out = new FileDigest.Counting(raw);
                if (arrowPath == null) {
                    writeTensors(conf, fs, shard, header, out, null, rec);
                } else {
                    Path arrow = new Path(arrowPath);
                    AtomicFiles.write(arrow.getFileSystem(conf), arrow, rawArrow -> {
                        FileDigest.Counting arrowOut = new FileDigest.Counting(rawArrow);
                        Map<String, String> meta = new LinkedHashMap<>();
                        meta.put("source_shard", shard.getName());
                        try (TensorArrowFile.Writer parts = new TensorArrowFile.Writer(arrowOut, meta)) {
                            writeTensors(conf, fs, shard, header, out, parts, rec);
                            parts.finish();
                        }
                        arrowOut.close();
                        rec.arrow = arrow.getName();
                        rec.arrowDigest = arrowOut.digest(arrow.getName());
                    });
                }
                out.close();
                rec.shardDigest = out.digest(shard.getName());
            });
        } catch (NonFiniteWeights e) {
            // Nothing was committed (the writes above were abandoned): the driver refuses or skips the tensor.
            ShardRecord bad = new ShardRecord();
            bad.shard = rec.shard;
            bad.nonFiniteTensor = e.tensor;
            bad.nonFiniteWhy = e.why;
            return bad;
        }
        Path record = new Path(recordPath);
        byte[] json = rec.toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(record.getFileSystem(conf), record, o -> o.write(json));
        return rec;
    }

    private void writeTensors(Configuration conf, FileSystem fs, Path shard, byte[] header, OutputStream out,
                              TensorArrowFile.Writer parts, ShardRecord rec) throws IOException {
        Map<String, SafetensorsFile> open = new HashMap<>();
        try {
            out.write(header);
            int next = 0;
            for (Entry e : entries) {
                if (e.copy != null) {
                    TensorSpec spec = specs.get(next++);
                    SafetensorsFile in = open.get(e.inputShard);
                    if (in == null) {
                        Path p = new Path(e.inputShard);
                        in = SafetensorsFile.open(p.getFileSystem(conf), p);
                        open.put(e.inputShard, in);
                    }
                    Exact exact = new Exact(out, spec);
                    in.copyBytes(spec.name(), 0, spec.byteSize(), exact);
                    exact.done();
                    continue;
                }
                TargetTensor t = e.work.target;
                FaultInjection.beforeTensor(t.name(), fs, shard, header);
                Sink sink = new Sink(out, parts, t, next);
                TensorReport report = t.method.write(e.work, conf, sink);
                sink.done();
                next += t.outputs.size();
                rec.tensors.add(report);
                rec.blocksComputed += t.blocks.size();
            }
            if (next != specs.size()) throw new IOException("shard " + shard + ": wrote " + next + " of " + specs.size() + " tensors");
        } finally {
            for (SafetensorsFile f : open.values()) f.close();
        }
    }

    /** A plug-in's view of the shard: its tensor's outputs, in order, each exactly its size. */
    private final class Sink implements TensorOutput {
        private final OutputStream out;
        private final TensorArrowFile.Writer parts;
        private final TargetTensor target;
        private final int first;
        private int written;
        private Exact current;

        Sink(OutputStream out, TensorArrowFile.Writer parts, TargetTensor target, int first) {
            this.out = out;
            this.parts = parts;
            this.target = target;
            this.first = first;
        }

        private TensorSpec next(String name) throws IOException {
            if (current != null) {
                current.done();
                current = null;
            }
            if (written >= target.outputs.size()) {
                throw new IOException(target.method.name() + " wrote more tensors for " + target.name() + " than planned ("
                        + name + ")");
            }
            TensorSpec spec = specs.get(first + written);
            if (!spec.name().equals(name)) {
                throw new IOException(target.method.name() + " wrote " + name + " where the plan has " + spec.name());
            }
            written++;
            return spec;
        }

        @Override public void write(String name, byte[] bytes) throws IOException {
            TensorSpec spec = next(name);
            Exact exact = new Exact(out, spec);
            exact.write(bytes, 0, bytes.length);
            exact.done();
            if (parts != null && target.method.isPart(name)) parts.add(spec, bytes);
        }

        @Override public OutputStream open(String name) throws IOException {
            TensorSpec spec = next(name);
            current = new Exact(out, spec);
            return current;
        }

        void done() throws IOException {
            if (current != null) current.done();
            if (written != target.outputs.size()) {
                throw new IOException(target.method.name() + " wrote " + written + " of the " + target.outputs.size()
                        + " tensors planned for " + target.name());
            }
        }
    }

    /** Passes one tensor's bytes through, refusing more than its size; done() checks it got all of them. */
    private static final class Exact extends FilterOutputStream {
        private final TensorSpec spec;
        private long count;

        Exact(OutputStream out, TensorSpec spec) {
            super(out);
            this.spec = spec;
        }

        @Override public void write(int b) throws IOException {
            room(1);
            out.write(b);
            count++;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            room(len);
            out.write(b, off, len);
            count += len;
        }

        private void room(long len) throws IOException {
            if (count + len > spec.byteSize()) {
                throw new IOException("tensor '" + spec.name() + "': more than its " + spec.byteSize() + " bytes");
            }
        }

        void done() throws IOException {
            if (count != spec.byteSize()) {
                throw new IOException("tensor '" + spec.name() + "': wrote " + count + " bytes, expected " + spec.byteSize());
            }
        }

        /** The shard stream belongs to the task. */
        @Override public void close() { }
    }
}
