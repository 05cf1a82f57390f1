package org.nowag.job.method;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a plug-in writes one tensor's outputs on an executor: straight into the output shard, in the order of
 * {@link org.nowag.job.plan.TargetTensor#outputs}, each exactly its size (checked). Part tensors are copied into the
 * shard's Arrow file on the way.
 */
public interface TensorOutput {
    /** Writes the next output tensor, whole. */
    void write(String name, byte[] bytes) throws IOException;

    /**
     * The next output tensor as a stream, for a tensor written block by block; it must receive exactly the tensor's
     * bytes before the next call. Not for part tensors (the Arrow file takes whole tensors).
     */
    OutputStream open(String name) throws IOException;
}
