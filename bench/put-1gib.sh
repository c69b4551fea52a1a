#!/usr/bin/env bash
# PUT throughput of one 1 GiB body, for each Cairn jar given, in alternating rounds on fresh data
# directories: what a change on the upload path costs (the whole-file digests, say), as a ratio
# measured in one run. The body is pseudo-random (AES-CTR of zeros), read from a file in the page
# cache so the client is not the bottleneck.
# CAIRN_BENCH_DATA picks where the servers keep their data (say /dev/shm, to take the disk out).
#   bench/put-1gib.sh [--rounds N] JAR...        (JAVA_HOME must point at a JDK 21+)
set -euo pipefail
rounds=3
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [--rounds N] JAR..." >&2; exit 2; }
work=$(mktemp -d /tmp/cairn-put-bench.XXXXXX)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
body=$work/body.bin
head -c 1073741824 <(openssl enc -aes-128-ctr -nosalt -pass pass:cairn -in /dev/zero 2>/dev/null) > "$body"
cat "$body" > /dev/null
port=$((20000 + RANDOM % 20000))
for round in $(seq 1 "$rounds"); do
  for jar in "$@"; do
    data=${CAIRN_BENCH_DATA:-$work}/cairn-put-bench-data
    rm -rf "$data"; mkdir -p "$data"
    CAIRN_ADMIN_PASSWORD=bench-secret "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
      -jar "$jar" --port "$port" --data "$data" > "$work/server.log" 2>&1 &
    pid=$!
    until curl -s -o /dev/null -X OPTIONS "http://127.0.0.1:$port/"; do sleep 0.3; done
    speed=$(curl -s -u admin:bench-secret -o /dev/null -w '%{http_code} %{speed_upload}' -T "$body" \
      "http://127.0.0.1:$port/big.bin")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
    awk -v r="$round" -v j="$jar" -v s="$speed" \
      'BEGIN { split(s, a, " "); printf "round %d  %-60s  HTTP %s  %7.1f MB/s\n", r, j, a[1], a[2] / 1e6 }'
  done
done
