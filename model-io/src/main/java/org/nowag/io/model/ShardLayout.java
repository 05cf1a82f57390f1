package org.nowag.io.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nowag.io.safetensors.TensorSpec;

/**
 * HF sharded layout: tensors in order, a new shard when the next tensor would pass maxShardBytes (a tensor larger
 * than the limit gets a shard of its own). One shard is named model.safetensors, n shards model-0000k-of-0000n.safetensors.
 * Shard indices in this API are 0-based; file names count from 1 as Hugging Face does.
 */
public final class ShardLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The single-file name, and the index name used when there are several shards. */
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final ArrayList<ArrayList<TensorSpec>> shards;

    private ShardLayout(ArrayList<ArrayList<TensorSpec>> shards) {
        this.shards = shards;
    }

    public static ShardLayout plan(List<TensorSpec> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        }
        Set<String> names = new HashSet<>();
        ArrayList<ArrayList<TensorSpec>> shards = new ArrayList<>();
        ArrayList<TensorSpec> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorSpec t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
            long size = t.byteSize();
            // Counting tensor bytes only (not the header) matches Hugging Face's max_shard_size.
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += size;
        }
        // No tensors still gives one (empty) model.safetensors, so every layout names at least one file.
        shards.add(current);
        return new ShardLayout(shards);
    }

    /**
     * A layout whose shards are the given groups, in order (a compress run cuts its output into shards by the
     * tasks that write them). Every group must hold at least one tensor, unless it is the only one.
     */
    public static ShardLayout ofGroups(List<? extends List<TensorSpec>> groups) {
        Set<String> names = new HashSet<>();
        ArrayList<ArrayList<TensorSpec>> shards = new ArrayList<>();
        for (List<TensorSpec> g : groups) {
            if (g.isEmpty() && groups.size() > 1) throw new IllegalArgumentException("an empty shard among " + groups.size());
            for (TensorSpec t : g) {
                if (!names.add(t.name())) throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
            shards.add(new ArrayList<>(g));
        }
        if (shards.isEmpty()) shards.add(new ArrayList<>());
        return new ShardLayout(shards);
    }

    public int shardCount() { return shards.size(); }

    public String shardName(int shard) {
        checkShard(shard);
        int n = shards.size();
        return n == 1 ? SINGLE_FILE : String.format("model-%05d-of-%05d.safetensors", shard + 1, n);
    }

    public List<TensorSpec> shardTensors(int shard) {
        checkShard(shard);
        return Collections.unmodifiableList(shards.get(shard));
    }

    /** Sum of every tensor's bytes: the index's metadata.total_size. */
    public long totalSize() {
        long total = 0;
        for (List<TensorSpec> shard : shards) {
            for (TensorSpec t : shard) total += t.byteSize();
        }
        return total;
    }

    /** model.safetensors.index.json content: {"metadata":{"total_size":...},"weight_map":{name: shard file}}. */
    public String indexJson() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            g.writeNumberField("total_size", totalSize());
            g.writeEndObject();
            g.writeObjectFieldStart("weight_map");
            for (int s = 0; s < shards.size(); s++) {
                String file = shardName(s);
                for (TensorSpec t : shards.get(s)) g.writeStringField(t.name(), file);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing JSON to memory", e);
        }
        return text.toString() + "\n";
    }

    private void checkShard(int shard) {
        if (shard < 0 || shard >= shards.size()) {
            throw new IndexOutOfBoundsException("shard " + shard + " of " + shards.size());
        }
    }
}
