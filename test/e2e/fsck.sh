#!/usr/bin/env bash
# cairn fsck as an operator runs it: on the data directory of a running server (read-only, so it
# may), clean after uploads and a delete (exit 0); with one chunk file removed, exit 1 and the
# affected path named on stdout; --repair refused beside the running server (exit 2, one line),
# then, with the server stopped, recording the chunk as damaged, after which the old version
# answers 500 `damaged` instead of short content; an unreadable store, exit 2 with one line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR")

cairn_start fsck || { fail "the server started"; e2e_summary; exit 1; }
head -c 300000 /dev/urandom >"$E2E_TMP/fsck-a.bin"
head -c 5000 /dev/urandom >"$E2E_TMP/fsck-b.bin"
curl -s -o /dev/null "${CURL_AUTH[@]}" -X MKCOL "$CAIRN_URL/dir"
curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/fsck-a.bin" "$CAIRN_URL/dir/a.bin"
curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/fsck-b.bin" "$CAIRN_URL/dir/a.bin"
curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/fsck-b.bin" "$CAIRN_URL/gone.bin"
check "the upload landed" test "$(curl -s "${CURL_AUTH[@]}" "$CAIRN_URL/dir/a.bin" | cmp - "$E2E_TMP/fsck-b.bin" && echo same)" = same
curl -s -o /dev/null "${CURL_AUTH[@]}" -X DELETE "$CAIRN_URL/gone.bin"

"${JAVA[@]}" fsck --verify --data "$CAIRN_DATA" >"$E2E_TMP/fsck-clean.out" 2>"$E2E_TMP/fsck-clean.err"
rc=$?
check "fsck --verify beside the running server: exit 0 ($rc; $(tail -1 "$E2E_TMP/fsck-clean.out"))" test "$rc" = 0
check "and its summary names 3 versions" grep -q "3 versions" "$E2E_TMP/fsck-clean.out"
check "the server still serves after it" \
  test "$(curl -s -o /dev/null -w '%{http_code}' "${CURL_AUTH[@]}" -T "$E2E_TMP/fsck-b.bin" "$CAIRN_URL/after.bin")" = 201

# The first version's chunks are the 300 kB file's: remove one of them (any name the journal has
# only for that version would do; the largest file in the store is one of them).
victim=$(find "$CAIRN_DATA/chunks" -mindepth 3 -type f -regex '.*/[0-9a-f]*' -size +100k | head -1)
check "found a chunk file of the first version ($victim)" test -n "$victim"
rm -f "$victim"
"${JAVA[@]}" fsck --data "$CAIRN_DATA" >"$E2E_TMP/fsck-missing.out" 2>"$E2E_TMP/fsck-missing.err"
rc=$?
check "a chunk removed: exit 1 ($rc)" test "$rc" = 1
check "and the MISSING line names the version's path ($(head -1 "$E2E_TMP/fsck-missing.out"))" \
  grep -q "^MISSING chunk $(basename "$victim") needed by home:admin:/dir/a.bin (version jid " "$E2E_TMP/fsck-missing.out"

"${JAVA[@]}" fsck --repair --data "$CAIRN_DATA" >"$E2E_TMP/fsck-busy.out" 2>"$E2E_TMP/fsck-busy.err"
rc=$?
check "--repair beside the running server on local disk: exit 2 ($rc; $(head -1 "$E2E_TMP/fsck-busy.err"))" \
  eval 'test "$rc" = 2 && grep -q "^cairn: fsck" "$E2E_TMP/fsck-busy.err" && ! grep -qE "^\s+at " "$E2E_TMP/fsck-busy.err"'
check "and it recorded nothing (no REPAIRED line)" eval '! grep -q "^REPAIRED" "$E2E_TMP/fsck-busy.out"'

kill "$CAIRN_PID"; wait "$CAIRN_PID" 2>/dev/null
"${JAVA[@]}" fsck --verify --repair --data "$CAIRN_DATA" >"$E2E_TMP/fsck-repair.out" 2>"$E2E_TMP/fsck-repair.err"
rc=$?
check "fsck --verify --repair with the server stopped: exit 1, the content is still lost ($rc)" test "$rc" = 1
check "and it recorded the chunk as damaged ($(grep -m1 '^REPAIRED' "$E2E_TMP/fsck-repair.out"))" \
  grep -q "^REPAIRED chunk $(basename "$victim") recorded as damaged" "$E2E_TMP/fsck-repair.out"
"${JAVA[@]}" fsck --repair --data "$CAIRN_DATA" >"$E2E_TMP/fsck-again.out" 2>&1
check "a second --repair changes nothing and reports the chunk as DAMAGED" \
  eval '! grep -q "^REPAIRED" "$E2E_TMP/fsck-again.out" && grep -q "^DAMAGED chunk $(basename "$victim")" "$E2E_TMP/fsck-again.out"'

cairn_start fsck || { fail "the server started again on the repaired data"; e2e_summary; exit 1; }
API=$CAIRN_URL/.cairn/api/v1
first=$(curl -s "${CURL_AUTH[@]}" "$API/history?path=/dir/a.bin" | python3 -c 'import json,sys; v=json.load(sys.stdin)["versions"]; print(v[-1]["version"], v[-1].get("damaged", False))')
check "the history lists the first version as damaged ($first)" test "${first#* }" = True
code=$(curl -s -o "$E2E_TMP/fsck-old.body" -w '%{http_code}' "${CURL_AUTH[@]}" "$API/content?path=/dir/a.bin&version=${first% *}")
check "its content answers 500 damaged, not short bytes ($code: $(head -c 120 "$E2E_TMP/fsck-old.body"))" \
  eval 'test "$code" = 500 && grep -q "\"damaged\"" "$E2E_TMP/fsck-old.body"'
check "the live file still reads whole" test "$(curl -s "${CURL_AUTH[@]}" "$CAIRN_URL/dir/a.bin" | cmp - "$E2E_TMP/fsck-b.bin" && echo same)" = same

"${JAVA[@]}" fsck --data "$E2E_TMP/no-such-dir" >"$E2E_TMP/fsck-none.out" 2>"$E2E_TMP/fsck-none.err"
rc=$?
check "no storage there: exit 2 ($rc)" test "$rc" = 2
check "with one line and no stack trace ($(head -1 "$E2E_TMP/fsck-none.err"))" \
  eval 'grep -q "^cairn: fsck: cannot open the storage" "$E2E_TMP/fsck-none.err" && ! grep -qE "^\s+at " "$E2E_TMP/fsck-none.err"'
e2e_summary
