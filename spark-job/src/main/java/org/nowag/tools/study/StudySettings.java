package org.nowag.tools.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one study run measures (the options of {@code nowag study}); plain fields, driver only. */
public final class StudySettings {
    public String model;
    public String out;
    /** Calibration text (file URIs): the model's training text, never the held-out sets. */
    public List<String> trainText = new ArrayList<>();
    /** Held-out sets in table order: name -> file URIs, each set scored separately. */
    public Map<String, List<String>> heldout = new LinkedHashMap<>();
    public int samples = 128;
    /** Calibration window; 0: the model's max_position_embeddings. */
    public int seqLen;
    public long seed;
    public int context;
    public int stride;
    public int maxEvalTokens = 8192;
    public double sparsity = 0.5;
    public int armorBlock = org.nowag.kernels.armor.ArmorConfig.DEFAULT_BLOCK_SIZE;
    public int armorIters = org.nowag.kernels.armor.ArmorConfig.DEFAULT_ITERATIONS;
    public int[] vqBits = {2, 3};
    public int vqMaxDim = org.nowag.kernels.vq.VqConfig.DEFAULT_DIM;
    public int vqIters = org.nowag.kernels.vq.VqConfig.DEFAULT_ITERATIONS;
    public int[] rtnBits = {2, 3, 4};
    /** Row ids to run (dense is always measured); empty: every row. */
    public List<String> rows = new ArrayList<>();
    public int partitions;
    /** The command line as given, for the record in study.json and study.md. */
    public String commandLine = "";
}
