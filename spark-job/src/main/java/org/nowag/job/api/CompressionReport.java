package org.nowag.job.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** report.json: how the output was made (provenance) and what each tensor became. */
public final class CompressionReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String tool = "nowag-spark " + Version.VERSION;
    public String model;
    public String output;
    public String method;
    public String pattern;
    /** "none (data-free)" or the statistics file. */
    public String calibration;
    public boolean dataFree;
    public String fingerprint;
    public String sparkMaster;
    /**
     * The recipe the run followed, normalised: its rules in order (match, method, settings as given, tensors decided)
     * and its budget; the command line's is one rule. The file itself is copied to the output as recipe.yaml.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode recipe;
    /**
     * A budget's allocation (null without one): the budget, the rule, lambda and the search's trace, the total kept
     * against the target, the predicted loss against uniform's, and per matrix its choice and a summary of its curve.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode budget;
    public int tensorsCompressed;
    public int tensorsCopied;
    /** Row blocks (or whole matrices) this run computed. */
    public int kernelTasksRun;
    /** Row blocks (or whole matrices) found committed by an earlier, interrupted run with the same arguments. */
    public int partsReused;
    /** Output shards this run wrote (each by one task), and shards an earlier run had committed. */
    public int shardsWritten;
    public int shardsReused;
    /** Arrow IPC files of compressed parts written by this run (VQ and ARMOR outputs; see ArrowParts). */
    public int arrowPartFilesWritten;
    public double wallSeconds;
    /** Kept / total over all compressed tensors. */
    public double overallSparsity;
    public double totalProxyLoss;
    public double totalProxyEnergy;
    /** NoWag-VQ only: stored bits (codes + codebooks + norms) / weights over all compressed tensors. */
    public Double bitsPerWeight;
    /** Set when this run found the output already complete and did nothing. */
    public boolean alreadyComplete;
    /** Tensors copied unchanged because they hold NaN or infinite weights (--skip-nonfinite). */
    public List<String> skippedNonFinite = new ArrayList<>();
    /** The command line, secrets redacted (RedactedCommandLine); null when run through the API. */
    public List<String> commandLine;
    /** The --include regular expression: the tensors the method was offered. */
    public String include;
    /** ISO-8601 UTC start and end of the run, and of each of its phases in order. */
    public String started;
    public String finished;
    public List<Phase> phases = new ArrayList<>();
    /** SHA-256s telling inputs and outputs apart (ModelFingerprint says over what). */
    public String inputFingerprint;
    public String outputFingerprint;
    /** Entries of the input folder not carried into the output, each "NAME: reason" (OutputFiles). */
    public List<String> leftOut = new ArrayList<>();
    /** Things the user should know about this output. */
    public List<String> warnings = new ArrayList<>();
    public List<TensorReport> tensors = new ArrayList<>();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CompressionReport fromJson(String json) throws IOException {
        return JSON.readValue(json, CompressionReport.class);
    }

    public TensorReport tensor(String name) {
        return tensors.stream().filter(t -> t.name.equals(name)).findFirst().orElse(null);
    }

    /** One phase of a run (plan, compute, write, publish, ...): when it started and ended. */
    public static final class Phase {
        public String name;
        public String started;
        public String finished;
        public double seconds;
    }
}
