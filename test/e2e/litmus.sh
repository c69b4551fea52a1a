#!/usr/bin/env bash
# litmus 0.13, the WebDAV compliance suite, against a running Cairn: every suite, 0 failures.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cairn_start litmus || exit 1
out=$E2E_TMP/litmus.txt
(cd "$E2E_TMP" && TESTS=${LITMUS_TESTS:-"basic copymove props locks http"} timeout 600 litmus -k "$CAIRN_URL/" "$CAIRN_USER" "$CAIRN_PASSWORD" >"$out" 2>&1)  # litmus writes debug.log and child.log in its working directory
for suite in ${LITMUS_TESTS:-basic copymove props locks http}; do
  line=$(grep -E "^<- summary for \`$suite'" "$out")
  if [[ $line =~ of\ ([0-9]+)\ tests\ run:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]] && [ "${BASH_REMATCH[3]}" = 0 ]; then
    pass "litmus $suite: ${BASH_REMATCH[2]}/${BASH_REMATCH[1]} passed"
  else
    fail "litmus $suite: ${line:-no summary}"
  fi
done
grep -E "FAIL|WARNING" "$out" | sed 's/^/    /'
warnings=$(grep -cE "WARNING" "$out")
echo "litmus warnings: $warnings (full output: $out)"
e2e_summary
