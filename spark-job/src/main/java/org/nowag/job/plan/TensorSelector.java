package org.nowag.job.plan;

import java.util.regex.Pattern;
import org.nowag.io.safetensors.TensorInfo;

/** Which tensors a method compresses: 2-D float weights whose name matches the include pattern. */
public final class TensorSelector {
    private final Pattern include;

    public TensorSelector(String includeRegex) {
        this.include = Pattern.compile(includeRegex);
    }

    public boolean selects(TensorInfo t) {
        return t.shape().length == 2 && t.dtype().isFloatConvertible() && include.matcher(t.name()).matches();
    }
}
