#!/usr/bin/env bash
# Builds the bench module and prints the chunker parameter study (docs/adr/0002-chunker-parameters.md).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
# MVN_FLAGS=-o builds offline.
mvn -B -q ${MVN_FLAGS:-} -pl bench -am package -DskipTests
exec "$JAVA_HOME/bin/java" -Xmx2g -cp bench/target/benchmarks.jar io.cairn.bench.ChunkerParamsStudy
