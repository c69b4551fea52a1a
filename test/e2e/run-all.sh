#!/usr/bin/env bash
# Runs every end-to-end script beside this one and prints their combined counts.
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
export E2E_TMP=${E2E_TMP:-$(mktemp -d /tmp/cairn-e2e.XXXXXX)}
passed=0; failed=0
for script in ${E2E_SCRIPTS:-litmus clients davfs2 auth metrics hardening memory sync nextcloud startup aotcache fsck backup web deb}; do
  echo "== e2e: $script"
  export E2E_RESULT=$E2E_TMP/$script.result
  rm -f "$E2E_RESULT"
  bash "$dir/$script.sh"
  if [ -f "$E2E_RESULT" ]; then
    read -r p f < "$E2E_RESULT"
  else
    p=0; f=1; echo "FAIL - $script ended before its summary"
  fi
  passed=$((passed + p)); failed=$((failed + f))
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
