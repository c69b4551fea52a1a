#!/usr/bin/env bash
# Scrub throughput with no rate limit (io.cairn.server.ScrubBench, SQLite + local disk): chunks and
# MB per second of two whole passes over a store of 10,000 chunks of 64 KiB written straight
# through the chunk store (so read from the page cache). Knobs: -Dcairn.bench.chunks=N,
# -Dcairn.bench.chunk.kib=K.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -B -q ${MVN_FLAGS:-} -pl server -am test -Dtest=ScrubBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
grep -h "^scrub bench" server/target/surefire-reports/io.cairn.server.ScrubBench-output.txt
