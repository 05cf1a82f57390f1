package org.nowag.job.cli;

import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.Preflight;
import org.nowag.job.plan.TargetTensor;
import org.nowag.job.run.CompressionRun;
import org.nowag.job.spark.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List a model's tensors and the plan compress would make (headers only; no Spark, no weights read).",
        footer = {"", "Examples:", "  nowag inspect --model ./all-MiniLM-L6-v2",
                "  nowag inspect --model hdfs:///models/llama --method wanda --pattern 2:4 --block-mb 64"})
final class InspectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory (file:, hdfs://, s3a://).")
    String model;

    @Option(names = "--method", defaultValue = "nowag-p", description = "Method to plan for. Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--sparsity", description = "Unstructured sparsity to plan for.")
    Double sparsity;

    @Option(names = "--pattern", description = "N:M pattern to plan for, e.g. 2:4.")
    String pattern;

    @Option(names = "--group", description = "row | matrix.")
    String group;

    @Option(names = "--calibration", description = "Statistics file (sparsegpt plans need it and the full X^T X beside it).")
    String calibration;

    @Option(names = "--block-mb", defaultValue = "256", description = "Row block size in MiB of float32. Default: ${DEFAULT-VALUE}.")
    double blockMb;

    @Option(names = "--armor-block", defaultValue = "32", description = "armor: block size b to plan for. Default: ${DEFAULT-VALUE}.")
    int armorBlock;

    @Option(names = "--no-config", description = "Plan for a model without config.json, as compress --no-config would.")
    boolean noConfig;

    @Override
    public Integer call() throws Exception {
        CompressionMethod m = CompressionMethod.parse(method);
        OptionValues.positive("--block-mb", blockMb, "MiB of float32 per row block");
        CompressOptions opts = new CompressOptions().model(model).out("unused").method(m).calibration(calibration)
                .blockBytes((long) (blockMb * 1048576)).noConfig(noConfig);
        opts.pattern(PatternOptions.pattern(m, sparsity, pattern, group));
        opts.armor(org.nowag.kernels.armor.ArmorConfig.of(armorBlock, org.nowag.kernels.armor.ArmorConfig.DEFAULT_ITERATIONS, true));
        Configuration conf = SparkContexts.hadoopConfiguration();
        CompressionRun.Planned run = Compressor.plan(opts, conf);
        Preflight.model(run.model, noConfig ? null : "inspect");
        long total = 0;
        System.out.printf("%-60s %-5s %-16s %12s  %s%n", "tensor", "dtype", "shape", "bytes", "compress");
        for (TensorInfo t : run.model.tensors()) {
            total += t.byteSize();
            TargetTensor target = run.plan.target(t.name());
            System.out.printf("%-60s %-5s %-16s %12d  %s%n", t.name(), t.dtype(), java.util.Arrays.toString(t.shape()),
                    t.byteSize(), target == null ? "-" : target.blocks.size() + " block(s)");
        }
        long maxTask = 0;
        long maxOffHeap = 0;
        for (TargetTensor t : run.plan.targets) {
            maxTask = Math.max(maxTask, t.method.taskBytes(t));
            maxOffHeap = Math.max(maxOffHeap, t.method.taskOffHeapBytes(t));
        }
        System.out.printf("%d tensors, %.3f GB; %d to compress with %s %s in %d tasks; %d output shard(s)%n",
                run.model.tensors().size(), total / 1e9, run.plan.targets.size(), m, opts.pattern(),
                run.plan.blockCount(), run.plan.outputLayout.shardCount());
        System.out.printf("largest task: %.1f MiB of executor heap (%s; docs/memory.md)%n",
                maxTask / 1048576.0, m.plugin().taskBytesCounts());
        if (maxOffHeap > 0) {
            System.out.printf("plus up to %.1f MiB off the heap (ND4J's chunked GEMMs)%n", maxOffHeap / 1048576.0);
        }
        return 0;
    }
}
