#!/usr/bin/env bash
# Builds the bench module and runs the chunker's JMH benchmark (ops/s = MiB/s).
# Extra arguments go to JMH, e.g.:  bench/chunker.sh -f 1 -wi 2 -i 3   or   bench/chunker.sh -lprof
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
# MVN_FLAGS=-o builds offline.
mvn -B -q ${MVN_FLAGS:-} -pl bench -am package -DskipTests
exec "$JAVA_HOME/bin/java" -jar bench/target/benchmarks.jar 'io.cairn.bench.ChunkerBench' \
  -f 1 -wi 2 -i 3 "$@"
