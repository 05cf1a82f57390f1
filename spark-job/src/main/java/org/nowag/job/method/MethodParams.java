package org.nowag.job.method;

import java.io.Serializable;

/** A method's parameters for one tensor: immutable, serializable, and identified by text in the fingerprint. */
public interface MethodParams extends Serializable {
    /** Short text for report.json's pattern column, e.g. "50% per matrix", "2:4", "d=6 K=4096". */
    String describe();

    /** Everything that changes the output, as text: two tensors with equal identities get equal bytes. */
    String identity();
}
