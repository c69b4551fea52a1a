#!/usr/bin/env bash
# cairn fsck as an operator runs it: on the data directory of a running server (read-only, so it
# may), clean after uploads and a delete (exit 0); with one chunk file removed, exit 1 and the
# affected path named on stdout; an unreadable store, exit 2 with one line.
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

"${JAVA[@]}" fsck --data "$E2E_TMP/no-such-dir" >"$E2E_TMP/fsck-none.out" 2>"$E2E_TMP/fsck-none.err"
rc=$?
check "no storage there: exit 2 ($rc)" test "$rc" = 2
check "with one line and no stack trace ($(head -1 "$E2E_TMP/fsck-none.err"))" \
  eval 'grep -q "^cairn: fsck: cannot open the storage" "$E2E_TMP/fsck-none.err" && ! grep -qE "^\s+at " "$E2E_TMP/fsck-none.err"'
e2e_summary
