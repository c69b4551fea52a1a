#!/usr/bin/env bash
# Sync API figures: bytes on the wire and time to re-sync four edits of a 1 GiB file through the
# commit API against a WebDAV PUT of the whole file, changes listed per second, and SSE latency
# from a PUT to its event on one node (io.cairn.server.SyncBench, SQLite + local disk); then the
# same latency across two nodes (ClusterBench over PostgreSQL and s3proxy) when --cluster is given.
# Knobs: -Dcairn.bench.size=BYTES -Dcairn.bench.changes=N -Dcairn.bench.events=N (extra args).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
cluster=0
if [ "${1:-}" = "--cluster" ]; then cluster=1; shift; fi
mvn -B -q ${MVN_FLAGS:-} -pl server -am test -Dtest=SyncBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
grep -hE "^(edit|changes listing|sse latency)" server/target/surefire-reports/io.cairn.server.SyncBench-output.txt
if [ "$cluster" = 1 ]; then
  mvn -B -q ${MVN_FLAGS:-} -pl server -am test -Dtest=ClusterBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
  grep -hE "^sse latency" server/target/surefire-reports/io.cairn.server.cluster.ClusterBench-output.txt
fi
