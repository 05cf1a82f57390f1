package org.nowag.tools.measure;

import java.io.OutputStream;
import org.nowag.job.method.TensorOutput;

/** A plug-in's output that counts the bytes and keeps none: one task's work, measured without its write. */
public final class DiscardingOutput implements TensorOutput {
    private long bytes;

    @Override public void write(String name, byte[] data) { bytes += data.length; }

    @Override public OutputStream open(String name) {
        return new OutputStream() {
            @Override public void write(int b) { bytes++; }
            @Override public void write(byte[] b, int off, int len) { bytes += len; }
        };
    }

    public long bytes() { return bytes; }
}
