"""Airflow DAG: calibrate -> compress -> evaluate with nowag-spark, one output folder per DAG run.

Needs apache-airflow-providers-apache-spark 4.6.0 or newer (deploy_mode as an operator argument) and a Spark
connection (default: spark_default) whose host is the cluster's master (yarn, k8s://..., spark://...), with
spark-submit on the worker's PATH. The jar must be readable by spark-submit (a local path on the Airflow worker,
hdfs:// or s3a://). Calibration text and held-out evaluation text must not overlap. Every keyword given to
SparkSubmitOperator below is checked against the provider's real constructor by DeploySchemasTest.

What a retry or a cleared task does (each step with the same arguments into the same run folder): every step is
idempotent, so a retry or a cleared task finishes what is missing or finds its output complete and exits 0.
- calibrate: the statistics file is written whole at the end (temp name + rename; one upload on S3) and records a
  fingerprint of the model, the text and the settings. A retry after a failed attempt computes it; once it is there,
  calibrate says "already complete" and exits 0 without starting Spark.
- compress: resumes from the parts a failed attempt committed; when the output is complete (_SUCCESS) it does nothing.
- evaluate: evaluation.json is written whole and records its fingerprint; once it is there, evaluate prints the
  stored result and exits 0.
Changed arguments (another sparsity, other text) into an existing run folder are refused with exit 1 and a message
naming the output: trigger a new DAG run (a new folder), or delete that output first.
"""
from datetime import datetime, timedelta
import os
import re

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

NOWAG_JAR = os.environ.get("NOWAG_JAR", "hdfs:///apps/nowag/nowag-spark.jar")
MAIN_CLASS = "org.nowag.job.cli.NowagCli"
MODEL = os.environ.get("NOWAG_MODEL", "hdfs:///models/llama-3-8b")
TEXT = os.environ.get("NOWAG_CALIBRATION_TEXT", "hdfs:///data/calibration.txt")
EVAL_TEXT = os.environ.get("NOWAG_EVAL_TEXT", "hdfs:///data/heldout.txt")


def path_safe(run_id):
    """A DAG run id as one path segment: manual__2026-01-02T03:04:05.123456+00:00 has ':' (which Hadoop's Path
    rejects in a relative segment) and '+'; both become '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", run_id)


# Every DAG run writes its own folder, named by its run id (unique, also for several manual runs on one day, which
# the run date is not); a retry or a cleared task of that run works in the same folder.
RUN_DIR = os.environ.get("NOWAG_OUT_ROOT", "hdfs:///models/nowag") + "/{{ run_id | path_safe }}"

# The same JVM options and Kryo settings as deploy/nowag-submit.sh (parent pom.xml nowag.jvm.opens).
JVM_OPENS = (
    "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector "
    "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
    "--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
    "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED "
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED "
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED "
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.allocator.type=pooled"
)
SPARK_CONF = {
    "spark.driver.extraJavaOptions": JVM_OPENS,
    "spark.executor.extraJavaOptions": JVM_OPENS,
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryoserializer.buffer.max": "256m",
    "spark.task.maxFailures": "4",
    "spark.ui.showConsoleProgress": "false",
    # One core per pruning task; SparseGPT, ARMOR and whole-matrix NoWag-VQ use more (e.g. 4 with executor_cores=4).
    "spark.task.cpus": "1",
    # Off-heap room for ND4J/OpenBLAS buffers, Arrow and netty next to the executor heap.
    "spark.executor.memoryOverhead": "4g",
    # A progress line (tasks done/total, bytes, ETA) in the task log every 60 s.
    "spark.nowag.progress.interval": "60",
    # S3 retries: nowag fails fast on an unreachable endpoint (fs.s3a.retry.limit=3, fs.s3a.attempts.maximum=2,
    # fs.s3a.connection.establish.timeout=5s unless set here; docs/storage.md). Raise them here for a flaky store.
    # S3: region and credentials for s3a:// paths. S3A's default chain has no web-identity provider (Kubernetes
    # service-account roles); this one tries it first, then instance/container roles, then environment keys.
    "spark.hadoop.fs.s3a.endpoint.region": os.environ.get("NOWAG_S3_REGION", "us-east-1"),
    "spark.hadoop.fs.s3a.aws.credentials.provider": ",".join([
        "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider",
        "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
        "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
    ]),
}

default_args = {
    "owner": "ml-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    # A step that runs longer than this is stopped (and retried): size it for your model and cluster.
    "execution_timeout": timedelta(hours=12),
}


def nowag_task(task_id, args):
    return SparkSubmitOperator(
        task_id=task_id,
        application=NOWAG_JAR,
        java_class=MAIN_CLASS,
        name="nowag-" + task_id,
        conn_id="spark_default",
        # The driver runs on the Airflow worker (it reads headers and plans; tensor bytes never pass through it), so
        # nowag's progress lines and errors are in the task log, and stopping the task stops the run.
        deploy_mode="client",
        conf=SPARK_CONF,
        num_executors=4,
        executor_cores=2,
        executor_memory="8g",
        driver_memory="4g",
        application_args=args,
    )


with DAG(
    dag_id="nowag_compress",
    description="Calibrate, compress (NoWag-P 50%) and evaluate a model with nowag-spark",
    start_date=datetime(2026, 1, 1),
    schedule=None,
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    user_defined_filters={"path_safe": path_safe},
    tags=["nowag", "spark"],
) as dag:
    calibrate = nowag_task("calibrate", [
        "calibrate", "--model", MODEL, "--text", TEXT, "--out", RUN_DIR + "/calibration.safetensors",
    ])
    compress = nowag_task("compress", [
        "compress", "--model", MODEL, "--out", RUN_DIR + "/model",
        "--method", "nowag-p", "--sparsity", "0.5",
        "--calibration", RUN_DIR + "/calibration.safetensors",
    ])
    evaluate = nowag_task("evaluate", [
        "evaluate", "--model", MODEL, "--compare", RUN_DIR + "/model", "--text", EVAL_TEXT,
        "--out", RUN_DIR + "/evaluation.json",
    ])

    calibrate >> compress >> evaluate
