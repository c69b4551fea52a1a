#!/usr/bin/env bash
# Builds the bench module and runs the chunker's JMH benchmark (ops/s = MiB/s).
# Arguments go to JMH and replace the modest defaults (-f 1 -wi 2 -i 3), e.g.:
#   bench/chunker.sh -f 1 -wi 3 -w 2s -i 8 -r 2s      bench/chunker.sh -f 1 -i 3 'ChunkerBench.cut$'

set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
# MVN_FLAGS=-o builds offline.
mvn -B -q ${MVN_FLAGS:-} -pl bench -am package -DskipTests
if [ $# -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 'io.cairn.bench.ChunkerBench'
elif ! printf '%s\n' "$@" | grep -q 'ChunkerBench'; then
  set -- "$@" 'io.cairn.bench.ChunkerBench'
fi
exec "$JAVA_HOME/bin/java" -jar bench/target/benchmarks.jar "$@"
