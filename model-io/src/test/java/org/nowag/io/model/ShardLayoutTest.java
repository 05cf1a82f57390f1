package org.nowag.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nowag.io.safetensors.DType;
import org.nowag.io.safetensors.TensorSpec;

class ShardLayoutTest {
    static TensorSpec bytes(String name, long n) {
        return new TensorSpec(name, DType.U8, new long[] {n});
    }

    static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).collect(Collectors.toList());
    }

    @Test
    void newShardStartsWhenTheNextTensorWouldPassTheLimit() {
        ShardLayout l = ShardLayout.plan(List.of(bytes("a", 40), bytes("b", 60), bytes("c", 1), bytes("d", 99), bytes("e", 100)), 100);
        assertEquals(3, l.shardCount());
        assertEquals(List.of("a", "b"), names(l.shardTensors(0)), "exactly at the limit stays");
        assertEquals(List.of("c", "d"), names(l.shardTensors(1)));
        assertEquals(List.of("e"), names(l.shardTensors(2)));
        assertEquals("model-00001-of-00003.safetensors", l.shardName(0));
        assertEquals("model-00003-of-00003.safetensors", l.shardName(2));
    }

    @Test
    void tensorLargerThanTheLimitGetsAShardOfItsOwn() {
        ShardLayout l = ShardLayout.plan(List.of(bytes("a", 10), bytes("huge", 500), bytes("b", 10)), 100);
        assertEquals(3, l.shardCount());
        assertEquals(List.of("huge"), names(l.shardTensors(1)));
    }

    @Test
    void oneShardIsNamedModelSafetensorsAndStillHasAnIndex() throws IOException {
        ShardLayout l = ShardLayout.plan(List.of(bytes("a", 10), new TensorSpec("w", DType.F32, new long[] {3, 4})), 1L << 30);
        assertEquals(1, l.shardCount());
        assertEquals("model.safetensors", l.shardName(0));
        JsonNode index = new ObjectMapper().readTree(l.indexJson());
        assertEquals(58, index.get("metadata").get("total_size").asLong());
        assertEquals("model.safetensors", index.get("weight_map").get("w").asText());
    }

    @Test
    void indexTotalSizeIsTheSumOfTensorBytesAndMapsEveryTensorToItsShard() throws IOException {
        ShardLayout l = ShardLayout.plan(List.of(bytes("a", 40), bytes("b", 70), bytes("c", 5)), 100);
        JsonNode index = new ObjectMapper().readTree(l.indexJson());
        assertEquals(115, index.get("metadata").get("total_size").asLong());
        JsonNode map = index.get("weight_map");
        assertEquals(3, map.size());
        assertEquals("model-00001-of-00002.safetensors", map.get("a").asText());
        assertEquals("model-00002-of-00002.safetensors", map.get("b").asText());
        assertEquals("model-00002-of-00002.safetensors", map.get("c").asText());
    }

    @Test
    void layoutSurvivesJavaSerialization() throws Exception {
        ShardLayout l = ShardLayout.plan(List.of(bytes("a", 40), bytes("b", 70)), 100);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buf)) { out.writeObject(l); }
        ShardLayout back = (ShardLayout) new ObjectInputStream(new ByteArrayInputStream(buf.toByteArray())).readObject();
        assertEquals(l.indexJson(), back.indexJson());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ShardLayout.plan(List.of(bytes("a", 1)), 0));
        assertThrows(IllegalArgumentException.class, () -> ShardLayout.plan(List.of(bytes("a", 1), bytes("a", 2)), 10));
        assertThrows(IndexOutOfBoundsException.class, () -> ShardLayout.plan(List.of(bytes("a", 1)), 10).shardName(1));
    }

    @Test
    void explicitGroupsBecomeTheShardsInOrderWithHuggingFaceNamesAndAnIndex() throws IOException {
        ShardLayout l = ShardLayout.ofGroups(List.of(List.of(bytes("a", 4), bytes("b", 5)), List.of(bytes("c", 7))));
        assertEquals(2, l.shardCount());
        assertEquals("model-00001-of-00002.safetensors", l.shardName(0));
        assertEquals(List.of("a", "b"), names(l.shardTensors(0)));
        assertEquals(List.of("c"), names(l.shardTensors(1)));
        JsonNode index = new ObjectMapper().readTree(l.indexJson());
        assertEquals(16, index.path("metadata").path("total_size").asLong());
        assertEquals("model-00002-of-00002.safetensors", index.path("weight_map").path("c").asText());
        assertEquals(ShardLayout.SINGLE_FILE, ShardLayout.ofGroups(List.of(List.of(bytes("a", 1)))).shardName(0));
        assertThrows(IllegalArgumentException.class,
                () -> ShardLayout.ofGroups(List.of(List.of(bytes("a", 1)), List.of(bytes("a", 2)))), "duplicate names");
        assertThrows(IllegalArgumentException.class,
                () -> ShardLayout.ofGroups(List.of(List.of(bytes("a", 1)), List.of())), "an empty shard among several");
    }
}
