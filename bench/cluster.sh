#!/usr/bin/env bash
# Cluster figures: invalidation latency (PUT on node A until node B serves the new version) and
# throughput of 2 nodes vs 1, over two node JVMs on a throwaway PostgreSQL and s3proxy.
# Runs io.cairn.server.cluster.ClusterBench; figures are printed at the end.
# Knobs: -Dcairn.bench.rounds=300 -Dcairn.bench.seconds=20 -Dcairn.bench.clients=8 (extra args).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -B -q ${MVN_FLAGS:-} -pl server -am test -Dtest=ClusterBench -Dsurefire.failIfNoSpecifiedTests=false "$@"
grep -hE "^(invalidation|throughput)" server/target/surefire-reports/io.cairn.server.cluster.ClusterBench-output.txt
