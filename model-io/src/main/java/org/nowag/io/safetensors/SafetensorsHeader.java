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
 * A validated safetensors header, held to the whole format (huggingface/safetensors README, "Format"): an 8-byte LE
 * length N (at most 100,000,000, the reference limit, and at most fileLength - 8); N bytes of UTF-8 JSON that begin
 * with '{' and may be padded after the object with spaces (0x20) only; no duplicate keys; objects nested at most a
 * few levels; every dtype known; byte size = product(shape) x dtype size; and a data section that is entirely
 * indexed: the tensors, in offset order, tile [0, fileLength - 8 - N) exactly, with no hole before, between or after
 * them and no overlap (an empty tensor occupies no bytes but must still sit where the previous tensor ends, as in
 * the reference reader). Every error is a SafetensorsFormatException naming the file, and for a hole its offsets and
 * size. The order of the entries in the JSON is free: the reference reader sorts them by offset too.
 */
public final class SafetensorsHeader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The reference implementation's limit (MAX_HEADER_SIZE); a larger length is a corrupt or hostile file. */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

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
        if (headerJson[0] != '{') {
            throw new SafetensorsFormatException(file, "header is not a JSON object: the format requires it to begin "
                    + "with '{' (0x7B), found byte " + hex(headerJson[0]));
        }
        JsonNode root = BoundedJson.readObject(file, "header", headerJson);
        checkPadding(file, headerJson);

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
        checkEntirelyIndexed(file, tensors, headerLength, dataLength);

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

    /**
     * The padding after the JSON object may only be spaces: the JSON parsed with no trailing tokens, so what follows
     * the closing '}' is JSON whitespace, and only 0x20 of it is allowed.
     */
    private static void checkPadding(String file, byte[] json) throws SafetensorsFormatException {
        int close = json.length - 1;
        while (json[close] != '}') close--;  // whitespace holds no '}', so the last one closes the object
        for (int i = close + 1; i < json.length; i++) {
            if (json[i] != ' ') {
                throw new SafetensorsFormatException(file, "header padding after the JSON object holds byte "
                        + hex(json[i]) + " at header offset " + i + "; the format allows only spaces (0x20) there");
            }
        }
    }

    /**
     * tensors sorted by (begin, end): each must begin exactly where the previous one ended, the first at 0 and the
     * last must end at the data section's end. The reference reader's rule, so polyglot files (other content hidden
     * in unindexed bytes) are refused.
     */
    private static void checkEntirelyIndexed(String file, List<TensorInfo> sorted, long headerLength, long dataLength)
            throws SafetensorsFormatException {
        long dataStart = 8 + headerLength;
        TensorInfo previous = null;
        long at = 0;
        for (TensorInfo t : sorted) {
            if (t.begin() < at) {
                throw new SafetensorsFormatException(file, "tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + t.name() + "' [" + t.begin() + ", " + t.end() + ") overlap");
            }
            if (t.begin() > at) {
                throw new SafetensorsFormatException(file, "data section has a hole: bytes " + range(at, t.begin(), dataStart)
                        + " " + (previous == null ? "before the first tensor '" + t.name() + "'"
                        : "between tensor '" + previous.name() + "' and tensor '" + t.name() + "'")
                        + " belong to no tensor; the format requires every byte to be indexed");
            }
            at = t.end();
            previous = t;
        }
        if (at < dataLength) {
            throw new SafetensorsFormatException(file, "trailing bytes: " + range(at, dataLength, dataStart) + " "
                    + (previous == null ? "follow a header that names no tensor" : "after the last tensor '" + previous.name() + "'")
                    + " belong to no tensor; the format requires every byte to be indexed");
        }
    }

    /** [from, to) of the data section, its file offsets and its size. */
    private static String range(long from, long to, long dataStart) {
        return "[" + from + ", " + to + ") of the data section (file offsets [" + (dataStart + from) + ", "
                + (dataStart + to) + "), " + (to - from) + " bytes)";
    }

    private static String hex(byte b) {
        return String.format("0x%02X", b & 0xff);
    }

    private static boolean isLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    private static boolean hasZero(long[] shape) {
        for (long d : shape) if (d == 0) return true;
        return false;
    }
}
