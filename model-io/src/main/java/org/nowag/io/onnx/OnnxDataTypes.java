package org.nowag.io.onnx;

import org.nowag.io.safetensors.DType;

/** ONNX TensorProto.DataType codes (onnx.proto3) and the safetensors dtype with the same bytes. */
final class OnnxDataTypes {
    static final int FLOAT = 1;
    static final int INT64 = 7;

    private OnnxDataTypes() {}

    /** The matching safetensors dtype, or null where there is none (STRING, complex, the FNUZ float8 variants). */
    static DType toDType(int onnxType) {
        switch (onnxType) {
            case 1: return DType.F32;
            case 2: return DType.U8;
            case 3: return DType.I8;
            case 4: return DType.U16;
            case 5: return DType.I16;
            case 6: return DType.I32;
            case 7: return DType.I64;
            case 9: return DType.BOOL;
            case 10: return DType.F16;
            case 11: return DType.F64;
            case 12: return DType.U32;
            case 13: return DType.U64;
            case 16: return DType.BF16;
            case 17: return DType.F8_E4M3;
            case 19: return DType.F8_E5M2;
            default: return null;
        }
    }
}
