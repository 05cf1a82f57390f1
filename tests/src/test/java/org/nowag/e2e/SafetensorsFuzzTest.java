package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.SafetensorsFile;
import org.nowag.io.safetensors.SafetensorsWriter;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.io.safetensors.TensorSpec;

/**
 * Random mutations of a real model (MiniLM's first attention block, its real header and weights, and its real
 * config.json) through `nowag compress --method copy`, in-process as the other CLI tests run it (stderr carries the
 * log lines too, and UserVisibleErrorsTest shows it matches a child JVM). A fixed seed and a fixed number of cases
 * (-Dnowag.fuzz.cases, -Dnowag.fuzz.seed), each under a time limit. For every case: the exit code is 0, 1 or 2; no
 * stack trace; a refusal prints nothing on stdout, names the model, writes nothing, and happens exactly when the
 * reference reader ({@link ReferenceSafetensors}, written from the format's README) or a strict JSON reader of
 * config.json finds the input invalid; an accepted input comes back bit for bit (copy runs no kernel).
 */
class SafetensorsFuzzTest {
    static final int CASES = Integer.getInteger("nowag.fuzz.cases", 40);
    static final long SEED = Long.getLong("nowag.fuzz.seed", 20_20L);
    static final Duration PER_CASE = Duration.ofSeconds(Long.getLong("nowag.fuzz.caseSeconds", 180));

    static byte[] model;
    static byte[] config;

    @TempDir Path tmp;

    @BeforeAll
    static void realModel() throws IOException {
        Path miniLm = Fixtures.miniLm();
        Fixtures.spark();
        ModelDirectory m = ModelDirectory.open(miniLm.toUri().toString(), new Configuration());
        List<TensorSpec> specs = new ArrayList<>();
        for (TensorInfo t : m.tensors()) {
            if (t.name().startsWith("encoder.layer.0.attention.")) specs.add(new TensorSpec(t.name(), t.dtype(), t.shape()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SafetensorsFile in = SafetensorsFile.open(m.fileSystem(), m.shardOf(specs.get(0).name()))) {
            SafetensorsWriter.write(bytes, specs, in.header().metadata(), (s, o) -> in.copyBytes(s.name(), 0, s.byteSize(), o));
        }
        model = bytes.toByteArray();
        config = Files.readAllBytes(miniLm.resolve("config.json"));
    }

    enum Mutation {
        FLIP_HEADER_BIT, SET_HEADER_BYTE, LENGTH_PREFIX, TRUNCATE, APPEND, INSERT_INTO_DATA, REMOVE_FROM_DATA,
        SET_DATA_BYTE, EDIT_JSON, WHITESPACE, CONFIG_BYTE
    }

    /** One mutated model: the two files and a description for failure messages. */
    static final class Case {
        byte[] model = SafetensorsFuzzTest.model.clone();
        byte[] config = SafetensorsFuzzTest.config.clone();
        String what;
    }

    static int headerLength(byte[] file) {
        return (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static byte[] withLength(byte[] file, long length) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
        return out;
    }

    static byte[] splice(byte[] a, int at, byte[] insert, int remove) {
        byte[] out = new byte[a.length + insert.length - remove];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A new file whose header is this JSON (padded with spaces to 8 bytes, as writers do) over the same data. */
    static byte[] withHeader(byte[] file, String json) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        int padded = (j.length + 7) & ~7;
        byte[] h = Arrays.copyOf(j, padded);
        Arrays.fill(h, j.length, padded, (byte) ' ');
        int n = headerLength(file);
        byte[] out = new byte[8 + padded + file.length - 8 - n];
        System.arraycopy(h, 0, out, 8, padded);
        System.arraycopy(file, 8 + n, out, 8 + padded, file.length - 8 - n);
        return withLength(out, padded);
    }

    static Case mutate(Random r) throws IOException {
        Case c = new Case();
        Mutation m = Mutation.values()[r.nextInt(Mutation.values().length)];
        int n = headerLength(c.model);
        int dataStart = 8 + n;
        int dataLength = c.model.length - dataStart;
        switch (m) {
            case FLIP_HEADER_BIT: {
                int at = 8 + r.nextInt(n);
                int bit = r.nextInt(8);
                c.model[at] ^= (byte) (1 << bit);
                c.what = m + " at " + at + " bit " + bit;
                break;
            }
            case SET_HEADER_BYTE: {
                int at = 8 + r.nextInt(n);
                int v = r.nextInt(256);
                c.model[at] = (byte) v;
                c.what = m + " at " + at + " to " + v;
                break;
            }
            case LENGTH_PREFIX: {
                long[] choices = {n + 1 + r.nextInt(16), n - 1 - r.nextInt(16), 0, 1, r.nextLong(), Long.MAX_VALUE,
                        c.model.length - 8, c.model.length, 100_000_001L};
                long v = choices[r.nextInt(choices.length)];
                c.model = withLength(c.model, v);
                c.what = m + " " + Long.toUnsignedString(v);
                break;
            }
            case TRUNCATE: {
                int at = r.nextInt(c.model.length);
                c.model = Arrays.copyOf(c.model, at);
                c.what = m + " at " + at;
                break;
            }
            case APPEND: {
                int k = 1 + r.nextInt(64);
                c.model = splice(c.model, c.model.length, random(r, k), 0);
                c.what = m + " " + k + " bytes";
                break;
            }
            case INSERT_INTO_DATA: {
                int at = dataStart + r.nextInt(dataLength);
                int k = 1 + r.nextInt(64);
                c.model = splice(c.model, at, random(r, k), 0);
                c.what = m + " " + k + " bytes at " + at;
                break;
            }
            case REMOVE_FROM_DATA: {
                int at = dataStart + r.nextInt(dataLength - 64);
                int k = 1 + r.nextInt(64);
                c.model = splice(c.model, at, new byte[0], k);
                c.what = m + " " + k + " bytes at " + at;
                break;
            }
            case SET_DATA_BYTE: {
                int at = dataStart + r.nextInt(dataLength);
                c.model[at] = (byte) r.nextInt(256);
                c.what = m + " at " + at;
                break;
            }
            case EDIT_JSON: {
                ObjectNode h = (ObjectNode) new ObjectMapper().readTree(new String(c.model, 8, n, StandardCharsets.UTF_8).trim());
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!name.equals("__metadata__")) names.add(name);
                }
                String name = names.get(r.nextInt(names.size()));
                ObjectNode t = (ObjectNode) h.get(name);
                String text;
                switch (r.nextInt(8)) {
                    case 0:
                        t.withArray("data_offsets").set(r.nextInt(2), t.get("data_offsets").get(0).asLong() + r.nextInt(9) - 4);
                        c.what = m + ": an offset of " + name;
                        break;
                    case 1: {
                        JsonNode shape = t.get("shape");
                        long[] s = new long[shape.size()];
                        for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asLong();
                        if (s.length == 2 && r.nextBoolean()) {  // same element count, other shape: still valid
                            t.putArray("shape").add(s[1]).add(s[0]);
                        } else {
                            t.withArray("shape").set(0, s[0] + 1);
                        }
                        c.what = m + ": the shape of " + name;
                        break;
                    }
                    case 2: {
                        String[] dtypes = {"F16", "BF16", "I32", "U32", "f32", "Q4_0", ""};
                        t.put("dtype", dtypes[r.nextInt(dtypes.length)]);
                        c.what = m + ": the dtype of " + name + " to " + t.get("dtype");
                        break;
                    }
                    case 3: {
                        String[] fields = {"dtype", "shape", "data_offsets"};
                        String f = fields[r.nextInt(3)];
                        t.remove(f);
                        c.what = m + ": removed " + f + " of " + name;
                        break;
                    }
                    case 4: {
                        String other = names.get(r.nextInt(names.size()));
                        JsonNode a = t.get("data_offsets");
                        ((ObjectNode) h.get(name)).set("data_offsets", h.get(other).get("data_offsets"));
                        ((ObjectNode) h.get(other)).set("data_offsets", a);
                        c.what = m + ": swapped the offsets of " + name + " and " + other;
                        break;
                    }
                    case 5:
                        ((ObjectNode) h.get("__metadata__")).put("format", r.nextInt(10));
                        c.what = m + ": a number in __metadata__";
                        break;
                    case 6: {
                        // A repeated key: the second entry for the same name (only text can say this).
                        text = h.toString();
                        int at = text.lastIndexOf('}');
                        c.model = withHeader(c.model, text.substring(0, at) + ",\"" + name + "\":" + t + "}");
                        c.what = m + ": " + name + " twice";
                        return c;
                    }
                    default: {
                        // Entries in another order: the format does not care, so this must still be accepted.
                        ObjectNode shuffled = new ObjectMapper().createObjectNode();
                        List<String> keys = new ArrayList<>();
                        h.fieldNames().forEachRemaining(keys::add);
                        java.util.Collections.shuffle(keys, r);
                        for (String k : keys) shuffled.set(k, h.get(k));
                        h = shuffled;
                        c.what = m + ": entries shuffled";
                    }
                }
                c.model = withHeader(c.model, h.toString());
                break;
            }
            case WHITESPACE: {
                String json = new String(c.model, 8, n, StandardCharsets.UTF_8).stripTrailing();
                String[] ws = {" ", "\n", "\t", "\r\n"};
                String w = ws[r.nextInt(ws.length)];
                int where = r.nextInt(3);
                json = where == 0 ? w + json : where == 1 ? json + w : json.replaceFirst(",", "," + w);
                c.model = withHeader(c.model, json);
                c.what = m + " " + (where == 0 ? "before" : where == 1 ? "after" : "inside") + " the JSON: " + w.replace("\n", "\\n")
                        .replace("\t", "\\t").replace("\r", "\\r");
                break;
            }
            default: {
                if (r.nextBoolean()) {
                    int at = r.nextInt(c.config.length);
                    c.config[at] = (byte) r.nextInt(256);
                    c.what = m + " at " + at;
                } else {
                    int at = r.nextInt(c.config.length);
                    c.config = Arrays.copyOf(c.config, at);
                    c.what = m + " truncated at " + at;
                }
            }
        }
        return c;
    }

    /** config.json as the format of HF configs allows it: strict UTF-8, one object, no repeated key. */
    static boolean configValid(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            JsonNode n = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            return n != null && n.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void theReferenceReaderAcceptsTheBaseModelAndRefusesWhatTheFormatForbids() throws Exception {
        assertEquals(10, ReferenceSafetensors.read(model).size(), "query, key, value, output dense and LayerNorm, each weight and bias");
        int n = headerLength(model);
        String json = new String(model, 8, n, StandardCharsets.UTF_8).stripTrailing();
        assertThrows(ReferenceSafetensors.Invalid.class, () -> ReferenceSafetensors.read(withHeader(model, json + "\n")));
        assertThrows(ReferenceSafetensors.Invalid.class, () -> ReferenceSafetensors.read(withHeader(model, " " + json)));
        assertThrows(ReferenceSafetensors.Invalid.class, () -> ReferenceSafetensors.read(splice(model, model.length, new byte[1], 0)));
        assertEquals(10, ReferenceSafetensors.read(withHeader(model, json.replaceFirst(",", ",\n"))).size());
    }

    @Test
    void randomMutationsOfARealModelAreRefusedCleanlyOrReadBackBitExact() throws Exception {
        Random r = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            Case c = mutate(r);
            String label = "case " + i + " (seed " + SEED + "): " + c.what;
            Path dir = Files.createDirectories(tmp.resolve("case-" + i));
            Files.write(dir.resolve("model.safetensors"), c.model);
            Files.write(dir.resolve("config.json"), c.config);
            Path out = tmp.resolve("out-" + i);

            Map<String, ReferenceSafetensors.Stored> expected = null;
            String invalid = null;
            try {
                expected = ReferenceSafetensors.read(c.model);
            } catch (ReferenceSafetensors.Invalid e) {
                invalid = e.getMessage();
            }
            if (invalid == null && !configValid(c.config)) invalid = "config.json";

            CliAndCalibrationTest.Run run = assertTimeoutPreemptively(PER_CASE, () -> CliAndCalibrationTest.cli(
                    "compress", "--model", dir.toString(), "--out", out.toString(), "--method", "copy"), label + ": hangs");
            String seen = label + "\nexit " + run.code + "\nstdout: " + run.out + "\nstderr: " + run.err;
            assertTrue(run.code >= 0 && run.code <= 2, seen);
            assertFalse(Refusals.hasStackTrace(run.err) || Refusals.hasStackTrace(run.out), "no stack trace: " + seen);
            if (run.code == 0) {
                accepted++;
                assertEquals(null, invalid, "accepted what the format forbids: " + seen);
                Map<String, ReferenceSafetensors.Stored> got = ReferenceSafetensors.read(Files.readAllBytes(out.resolve("model.safetensors")));
                assertEquals(expected, got, "read back bit-exact: " + seen);
                ObjectNode published = (ObjectNode) new ObjectMapper().readTree(Files.readString(out.resolve("config.json")));
                published.remove("sparsity_config");
                assertEquals(new ObjectMapper().readTree(c.config), published, "config.json carried over: " + seen);
            } else {
                refused++;
                assertEquals(1, run.code, "bad input, not bad usage: " + seen);
                assertTrue(invalid != null, "refused a valid input: " + seen);
                assertEquals("", run.out, "nothing on stdout on a refusal: " + seen);
                assertTrue(run.err.contains("nowag: error: ") && run.err.contains(dir.getFileName().toString()),
                        "the error names the model's file: " + seen);
                assertFalse(Files.exists(out), "nothing written on a refusal: " + seen);
            }
        }
        System.out.println("fuzz: " + CASES + " cases (seed " + SEED + "): " + accepted + " accepted and read back bit-exact, "
                + refused + " refused cleanly");
        assertTrue(accepted > 0 && refused > 0, "both outcomes were exercised: " + accepted + " accepted, " + refused + " refused");
    }
}
