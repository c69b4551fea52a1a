#!/usr/bin/env bash
# Chunk garbage collection throughput (io.cairn.server.GcBench, SQLite + local disk): chunks per
# second of a dry run (mark and list), of a run deleting half of the store, and of fsck, on a store
# of 100,000 chunks written straight through the chunk store. Knobs: -Dcairn.bench.chunks=N,
# -Dcairn.bench.namespaces=N (files spread over N namespaces; gc re-reads them after each announcement).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -B -q ${MVN_FLAGS:-} -pl server -am test -Dtest=GcBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
grep -h "^gc bench" server/target/surefire-reports/io.cairn.server.GcBench-output.txt
