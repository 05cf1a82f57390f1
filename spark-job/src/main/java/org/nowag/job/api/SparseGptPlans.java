package org.nowag.job.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.calib.FullGramFile;
import org.nowag.job.plan.CompressionPlan;
import org.nowag.job.plan.TargetTensor;

/** What a sparsegpt plan adds: the full X^T X file checked against the targets, and its identity in the fingerprint. */
final class SparseGptPlans {
    private SparseGptPlans() {}

    static CompressionPlan withFullGram(CompressionPlan plan, String fullGram, Configuration conf) throws IOException {
        List<String> names = new ArrayList<>();
        List<Long> dIns = new ArrayList<>();
        for (TargetTensor t : plan.targets) {
            names.add(t.name());
            dIns.add(t.info.cols());
        }
        String id = FullGramFile.check(fullGram, names, dIns, conf);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((plan.fingerprint + "\nxtx=" + id).getBytes(StandardCharsets.UTF_8));
            return new CompressionPlan(plan.targets, plan.sourceShards, plan.outputLayout,
                    HexFormat.of().formatHex(md.digest()), plan.largestBlockBytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
