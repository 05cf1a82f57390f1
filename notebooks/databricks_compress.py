# Databricks notebook source
# MAGIC %md
# MAGIC # nowag-spark: compress a model and look at the per-layer proxy loss
# MAGIC
# MAGIC Needs a cluster on Databricks Runtime 17.3 LTS (Apache Spark 4.0.0, Scala 2.13, Java 17) with the library
# MAGIC `nowag-spark.jar` attached from a Unity Catalog volume (build it for Spark 4.0 with
# MAGIC `mvn -B -q -Pdist,spark-4.0 package -DskipTests`, upload `spark-job/target/nowag-spark.jar`, e.g. to
# MAGIC `/Volumes/main/nowag/artifacts/`), the JVM options of `deploy/spark-defaults.conf` in the cluster's Spark config,
# MAGIC and the dedicated (single user) access mode: standard (shared) access mode blocks `spark._jvm`.
# MAGIC
# MAGIC The notebook calls the Java API `org.nowag.job.api.Nowag` on the cluster's own SparkContext. Through py4j only
# MAGIC Java methods can be called (a Java field comes back as a `JavaMember`), so the cells read the report through
# MAGIC `toJson()`. A failed step raises, so a job running this notebook fails with it.

# COMMAND ----------

dbutils.widgets.text("model", "/Volumes/main/nowag/models/all-MiniLM-L6-v2", "Model (HF safetensors directory)")
dbutils.widgets.text("out", "/Volumes/main/nowag/outputs/all-MiniLM-L6-v2-nowag-p50", "Output directory")
dbutils.widgets.dropdown("method", "nowag-p", ["nowag-p", "wanda", "magnitude"], "Method")
dbutils.widgets.text("sparsity", "0.5", "Unstructured sparsity")
dbutils.widgets.text("eval_text", "/Volumes/main/nowag/data/heldout.txt", "Held-out text for evaluate")

model = dbutils.widgets.get("model")
out = dbutils.widgets.get("out")
method = dbutils.widgets.get("method")
sparsity = float(dbutils.widgets.get("sparsity"))
eval_text = dbutils.widgets.get("eval_text")

# COMMAND ----------

# MAGIC %md
# MAGIC Without a model at hand, write the real all-MiniLM-L6-v2 (shipped inside the jar's dependencies) first.

# COMMAND ----------

Nowag = spark._jvm.org.nowag.job.api.Nowag
if model.endswith("all-MiniLM-L6-v2"):
    model = Nowag.importMiniLm(model)

# COMMAND ----------

import json

# Runs on this cluster's SparkContext; a re-run with the same arguments resumes, or does nothing when complete.
# A failure raises (py4j's Py4JJavaError with nowag's message), which fails the cell and a job running it.
options = Nowag.unstructured(model, out, method, sparsity)
report = json.loads(Nowag.compress(spark.sparkContext._jsc, options, None).toJson())
print(f"{report['tensorsCompressed']} tensors compressed, overall sparsity {report['overallSparsity']:.4f}, "
      f"{report['wallSeconds']:.1f} s")

# COMMAND ----------

# MAGIC %md
# MAGIC Evaluation (`nowag evaluate`: embedding cosine and neighbour agreement for encoders, perplexity for causal LMs)
# MAGIC through the CLI entry point; it writes evaluation.json next to the model. A non-zero exit code fails the cell.

# COMMAND ----------

eval_args = ["evaluate", "--model", model, "--compare", out, "--text", eval_text]
args = spark.sparkContext._gateway.new_array(spark._jvm.java.lang.String, len(eval_args))
for i, a in enumerate(eval_args):
    args[i] = a
code = spark._jvm.org.nowag.job.cli.NowagCli.run(args)
if code != 0:
    raise RuntimeError(f"nowag evaluate failed with exit code {code} (2: bad usage); its message is in the driver log")
print("evaluate: wrote", out + "/evaluation.json")

# COMMAND ----------

# Per-layer proxy loss from report.json (the file any later session reads, not the object above).
import re
from collections import defaultdict

saved = json.loads(Nowag.readReport(out).toJson())
loss, energy = defaultdict(float), defaultdict(float)
for t in saved["tensors"]:
    m = re.search(r"\.layers?\.(\d+)\.", t["name"])
    if m:
        loss[int(m.group(1))] += t["proxyLoss"]
        energy[int(m.group(1))] += t["proxyEnergy"]
layers = sorted(loss)
relative = [loss[i] / energy[i] for i in layers]

# COMMAND ----------

import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.bar(layers, relative)
ax.set_xlabel("transformer layer")
ax.set_ylabel("proxy loss / proxy energy")
ax.set_title(f"{saved['method']} {saved['pattern']} on {saved['model'].rsplit('/', 1)[-1]}")
display(fig)
