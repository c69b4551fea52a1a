#!/usr/bin/env bash
# bin/cairn's AOT cache (CAIRN_AOT=on, Java 25+, docs/operations.md "Start-up: the JVM's AOT
# cache"): the server starts with a missing cache and records one; the next start maps it; a
# damaged, truncated or mismatched cache (other JVM options) is refused quietly and the server still
# starts; off (the default) gives the JVM nothing; a new jar gets a new cache. On Java 21-24 nothing
# is recorded and the server starts as before.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

cache_dir=$E2E_TMP/aot-cache
jar=$E2E_TMP/aot-cairn.jar
mkdir -p "$cache_dir"
cp "$CAIRN_JAR" "$jar"
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
password=e2e-$RANDOM$RANDOM-secret

# aot_start NAME [CAIRN_JAVA_OPTS]: bin/cairn as a user runs it, on the test's jar and cache folder;
# sets PID and LOG once the server answers (fails the check and returns 1 if it does not in 60 s).
aot_start() {
  LOG=$E2E_TMP/aot-$1.log
  port=$(e2e_free_port)
  CAIRN_AOT=${AOT:-on} CAIRN_JAR=$jar CAIRN_CACHE_DIR=$cache_dir CAIRN_AOT_MIN_SECONDS=2 CAIRN_ADMIN_PASSWORD=$password \
    CAIRN_JAVA_OPTS=${2:-} "$E2E_ROOT/bin/cairn" --port "$port" --data "$E2E_TMP/aot-data" >"$LOG" 2>&1 &
  PID=$!
  E2E_PIDS+=("$PID")
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null -X OPTIONS "http://127.0.0.1:$port/"; then pass "$1: the server answers"; return 0; fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.5
  done
  fail "$1: the server answers ($(tail -5 "$LOG"))"; return 1
}
aot_stop() { kill -TERM "$PID" 2>/dev/null; wait "$PID"; }
# Reads a file back through the running server, so the JVM ran the request paths on that cache.
head -c 300000 /dev/urandom >"$E2E_TMP/aot.bin"
round_trip() {
  curl -s -o /dev/null -u "admin:$password" -T "$E2E_TMP/aot.bin" "http://127.0.0.1:$port/aot.bin" \
    && curl -s -u "admin:$password" "http://127.0.0.1:$port/aot.bin" | cmp -s - "$E2E_TMP/aot.bin"
}
maps_cache() { grep -q "$cache_dir/aot-cairn-[0-9]*\.aot$" "/proc/$PID/maps"; }
quiet() { ! grep -qE "\[(aot|cds) *\]|the AOT cache|use AOT cache|shared spaces|fatal error|hs_err" "$LOG"; }
cache() { ls "$cache_dir"/aot-cairn-[0-9]*.aot 2>/dev/null; }

if [ "${major:-0}" -lt 25 ] 2>/dev/null; then
  if aot_start java-"$major"; then
    check "Java $major: a file round-trips" round_trip
    check "Java $major: no AOT option given to the JVM" eval '! tr "\0" " " <"/proc/$PID/cmdline" | grep -q AOT'
    aot_stop
  fi
  check "Java $major: no cache is recorded" test -z "$(ls -A "$cache_dir")"
  e2e_summary; exit
fi

# A missing cache: the server starts and records one, written when it stops.
if aot_start missing; then
  check "missing: the JVM records a cache" eval 'tr "\0" " " <"/proc/$PID/cmdline" | grep -q AOTCacheOutput'
  check "missing: a file round-trips" round_trip
  sleep 2
  aot_stop; rc=$?
  check "missing: a stop is still graceful, exit 143 ($rc)" test "$rc" = 143
  check "missing: the recorded cache is written at exit" eval 'ls "$cache_dir"/aot-cairn-*.aot.* | grep -q "aot\.[0-9]*$"'
  check "missing: the JVM says it wrote the cache, and nothing else" \
    eval 'quiet && grep -q "AOTCache creation is complete" "$LOG"'
fi

# A valid cache: the next start keeps the recording as the cache and maps it.
if aot_start valid; then
  check "valid: the recording became the cache ($(cache))" test -s "$(cache)"
  check "valid: the JVM maps it" maps_cache
  check "valid: nothing is recorded again" eval '! tr "\0" " " <"/proc/$PID/cmdline" | grep -q AOTCacheOutput'
  check "valid: a file round-trips" round_trip
  check "valid: the JVM said nothing about it" quiet
  aot_stop
fi
good=$(cache)
cp "$good" "$E2E_TMP/aot-good.aot"

# Mismatched: the same cache, the JVM given other options (a heap too large for compressed pointers).
if aot_start mismatched -Xmx40g; then
  check "mismatched options: the cache is not mapped" eval '! maps_cache'
  check "mismatched options: a file round-trips" round_trip
  check "mismatched options: the JVM said nothing about it" quiet
  aot_stop
fi

# Damaged: 1 MiB of noise in the middle (without the checksum check this crashed the JVM), then cut short.
dd if=/dev/urandom of="$good" bs=1M seek=20 count=1 conv=notrunc status=none
if aot_start damaged; then
  check "damaged: the cache is not mapped" eval '! maps_cache'
  check "damaged: a file round-trips" round_trip
  check "damaged: the JVM said nothing about it" quiet
  aot_stop
fi
truncate -s 10M "$good"
if aot_start truncated; then
  check "truncated: the cache is not mapped" eval '! maps_cache'
  check "truncated: a file round-trips" round_trip
  check "truncated: the JVM said nothing about it" quiet
  aot_stop
fi

# Off (the default): the cache is neither used nor recorded.
if AOT=off aot_start off; then
  check "off: the JVM is given no AOT option" eval '! tr "\0" " " <"/proc/$PID/cmdline" | grep -q AOT'
  check "off: a file round-trips" round_trip
  aot_stop
fi

# Another jar (a new build: one more entry): the old cache is dropped and a new one recorded. The
# JVM would not refuse the old one: Java 25.0.3 mapped a cache made for another jar (other path, size
# and content) and loaded Cairn's classes from it, so bin/cairn keys the cache by the jar's checksum.
cp "$E2E_TMP/aot-good.aot" "$good"
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'a').writestr('aot-e2e.txt', 'a new build')" "$jar"
if aot_start new-jar; then
  check "new jar: the old jar's cache is dropped" test ! -e "$good"
  check "new jar: a new cache is recorded" eval 'tr "\0" " " <"/proc/$PID/cmdline" | grep -q AOTCacheOutput'
  check "new jar: a file round-trips" round_trip
  aot_stop
fi
e2e_summary
