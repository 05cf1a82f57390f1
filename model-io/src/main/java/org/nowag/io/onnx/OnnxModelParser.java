package org.nowag.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nowag.io.safetensors.DType;

/**
 * ModelProto bytes -> {@link OnnxGraph}. Field numbers are those of onnx.proto3; every field not listed here is
 * skipped, as protobuf requires of readers.
 */
final class OnnxModelParser {
    private static final int MODEL_GRAPH = 7;

    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;

    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;

    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DOUBLE_DATA = 10;
    private static final int TENSOR_UINT64_DATA = 11;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;

    private OnnxModelParser() {}

    static OnnxGraph parse(byte[] model) throws OnnxFormatException {
        List<OnnxInitializer> initializers = new ArrayList<>();
        List<OnnxNode> nodes = new ArrayList<>();
        boolean sawGraph = false;
        ProtoReader r = new ProtoReader(model);
        while (r.hasRemaining()) {
            int tag = r.readTag();
            if (ProtoReader.fieldNumber(tag) == MODEL_GRAPH) {
                expect(r, tag, ProtoReader.LENGTH_DELIMITED, "ModelProto.graph");
                // Protobuf merges repeated occurrences of a message field, which for a graph concatenates its lists.
                parseGraph(r.readMessage(), initializers, nodes);
                sawGraph = true;
            } else {
                r.skipField(tag);
            }
        }
        if (!sawGraph) {
            throw new OnnxFormatException("not an ONNX model: no graph (field 7) in " + model.length + " bytes");
        }
        return new OnnxGraph(initializers, nodes);
    }

    private static void parseGraph(ProtoReader r, List<OnnxInitializer> initializers, List<OnnxNode> nodes)
            throws OnnxFormatException {
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case GRAPH_NODE:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "GraphProto.node");
                    nodes.add(parseNode(r.readMessage()));
                    break;
                case GRAPH_INITIALIZER:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "GraphProto.initializer");
                    initializers.add(parseTensor(r.readMessage()));
                    break;
                default:
                    r.skipField(tag);
            }
        }
    }

    private static OnnxNode parseNode(ProtoReader r) throws OnnxFormatException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        while (r.hasRemaining()) {
            int tag = r.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case NODE_INPUT:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "NodeProto.input");
                    inputs.add(r.readString());
                    break;
                case NODE_OUTPUT:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "NodeProto.output");
                    outputs.add(r.readString());
                    break;
                case NODE_NAME:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "NodeProto.name");
                    name = r.readString();
                    break;
                case NODE_OP_TYPE:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "NodeProto.op_type");
                    opType = r.readString();
                    break;
                default:
                    r.skipField(tag);
            }
        }
        return new OnnxNode(name, opType, inputs, outputs);
    }

    private static OnnxInitializer parseTensor(ProtoReader r) throws OnnxFormatException {
        int start = r.position();
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteSlice raw = null;
        String otherData = null;
        while (r.hasRemaining()) {
            int tag = r.readTag();
            int field = ProtoReader.fieldNumber(tag);
            switch (field) {
                case TENSOR_DIMS:
                    readInt64s(r, tag, dims);
                    break;
                case TENSOR_DATA_TYPE:
                    expect(r, tag, ProtoReader.VARINT, "TensorProto.data_type");
                    dataType = (int) r.readVarint();
                    break;
                case TENSOR_NAME:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "TensorProto.name");
                    name = r.readString();
                    break;
                case TENSOR_RAW_DATA:
                    expect(r, tag, ProtoReader.LENGTH_DELIMITED, "TensorProto.raw_data");
                    raw = r.readLengthDelimited();
                    break;
                case TENSOR_FLOAT_DATA: case TENSOR_INT32_DATA: case TENSOR_INT64_DATA:
                case TENSOR_DOUBLE_DATA: case TENSOR_UINT64_DATA: case TENSOR_EXTERNAL_DATA:
                case TENSOR_DATA_LOCATION:
                    otherData = "field " + field;
                    r.skipField(tag);
                    break;
                default:
                    r.skipField(tag);
            }
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            if (shape[i] < 0) {
                throw new OnnxFormatException("initializer '" + name + "' at byte " + start + ": negative dimension "
                        + shape[i]);
            }
        }
        if (raw == null) {
            // Typed *_data fields and external files are legal ONNX, but every exporter we target writes raw_data;
            // supporting the others would mean per-type decoding for no file we have.
            throw new OnnxFormatException("initializer '" + name + "' at byte " + start + " has no raw_data"
                    + (otherData == null ? "" : " (it uses " + otherData + ")")
                    + "; only raw_data initializers are supported");
        }
        DType dtype = OnnxDataTypes.toDType(dataType);
        if (dtype != null) {
            long expected = expectedBytes(shape, dtype);
            if (raw.length() != expected) {
                throw new OnnxFormatException("initializer '" + name + "' at byte " + start + ": raw_data has "
                        + raw.length() + " bytes, but dims " + Arrays.toString(shape) + " of " + dtype + " need "
                        + (expected < 0 ? "more than 2^63" : String.valueOf(expected)));
            }
        }
        return new OnnxInitializer(name, dataType, shape, raw);
    }

    /** product(shape) x element size, or -1 if that overflows a long (a corrupt file, never a real tensor). */
    private static long expectedBytes(long[] shape, DType dtype) {
        try {
            long n = dtype.bytes();
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    /** A repeated int64 may arrive packed (one length-delimited run of varints) or as one varint per element. */
    private static void readInt64s(ProtoReader r, int tag, List<Long> into) throws OnnxFormatException {
        if (ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = r.readMessage();
            while (packed.hasRemaining()) into.add(packed.readVarint());
        } else {
            expect(r, tag, ProtoReader.VARINT, "TensorProto.dims");
            into.add(r.readVarint());
        }
    }

    private static void expect(ProtoReader r, int tag, int wireType, String field) throws OnnxFormatException {
        if (ProtoReader.wireType(tag) != wireType) {
            throw new OnnxFormatException("protobuf before byte " + r.position() + ": " + field + " has wire type "
                    + ProtoReader.wireType(tag) + ", expected " + wireType);
        }
    }
}
