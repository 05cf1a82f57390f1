package org.nowag.io.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: 8-byte LE length N (bounded: at most 100 MiB and at most fileLength - 8),
 * N bytes of JSON (objects nested at most a few levels), every dtype known, every offset inside the data section,
 * no overlaps, byte size = product(shape) x dtype size. Every error is a SafetensorsFormatException naming the file.
 * Gaps between tensors and bytes after the last tensor are allowed (other writers align tensors).
 */
public final class SafetensorsHeader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The reference implementation's limit; a larger length is a corrupt or hostile file, not a real model. */
    public static final long MAX_HEADER_LENGTH = 100L << 20;

    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, String> metadata;
    private final long headerLength;
    private final long fileLength;

    private SafetensorsHeader(List<TensorInfo> tensors, Map<String, TensorInfo> byName, Map<String, String> metadata,
                              long headerLength, long fileLength) {
        this.tensors = tensors;
        this.byName = byName;
        this.metadata = metadata;
        this.headerLength = headerLength;
        this.fileLength = fileLength;
    }

    /**
     * Checks the 8-byte length prefix against the file before anything is allocated for it. headerLength is the raw
     * u64 read as a signed long, so a value of 2^63 or more arrives negative and is rejected as too large too.
     */
    public static void checkHeaderLength(String file, long fileLength, long headerLength) throws SafetensorsFormatException {
        checkFileLength(file, fileLength);
        if (headerLength < 0 || headerLength > MAX_HEADER_LENGTH) {
            throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is too large (limit " + MAX_HEADER_LENGTH + " bytes)");
        }
        if (headerLength > fileLength - 8) {
            throw new SafetensorsFormatException(file, "truncated: header length " + headerLength
                    + " is larger than the " + (fileLength - 8) + " bytes after the length prefix");
        }
        if (headerLength < 2) {
            throw new SafetensorsFormatException(file, "header length " + headerLength + " is too small for a JSON object");
        }
    }

    /** A file must at least hold the 8-byte length prefix. */
    public static void checkFileLength(String file, long fileLength) throws SafetensorsFormatException {
        if (fileLength < 8) {
            throw new SafetensorsFormatException(file, "truncated: " + fileLength + " bytes, shorter than the 8-byte header length");
        }
    }

    /** Parses and validates; fileLength is the whole file's size. */
    public static SafetensorsHeader parse(String file, long fileLength, long headerLength, byte[] headerJson) throws SafetensorsFormatException {
        checkHeaderLength(file, fileLength, headerLength);
        if (headerJson.length != headerLength) {
            throw new SafetensorsFormatException(file, "header length " + headerLength + " but " + headerJson.length + " header bytes given");
        }
        long dataLength = fileLength - 8 - headerLength;
        JsonNode root = BoundedJson.readObject(file, "header", headerJson);

        Map<String, String> metadata = Collections.emptyMap();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if ("__metadata__".equals(field.getKey())) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                tensors.add(parseTensor(file, field.getKey(), field.getValue(), dataLength));
            }
        }

        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end).thenComparing(TensorInfo::name));
        checkNoOverlap(file, tensors);

        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) byName.put(t.name(), t);
        return new SafetensorsHeader(Collections.unmodifiableList(tensors), Collections.unmodifiableMap(byName),
                metadata, headerLength, fileLength);
    }

    /** Tensors in data-offset order. */
    public List<TensorInfo> tensors() { return tensors; }
    /** null if absent. */
    public TensorInfo tensor(String name) { return byName.get(name); }
    public Map<String, String> metadata() { return metadata; }
    /** Absolute file offset where tensor data starts: 8 + N. */
    public long dataStart() { return 8 + headerLength; }
    /** N, the JSON length (padding included). */
    public long headerLength() { return headerLength; }
    /** The whole file's size, as validated. */
    public long fileLength() { return fileLength; }

    private static Map<String, String> parseMetadata(String file, JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, "__metadata__ must be an object of strings, got " + node.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "__metadata__ value for '" + e.getKey()
                        + "' must be a string, got " + e.getValue().getNodeType());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo parseTensor(String file, String name, JsonNode node, long dataLength) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, where + ": entry must be an object, got " + node.getNodeType());
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, where + ": missing or non-string dtype");
        }
        DType dtype = DType.parse(file + ": " + where, dtypeNode.textValue());

        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafetensorsFormatException(file, where + ": missing or non-array shape");
        }
        long[] shape = new long[shapeNode.size()];
        long expectedBytes = dtype.bytes();
        boolean overflow = false;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw new SafetensorsFormatException(file, where + ": shape entry " + d + " is not an integer");
            }
            shape[i] = d.longValue();
            if (shape[i] < 0) {
                throw new SafetensorsFormatException(file, where + ": negative dimension " + shape[i] + " in shape");
            }
            if (!overflow) {
                try {
                    expectedBytes = Math.multiplyExact(expectedBytes, shape[i]);
                } catch (ArithmeticException e) {
                    overflow = true; // a later zero dimension could still make it 0; decided below
                }
            }
        }
        if (overflow && !hasZero(shape)) {
            throw new SafetensorsFormatException(file, where + ": byte size of shape overflows 64 bits");
        }
        if (overflow) expectedBytes = 0;

        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !isLong(offsets.get(0)) || !isLong(offsets.get(1))) {
            throw new SafetensorsFormatException(file, where + ": data_offsets must be two 64-bit integers, got " + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || begin > end) {
            throw new SafetensorsFormatException(file, where + ": data_offsets [" + begin + ", " + end + "] have begin > end or are negative");
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(file, where + ": data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLength + " bytes");
        }
        if (end - begin != expectedBytes) {
            throw new SafetensorsFormatException(file, where + ": byte size " + (end - begin) + " != " + expectedBytes
                    + " = product(shape) x " + dtype.bytes() + " (" + dtype + ")");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** tensors sorted by begin; empty tensors occupy no bytes, so they cannot overlap anything. */
    private static void checkNoOverlap(String file, List<TensorInfo> sorted) throws SafetensorsFormatException {
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.byteSize() == 0) continue;
            if (previous != null && t.begin() < previous.end()) {
                throw new SafetensorsFormatException(file, "tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + t.name() + "' [" + t.begin() + ", " + t.end() + ") overlap");
            }
            if (previous == null || t.end() > previous.end()) previous = t;
        }
    }

    private static boolean isLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    private static boolean hasZero(long[] shape) {
        for (long d : shape) if (d == 0) return true;
        return false;
    }
}
