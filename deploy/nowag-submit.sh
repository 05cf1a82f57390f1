#!/usr/bin/env bash
# nowag-submit.sh: run the nowag jar under spark-submit with the JVM options and Kryo settings it needs.
#
#   deploy/nowag-submit.sh [--dry-run] [--jar JAR] [spark-submit options ...] -- <nowag command> [args ...]
#   deploy/nowag-submit.sh [--dry-run] [--jar JAR] <nowag command> [args ...]
#
# Everything before "--" goes to spark-submit as it is (--master, --deploy-mode, --conf k=v, --executor-memory ...);
# everything after it goes to nowag. Without "--", every argument after the wrapper's own options goes to nowag.
#   --dry-run   print the exact spark-submit command line (shell-quoted, one line) and exit 0 without running it
#   --jar JAR   the runnable jar (default: $NOWAG_JAR, else spark-job/target/nowag-spark.jar next to this folder)
# Environment: SPARK_HOME (spark-submit is $SPARK_HOME/bin/spark-submit, else spark-submit on PATH);
#   NOWAG_EXTRA_JAVA_OPTS: appended to the driver and executor JVM options (e.g. -Dnowag.debug=true).
set -euo pipefail

readonly MAIN_CLASS=org.nowag.job.cli.NowagCli
# Spark 4.2's own module options (org.apache.spark.launcher.JavaModuleOptions) plus the Vector API; the same list
# as nowag.jvm.opens in the parent pom.xml (a test checks that they agree). Executors need them as much as the driver.
readonly JVM_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.allocator.type=pooled"

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

dry_run=false
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${NOWAG_JAR:-$(dirname "$here")/spark-job/target/nowag-spark.jar}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) dry_run=true; shift ;;
    --jar)
      [[ $# -ge 2 ]] || { echo "nowag-submit: --jar needs a path to nowag-spark.jar" >&2; exit 2; }
      jar="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done

spark_opts=()
nowag_args=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  while [[ $# -gt 0 && "$1" != "--" ]]; do spark_opts+=("$1"); shift; done
  shift
fi
nowag_args=("$@")
if [[ ${#nowag_args[@]} -eq 0 ]]; then
  echo "nowag-submit: no nowag command given; try: $0 -- compress --help  (commands: compress, inspect, calibrate, evaluate, demo, bench)" >&2
  exit 2
fi

if [[ -n "${SPARK_HOME:-}" ]]; then submit="$SPARK_HOME/bin/spark-submit"; else submit=spark-submit; fi
java_opts="$JVM_OPENS${NOWAG_EXTRA_JAVA_OPTS:+ $NOWAG_EXTRA_JAVA_OPTS}"

cmd=("$submit"
  --class "$MAIN_CLASS"
  --name "nowag-${nowag_args[0]}"
  --conf "spark.driver.extraJavaOptions=$java_opts"
  --conf "spark.executor.extraJavaOptions=$java_opts"
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
  --conf spark.kryoserializer.buffer.max=256m
  --conf spark.task.maxFailures=4
  --conf spark.ui.showConsoleProgress=false
  ${spark_opts[@]+"${spark_opts[@]}"}
  "$jar"
  "${nowag_args[@]}")

if $dry_run; then
  printf '%q ' "${cmd[@]}" | sed 's/ $//'
  echo
  exit 0
fi
if [[ ! -f "$jar" ]]; then
  echo "nowag-submit: jar not found: $jar; build it with: mvn -B -q -Pdist package -DskipTests (or pass --jar PATH)" >&2
  exit 1
fi
if ! command -v "$submit" >/dev/null 2>&1; then
  echo "nowag-submit: $submit not found; set SPARK_HOME to a Spark 4.2 (Scala 2.13) installation or put spark-submit on PATH" >&2
  exit 1
fi
exec "${cmd[@]}"
