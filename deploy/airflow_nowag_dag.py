"""Airflow DAG: calibrate -> compress -> evaluate with nowag-spark, one output folder per run date.

Needs apache-airflow-providers-apache-spark and a Spark connection (default: spark_default) whose host is the
cluster's master (yarn, k8s://..., spark://...). The jar must be readable by spark-submit (a local path on the
Airflow worker, hdfs:// or s3a://). Calibration text and held-out evaluation text must not overlap.
"""
from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

NOWAG_JAR = os.environ.get("NOWAG_JAR", "hdfs:///apps/nowag/nowag-spark.jar")
MAIN_CLASS = "org.nowag.job.cli.NowagCli"
MODEL = os.environ.get("NOWAG_MODEL", "hdfs:///models/llama-3-8b")
TEXT = os.environ.get("NOWAG_CALIBRATION_TEXT", "hdfs:///data/calibration.txt")
EVAL_TEXT = os.environ.get("NOWAG_EVAL_TEXT", "hdfs:///data/heldout.txt")
# Every run date writes its own folder, so a re-run of one date resumes that date's output and nothing else.
RUN_DIR = os.environ.get("NOWAG_OUT_ROOT", "hdfs:///models/nowag") + "/{{ ds }}"

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
}

default_args = {
    "owner": "ml-platform",
    # Every nowag step resumes from what it committed, so a retry only redoes the missing work.
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
}


def nowag_task(task_id, args):
    return SparkSubmitOperator(
        task_id=task_id,
        application=NOWAG_JAR,
        java_class=MAIN_CLASS,
        name="nowag-" + task_id,
        conn_id="spark_default",
        conf=SPARK_CONF,
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
    default_args=default_args,
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
