#!/usr/bin/env bash
# Runs a jshell notebook against nowag-spark with the JVM options Spark needs (parent pom.xml nowag.jvm.opens,
# passed to jshell's execution JVM with -R).
#   notebooks/run-jshell.sh [-R-Dname=value ...] notebooks/minilm.jsh
# Classpath: $NOWAG_CLASSPATH, else the runnable jar spark-job/target/nowag-spark.jar (mvn -B -q -Pdist package -DskipTests).
# jshell: $JAVA_HOME/bin/jshell when JAVA_HOME is set, else jshell on PATH (a JDK 17+).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cp="${NOWAG_CLASSPATH:-$root/spark-job/target/nowag-spark.jar}"
if [[ -z "${NOWAG_CLASSPATH:-}" && ! -f "$cp" ]]; then
  echo "run-jshell: $cp not found; build it with: mvn -B -q -Pdist package -DskipTests" >&2
  exit 1
fi
opens="$(sed -n 's:.*<nowag.jvm.opens>\(.*\)</nowag.jvm.opens>.*:\1:p' "$root/pom.xml")"
[[ -n "$opens" ]] || { echo "run-jshell: no nowag.jvm.opens in $root/pom.xml" >&2; exit 1; }
flags=()
for o in $opens; do flags+=("-R$o"); done
jshell="${JAVA_HOME:+$JAVA_HOME/bin/}jshell"
exec "$jshell" --class-path "$cp" "${flags[@]}" -R-Xmx3g "$@"
