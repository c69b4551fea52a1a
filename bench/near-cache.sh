#!/usr/bin/env bash
# The measurements behind docs/adr/0003-metadata-near-cache.md: journal reads with and without
# CachingJournal on PostgreSQL, and how stale Hazelcast's near-cached maps are right after a write
# on another member. Runs io.cairn.cluster.cache.NearCacheStudy (-Dcairn.bench.n=2000 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -B -q ${MVN_FLAGS:-} -pl cluster -am test -Dtest=NearCacheStudy -Dsurefire.failIfNoSpecifiedTests=false "$@"
grep -hE "^\||^Hazelcast|^hits" cluster/target/surefire-reports/io.cairn.cluster.cache.NearCacheStudy-output.txt
