package org.nowag.io.onnx;

import java.util.List;

/** One graph node (NodeProto), reduced to what the importer needs to follow tensors: no attributes. */
public final class OnnxNode {
    private final String name;
    private final String opType;
    private final List<String> inputs;
    private final List<String> outputs;

    public OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {
        this.name = name;
        this.opType = opType;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    public String name() { return name; }
    public String opType() { return opType; }
    public List<String> inputs() { return inputs; }
    public List<String> outputs() { return outputs; }

    @Override
    public String toString() {
        return opType + " '" + name + "' " + inputs + " -> " + outputs;
    }
}
