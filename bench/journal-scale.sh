#!/usr/bin/env bash
# Issue 16, figure 9: the journal at scale (io.cairn.bench.JournalScaleStudy). Generates a namespace
# of 10 million journal rows over 1 million live files straight into a database the product's
# journal created and migrated, and one of 1,000 files; measures entry lookup, a Depth 1 listing of
# a 1,000-entry folder and a commit through the Journal API on SQLite and PostgreSQL (a throwaway
# one, or CAIRN_TEST_PG_URL); prints the generation times and a Markdown table of big/small ratios.
# Knobs: -Dcairn.bench.rows=N -Dcairn.bench.live=M -Dcairn.bench.backends=sqlite,postgresql
# Needs about 4 GiB free in java.io.tmpdir (and as much for PostgreSQL's data directory).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
uptime
mvn -B -q ${MVN_FLAGS:-} -pl bench -am test -Dtest=JournalScaleStudy -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=3000 "$@"
grep -hE "^\||^generated|^round|^note|^diagnosis" bench/target/surefire-reports/io.cairn.bench.JournalScaleStudy-output.txt
uptime
