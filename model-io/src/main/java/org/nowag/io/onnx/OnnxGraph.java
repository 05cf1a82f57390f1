package org.nowag.io.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an ONNX GraphProto the importer uses: initializers (in file order) and nodes. */
public final class OnnxGraph {
    private final List<OnnxInitializer> initializers;
    private final List<OnnxNode> nodes;

    public OnnxGraph(List<OnnxInitializer> initializers, List<OnnxNode> nodes) {
        this.initializers = List.copyOf(initializers);
        this.nodes = List.copyOf(nodes);
    }

    /** Parses a serialized ModelProto; the initializers' bytes stay views into {@code model}. */
    public static OnnxGraph parse(byte[] model) throws OnnxFormatException {
        return OnnxModelParser.parse(model);
    }

    public List<OnnxInitializer> initializers() { return initializers; }
    public List<OnnxNode> nodes() { return nodes; }

    /** Initializers by name; a duplicated name is an invalid graph. */
    public Map<String, OnnxInitializer> initializersByName() throws OnnxFormatException {
        Map<String, OnnxInitializer> byName = new LinkedHashMap<>();
        for (OnnxInitializer t : initializers) {
            if (byName.put(t.name(), t) != null) {
                throw new OnnxFormatException("initializer name '" + t.name() + "' occurs twice");
            }
        }
        return byName;
    }

    /** Sum of every initializer's raw bytes: a cheap fingerprint of the weights' layout. */
    public long totalInitializerBytes() {
        long total = 0;
        for (OnnxInitializer t : initializers) total += t.rawData().length();
        return total;
    }
}
