// nowag-spark notebook for jshell: import the real all-MiniLM-L6-v2, prune it with NoWag-P at 50% on an embedded
// Spark local[*], and print the proxy loss per transformer layer from the run's report.
// Run (after mvn -B -q -Pdist package -DskipTests):  notebooks/run-jshell.sh notebooks/minilm.jsh
// Output folder: -R-Dnowag.notebook.dir=DIR (default: $TMPDIR/nowag-notebook).

import java.util.*;
import org.nowag.job.api.*;

String dir = System.getProperty("nowag.notebook.dir", System.getProperty("java.io.tmpdir") + "/nowag-notebook");
String model = Nowag.importMiniLm(dir + "/all-MiniLM-L6-v2");
String out = dir + "/all-MiniLM-L6-v2-nowag-p50";
CompressionReport report = Nowag.compress(Nowag.unstructured(model, out, "nowag-p", 0.5));

// The report as a later session would see it: report.json of the finished run.
CompressionReport saved = Nowag.readReport(out);

// Per layer: the sums over its linear weights, and the loss relative to pruning everything (the proxy energy).
record Layer(int index, double loss, double energy, long kept, long numel) {}
SortedMap<Integer, Layer> layers = new TreeMap<>();
for (TensorReport t : saved.tensors) {
    var m = java.util.regex.Pattern.compile("\\.layers?\\.(\\d+)\\.").matcher(t.name);
    if (!m.find()) continue;
    int i = Integer.parseInt(m.group(1));
    Layer l = layers.getOrDefault(i, new Layer(i, 0, 0, 0, 0));
    layers.put(i, new Layer(i, l.loss() + t.proxyLoss, l.energy() + t.proxyEnergy, l.kept() + t.kept, l.numel() + t.numel));
}

System.out.println("method " + saved.method + ", pattern " + saved.pattern + ", data-free " + saved.dataFree);
System.out.println(String.format("%-6s %14s %10s %9s", "layer", "proxy loss", "relative", "sparsity"));
for (Layer l : layers.values()) {
    System.out.println(String.format(Locale.ROOT, "layer %-2d %12.4f %10.4f %9.4f", l.index(), l.loss(),
            l.loss() / l.energy(), 1 - (double) l.kept() / l.numel()));
}
System.out.println("output " + out + (new java.io.File(out, "_SUCCESS").isFile() ? " (_SUCCESS)" : " (incomplete)"));
/exit
