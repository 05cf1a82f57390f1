#!/usr/bin/env bash
# Stand-in for a Spark distribution's bin/spark-submit (+ bin/spark-class), for DeploySparkSubmitTest: Spark's own
# launcher (org.apache.spark.launcher.Main, from $SPARK_HOME/jars) builds the driver JVM's command line exactly as
# in a distribution (classpath, spark.driver.extraJavaOptions, memory), printed NUL-separated; this script runs it.
set -euo pipefail
export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
export SPARK_SCALA_VERSION=2.13
mapfile -d '' CMD < <("${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx128m -cp "$SPARK_HOME/jars/*" \
  org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@")
# The launcher starts its output with a marker line; the command follows.
while [[ ${#CMD[@]} -gt 0 && -z "${CMD[0]//[[:space:]]/}" ]]; do CMD=("${CMD[@]:1}"); done
[[ ${#CMD[@]} -gt 1 ]] || { echo "spark-submit stand-in: the launcher built no command" >&2; exit 1; }
CMD[0]="${CMD[0]#$'\n'}"
printf 'driver command:'; printf ' %s' "${CMD[@]}"; echo
exec "${CMD[@]}"
