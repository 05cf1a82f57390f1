package org.nowag.job.commit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.nowag.io.fs.FileDigest;
import org.nowag.job.api.TensorReport;

/**
 * What one shard task committed, written by the task itself after its shard (and Arrow file) are in place:
 * OUT/_staging/shards/NAME.json. A shard counts as committed when its record and its file exist, so a re-run
 * redoes exactly the shards without one, and the manifest and report are built from records: nothing is read back.
 * Also what the task returns to the driver (a plain class: it travels through Kryo and Jackson).
 */
public final class ShardRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shard's file name, and its size and SHA-256 (hashed while it was written). */
    public String shard;
    public FileDigest shardDigest;
    /** The Arrow file of the shard's part tensors, or null when the shard holds none. */
    public String arrow;
    public FileDigest arrowDigest;
    /** The report entry of every compressed tensor of the shard, in order. */
    public ArrayList<TensorReport> tensors = new ArrayList<>();
    /** Tensors written unchanged because they hold NaN or infinite weights (--skip-nonfinite): name -> why. */
    public LinkedHashMap<String, String> skippedNonFinite = new LinkedHashMap<>();
    /** Row blocks (or whole matrices) the task computed. */
    public int blocksComputed;
    /**
     * Set when a tensor of the shard turned out to hold NaN or infinite weights: then nothing was committed, and the
     * driver refuses the run or writes the shard again with that tensor unchanged.
     */
    public String nonFiniteTensor;
    public String nonFiniteWhy;

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ShardRecord fromJson(String json) throws IOException {
        return JSON.readValue(json, ShardRecord.class);
    }
}
