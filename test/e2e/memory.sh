#!/usr/bin/env bash
# Resident memory with bin/cairn's defaults (issue 16, docs/operations.md#memory): a server started
# with exactly the JVM options and malloc arena cap bin/cairn gives takes 32 concurrent uploads of
# 64 MiB (distinct content) while readers GET them; the node-wide upload budget makes the uploads
# wait for room (or answer 503 with Retry-After) instead of running the 192 MiB heap out of memory.
# Every upload's SHA-256 must read back, no answer may be a 500, the log must show no
# OutOfMemoryError. MEMORY_UPLOADS and MEMORY_MIB change the load. Bounded: 600 s in memory.py.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$E2E_ROOT/bin/common.sh"   # cairn_default_java_opts, and MALLOC_ARENA_MAX exported as bin/cairn does
read -r -a defaults <<<"$(cairn_default_java_opts)"
cairn_start memory "${defaults[@]}" || exit 1
check "the server runs with bin/cairn's default heap (${defaults[*]})" \
  grep -q -- '-Xmx192m' "/proc/$CAIRN_PID/cmdline"
out=$(python3 "$(dirname "$0")/memory.py" "$CAIRN_PORT" "$CAIRN_USER" "$CAIRN_PASSWORD" "$CAIRN_PID" \
  "${MEMORY_UPLOADS:-32}" "${MEMORY_MIB:-64}")
echo "$out"
E2E_PASSED=$((E2E_PASSED + $(grep -c '^ok ' <<<"$out")))
E2E_FAILED=$((E2E_FAILED + $(grep -c '^FAIL' <<<"$out")))
check "the server is still up" kill -0 "$CAIRN_PID"
check "... and never ran out of memory" bash -c "! grep -q 'OutOfMemoryError' '$CAIRN_LOG'"
e2e_summary
