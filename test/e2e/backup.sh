#!/usr/bin/env bash
# cairn backup as an operator runs it: beside a running server that keeps taking uploads, into a new
# directory; a second server started on the copy serves the same bytes (sha256 over WebDAV) and
# fsck --verify finds it clean; again into the same target, only new chunks; a foreign target is
# refused in one line, exit 2.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR")

cairn_start backup-src || { fail "the server started"; e2e_summary; exit 1; }
SRC_URL=$CAIRN_URL; SRC_DATA=$CAIRN_DATA
curl -s -o /dev/null "${CURL_AUTH[@]}" -X MKCOL "$SRC_URL/dir"
curl -s -o /dev/null "${CURL_AUTH[@]}" -X MKCOL "$SRC_URL/dir/deep"
files=(dir/a.bin dir/deep/b.bin c.bin)
for f in "${files[@]}"; do
  head -c $((500000 + RANDOM * 20)) /dev/urandom >"$E2E_TMP/backup-${f//\//-}"
  curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/backup-${f//\//-}" "$SRC_URL/$f"
done
sums=$(for f in "${files[@]}"; do curl -s "${CURL_AUTH[@]}" "$SRC_URL/$f" | sha256sum; done)
check "the uploads landed" test "$(for f in "${files[@]}"; do sha256sum <"$E2E_TMP/backup-${f//\//-}"; done)" = "$sums"

( for i in $(seq 1 20); do # uploads go on during the backup (bounded)
    head -c 200000 /dev/urandom | curl -s -o /dev/null "${CURL_AUTH[@]}" -T - "$SRC_URL/live-$i.bin"
  done ) &
writer=$!
target=$E2E_TMP/backup-copy
"${JAVA[@]}" backup "$target" --data "$SRC_DATA" >"$E2E_TMP/backup-1.out" 2>"$E2E_TMP/backup-1.err"
rc=$?
wait "$writer"
check "backup beside the running server: exit 0 ($rc; $(cat "$E2E_TMP/backup-1.out"))" test "$rc" = 0
check "the copy is the owner's only" test "$(stat -c %a "$target") $(stat -c %a "$target/journal.db")" = "700 600"

cairn_start backup-copy || { fail "a server started on the copy"; e2e_summary; exit 1; }
check "a server on the copy serves every file with the same sha256" \
  test "$(for f in "${files[@]}"; do curl -s "${CURL_AUTH[@]}" "$CAIRN_URL/$f" | sha256sum; done)" = "$sums"
"${JAVA[@]}" fsck --verify --data "$target" >"$E2E_TMP/backup-fsck.out" 2>&1
rc=$?
check "fsck --verify on the copy: exit 0 ($rc; $(tail -1 "$E2E_TMP/backup-fsck.out"))" test "$rc" = 0
kill "$CAIRN_PID"; wait "$CAIRN_PID" 2>/dev/null

curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/backup-c.bin" "$SRC_URL/same-as-c.bin"
head -c 300000 /dev/urandom >"$E2E_TMP/backup-new.bin"
curl -s -o /dev/null "${CURL_AUTH[@]}" -T "$E2E_TMP/backup-new.bin" "$SRC_URL/new.bin"
chunk_files() { find "$1/chunks" -type f | grep -cE '/[0-9a-f]{64}$'; }
before=$(chunk_files "$target")
source=$(chunk_files "$SRC_DATA")
"${JAVA[@]}" backup "$target" --copy --data "$SRC_DATA" >"$E2E_TMP/backup-2.out" 2>"$E2E_TMP/backup-2.err"
rc=$?
check "again into the same target: exit 0, only the $((source - before)) new chunks ($before there, $source in the source) ($(cat "$E2E_TMP/backup-2.out"))" \
  eval '[ "$rc" = 0 ] && [ "$source" -gt "$before" ] && grep -q " $((source - before)) new chunks of " "$E2E_TMP/backup-2.out"'
check "and the copy holds every chunk of the source" test "$(chunk_files "$target")" = "$source"

mkdir -p "$E2E_TMP/backup-foreign" && echo mine >"$E2E_TMP/backup-foreign/notes.txt"
"${JAVA[@]}" backup "$E2E_TMP/backup-foreign" --data "$SRC_DATA" >/dev/null 2>"$E2E_TMP/backup-foreign.err"
rc=$?
check "a foreign non-empty target: exit 2, one line ($rc; $(head -1 "$E2E_TMP/backup-foreign.err"))" \
  eval '[ "$rc" = 2 ] && [ "$(wc -l <"$E2E_TMP/backup-foreign.err")" = 1 ]'
e2e_summary
