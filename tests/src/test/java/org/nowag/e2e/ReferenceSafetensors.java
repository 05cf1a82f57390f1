package org.nowag.e2e;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, whole-file reader of the safetensors format written from its README, for tests only and sharing no code
 * with model-io: it says whether a file is valid and, if it is, what every tensor holds. The fuzz test compares the
 * CLI's verdict and output with it.
 */
final class ReferenceSafetensors {
    static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("F64", 8), Map.entry("F32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2),
            Map.entry("I8", 1), Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    /** A file the format forbids, and why. */
    static final class Invalid extends Exception {
        Invalid(String why) { super(why); }
    }

    /** One tensor: dtype, shape, bytes. */
    static final class Stored {
        final String dtype;
        final List<Long> shape;
        final byte[] bytes;

        Stored(String dtype, List<Long> shape, byte[] bytes) {
            this.dtype = dtype;
            this.shape = shape;
            this.bytes = bytes;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Stored && dtype.equals(((Stored) o).dtype) && shape.equals(((Stored) o).shape)
                    && Arrays.equals(bytes, ((Stored) o).bytes);
        }

        @Override public int hashCode() { return Arrays.hashCode(bytes); }

        @Override public String toString() { return dtype + shape + " (" + bytes.length + " bytes)"; }
    }

    private ReferenceSafetensors() {}

    static Map<String, Stored> read(byte[] file) throws Invalid {
        if (file.length < 8) throw new Invalid("shorter than the length prefix");
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > 100_000_000L || n > file.length - 8L) throw new Invalid("header length " + Long.toUnsignedString(n));
        byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) n);
        if (header.length == 0 || header[0] != '{') throw new Invalid("header does not begin with '{'");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid("not UTF-8");
        }
        JsonNode root;
        try (JsonParser p = new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).createParser(text)) {
            root = new ObjectMapper().readTree(p);
            int end = (int) p.currentLocation().getCharOffset();
            if (p.nextToken() != null) throw new Invalid("content after the object");
            for (int i = end; i < text.length(); i++) if (text.charAt(i) != ' ') throw new Invalid("padding is not spaces");
        } catch (IOException e) {
            throw new Invalid("JSON: " + e.getMessage());
        }
        long dataLength = file.length - 8 - n;
        List<Object[]> entries = new ArrayList<>();  // name, dtype, shape, begin, end
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (e.getKey().equals("__metadata__")) {
                if (!v.isObject()) throw new Invalid("__metadata__ not an object");
                for (Map.Entry<String, JsonNode> m : v.properties()) if (!m.getValue().isTextual()) throw new Invalid("metadata value");
                continue;
            }
            if (!v.isObject() || !v.path("dtype").isTextual() || !DTYPE_BYTES.containsKey(v.path("dtype").asText())
                    || !v.path("shape").isArray() || !v.path("data_offsets").isArray() || v.path("data_offsets").size() != 2) {
                throw new Invalid("entry " + e.getKey());
            }
            List<Long> shape = new ArrayList<>();
            java.math.BigInteger size = java.math.BigInteger.valueOf(DTYPE_BYTES.get(v.path("dtype").asText()));
            for (JsonNode d : v.path("shape")) {
                if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) throw new Invalid("dimension " + d);
                shape.add(d.asLong());
                size = size.multiply(java.math.BigInteger.valueOf(d.asLong()));
            }
            JsonNode b = v.path("data_offsets").get(0);
            JsonNode en = v.path("data_offsets").get(1);
            if (!b.isIntegralNumber() || !en.isIntegralNumber() || !b.canConvertToLong() || !en.canConvertToLong()
                    || b.asLong() < 0 || b.asLong() > en.asLong() || en.asLong() > dataLength
                    || !size.equals(java.math.BigInteger.valueOf(en.asLong() - b.asLong()))) {
                throw new Invalid("offsets of " + e.getKey());
            }
            entries.add(new Object[] {e.getKey(), v.path("dtype").asText(), shape, b.asLong(), en.asLong()});
        }
        entries.sort((x, y) -> x[3].equals(y[3]) ? Long.compare((long) x[4], (long) y[4]) : Long.compare((long) x[3], (long) y[3]));
        long at = 0;
        Map<String, Stored> out = new LinkedHashMap<>();
        for (Object[] t : entries) {
            if ((long) t[3] != at) throw new Invalid("not contiguous at " + at);
            at = (long) t[4];
            @SuppressWarnings("unchecked") List<Long> shape = (List<Long>) t[2];
            int from = (int) (8 + n + (long) t[3]);
            out.put((String) t[0], new Stored((String) t[1], shape, Arrays.copyOfRange(file, from, from + (int) ((long) t[4] - (long) t[3]))));
        }
        if (at != dataLength) throw new Invalid("trailing bytes");
        return out;
    }
}
