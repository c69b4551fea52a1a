#!/usr/bin/env bash
# `cairn sync` (the two-way sync client in the server's jar) against a real Cairn, checked as a
# user would: the server's copy fetched with curl and compared byte for byte, the bytes the server
# received read from its own metrics (management port), the local folder listed for leftovers.
#   1. kill -9 mid-upload and mid-download, then run again: it converges, sends (or fetches) only
#      what the other side still lacks, and leaves no temporary or partial file behind;
#   2. a 1 KiB insertion in the middle of a 1 GiB file re-syncs with under 1% of it sent, and a
#      client with a 128 MiB heap downloads the 1 GiB file intact;
#   3. rclone bisync on the same server folder: edits, new files and deletes made on either side
#      reach the other after alternating runs;
#   4. --watch: local and remote changes carried within seconds, and through a server restart;
#   5. bad credentials and an unreachable server: exit status 2, one line, no stack trace; with
#      --watch too, which stops at once instead of retrying a refused login into a lockout; a
#      local disk that fills up (a small tmpfs): the file is named, nothing half-written is left.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
T0=$SECONDS
MIB=1048576
MGMT_PORT=$(e2e_free_port)
printf 'management.port = %s\n' "$MGMT_PORT" > "$E2E_TMP/sync.properties"
cairn_start sync -- --config "$E2E_TMP/sync.properties" || exit 1
MGMT_URL=http://127.0.0.1:$MGMT_PORT
: > "$E2E_TMP/rclone.conf"; export RCLONE_CONFIG=$E2E_TMP/rclone.conf  # no "config not found" notices

# The client as a user runs it: java -jar cairn.jar sync ... (a plain command, so that $! of one
# started in the background is the JVM itself, for kill -9).
CSYNC=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR" sync)
csync() { "${CSYNC[@]}" "$@"; }
dav() { curl -s --max-time 120 "${CURL_AUTH[@]}" "$@"; }
mkcol() { test "$(dav -o /dev/null -w '%{http_code}' -X MKCOL "$CAIRN_URL/$1/")" = 201; }
status_of() { dav -o /dev/null -w '%{http_code}' "$CAIRN_URL/$1"; }
gone_from_server() { test "$(status_of "$1")" = 404; }
# metric NAME LABELS: one series' value as an integer (0 when not there yet).
metric() {
  curl -s --max-time 10 "$MGMT_URL/metrics" \
    | awk -v s="$1{$2}" 'index($0, s " ") == 1 { v = $2 } END { printf "%d\n", v + 0 }'
}
api_received() { metric cairn_http_received_bytes_total 'front="api",method="PUT"'; }  # chunk uploads
api_sent() { metric cairn_http_sent_bytes_total 'front="api",method="GET"'; }          # chunk downloads
# sent_bytes FILE: the "(N UNIT sent" of a client's summary line, in bytes (-1 when absent).
sent_bytes() {
  grep -oE '\(([0-9.]+) (B|KiB|MiB|GiB) sent' "$1" | tail -1 | tr -d '(' | awk '
    { m = 1; if ($2 == "KiB") m = 1024; if ($2 == "MiB") m = 1048576; if ($2 == "GiB") m = 1073741824
      printf "%d\n", $1 * m; found = 1 }
    END { if (!found) print -1 }'
}
# wait_until SECONDS COMMAND...: polls every 0.2 s; status 0 as soon as COMMAND succeeds.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  while [ $SECONDS -lt $deadline ]; do "$@" && return 0; sleep 0.2; done
  "$@"
}
# Files (and links, pipes...) under DIR outside .cairn-sync, one relative path per line.
files_in() { (cd "$1" && find . -path ./.cairn-sync -prune -o ! -type d -print | sed 's|^\./||' | sort); }
tmp_empty() { [ -z "$(ls -A "$1/.cairn-sync/tmp" 2>/dev/null)" ]; }
server_equals() { dav -f "$CAIRN_URL/$1" | cmp -s - "$2"; }  # server_equals SERVER_PATH LOCAL_FILE
one_line_no_trace() { # FILE: exactly one line on stderr, no exception or stack frame
  [ "$(wc -l < "$1")" -eq 1 ] && ! grep -qE 'Exception|^\s+at ' "$1"
}

# ---- 5. Refusals: one line on stderr, exit 2 --------------------------------------------------
mkdir -p "$E2E_TMP/refused"
CAIRN_PASSWORD=not-the-password csync "$E2E_TMP/refused" "$CAIRN_URL/" --user "$CAIRN_USER" \
  >"$E2E_TMP/refused.out" 2>"$E2E_TMP/refused.err"
rc=$?
check "bad password: exit status 2 ($rc)" test "$rc" = 2
check "bad password: one line naming authentication, no stack trace ($(head -c 200 "$E2E_TMP/refused.err"))" \
  eval 'one_line_no_trace "$E2E_TMP/refused.err" && grep -qi "authentication failed" "$E2E_TMP/refused.err"'
echo not-a-token > "$E2E_TMP/bad.token"
csync "$E2E_TMP/refused" "$CAIRN_URL/" --token-file "$E2E_TMP/bad.token" >/dev/null 2>"$E2E_TMP/refused-token.err"
rc=$?
check "bad token: exit status 2 ($rc), one line, no stack trace" \
  eval 'test "$rc" = 2 && one_line_no_trace "$E2E_TMP/refused-token.err"'
csync "$E2E_TMP/refused" "http://127.0.0.1:$(e2e_free_port)/" --user "$CAIRN_USER" >/dev/null 2>"$E2E_TMP/unreachable.err"
rc=$?
check "unreachable server: exit status 2 ($rc), one line, no stack trace ($(head -c 200 "$E2E_TMP/unreachable.err"))" \
  eval 'test "$rc" = 2 && one_line_no_trace "$E2E_TMP/unreachable.err"'

# --watch with a wrong password must stop too: retrying it forever is a failed login every few
# seconds, and after 10 the server refuses that user from this address for 5 minutes, even with the
# right password. Carol has a user of her own here, so that admin is not locked out if it happens.
echo "carol-e2e-password" | cairn_cli user add carol --password-stdin >/dev/null 2>&1
mkdir -p "$E2E_TMP/refused-watch"
t=$SECONDS
CAIRN_PASSWORD=not-carols-password timeout 15 "${CSYNC[@]}" "$E2E_TMP/refused-watch" "$CAIRN_URL/" --user carol --watch \
  >"$E2E_TMP/refused-watch.out" 2>"$E2E_TMP/refused-watch.err"
rc=$?
check "--watch with a bad password: exit status 2 ($rc; 124 = still retrying after $((SECONDS - t)) s)" test "$rc" = 2
check "--watch with a bad password: one line on stderr, no stack trace ($(wc -l < "$E2E_TMP/refused-watch.err") lines)" \
  one_line_no_trace "$E2E_TMP/refused-watch.err"
code=$(curl -s -o /dev/null -w '%{http_code}' -u carol:carol-e2e-password -X PROPFIND -H 'Depth: 0' "$CAIRN_URL/")
check "--watch with a bad password did not lock the user out (PROPFIND with the right one: $code)" test "$code" = 207

# A local disk that fills up: the file that does not fit is named with why, nothing half-written
# is left under its name or in the index's folder, the rest is synced, the server keeps it all.
full=$E2E_TMP/full
mkdir -p "$full"
if mount -t tmpfs -o size=8m tmpfs "$full"; then
  mkcol full
  head -c $((20 * MIB)) /dev/urandom > "$E2E_TMP/twenty.bin"
  dav -o /dev/null -T "$E2E_TMP/twenty.bin" "$CAIRN_URL/full/twenty.bin"
  echo small | dav -o /dev/null -T - "$CAIRN_URL/full/small.txt"
  csync "$full" "$CAIRN_URL/full" --user "$CAIRN_USER" >"$E2E_TMP/full.out" 2>"$E2E_TMP/full.err"
  rc=$?
  check "disk full: exit status 1 ($rc) and the file named with why ($(head -c 200 "$E2E_TMP/full.err"))" \
    eval 'test "$rc" = 1 && grep -q "twenty.bin: the local disk is full" "$E2E_TMP/full.err"'
  check "disk full: no partial file, the small one synced, tmp empty ($(files_in "$full" | tr '\n' ' '))" \
    eval 'test "$(files_in "$full")" = small.txt && tmp_empty "$full"'
  check "disk full: the server still has the file" server_equals full/twenty.bin "$E2E_TMP/twenty.bin"
  umount "$full"
else
  fail "disk full: cannot mount a small tmpfs (run as root)"
fi

# ---- 1. kill -9 mid-upload, then again: converges, completed chunks not sent again ------------
up=$E2E_TMP/kill-up
mkdir -p "$up"; mkcol kill
head -c $((300 * MIB)) /dev/urandom > "$up/big.bin"
size=$(stat -c %s "$up/big.bin")
r0=$(api_received)
"${CSYNC[@]}" "$up" "$CAIRN_URL/kill" --user "$CAIRN_USER" >"$E2E_TMP/kill-up.1.out" 2>&1 &
client=$!
# Kill once the server holds about 40% of the file (bounded: 60 s).
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ] && kill -0 "$client" 2>/dev/null; do
  [ $(($(api_received) - r0)) -ge $((size * 2 / 5)) ] && break
  sleep 0.05
done
running=no; kill -0 "$client" 2>/dev/null && running=yes
kill -9 "$client" 2>/dev/null; wait "$client" 2>/dev/null
sleep 0.5  # let the server finish reading what was in flight
check "the client was still running when killed (kill -9)" test "$running" = yes
at_kill=$(($(api_received) - r0))
check "upload killed midway: the server had $at_kill of $size bytes" \
  test "$at_kill" -gt 0 -a "$at_kill" -lt "$size"
check "nothing committed by the killed run (GET answers 404)" test "$(status_of kill/big.bin)" = 404
r1=$(api_received)
csync "$up" "$CAIRN_URL/kill" --user "$CAIRN_USER" >"$E2E_TMP/kill-up.2.out" 2>"$E2E_TMP/kill-up.2.err"
rc=$?
again=$(($(api_received) - r1))
check "second run exits 0 ($rc)" test "$rc" = 0
check "the server's file equals the local one (curl, cmp)" server_equals kill/big.bin "$up/big.bin"
# Completed chunks are not sent again: at most what the server lacked plus the chunks that were
# in flight when it was killed (2 x 4 workers x the 4 MiB largest chunk).
check "second run: the server received $again bytes, not the whole file again (<= $size - $at_kill + 32 MiB)" \
  test "$again" -le $((size - at_kill + 32 * MIB)) -a "$again" -lt $((size * 9 / 10))
said=$(sent_bytes "$E2E_TMP/kill-up.2.out")
check "second run's summary says $said bytes sent, clearly less than the file ($(head -1 "$E2E_TMP/kill-up.2.out"))" \
  test "$said" -ge 0 -a "$said" -le $((size - at_kill + 32 * MIB))
check "no temporary file left (.cairn-sync/tmp empty)" tmp_empty "$up"
check "no stray file in the folder ($(files_in "$up" | tr '\n' ' '))" test "$(files_in "$up")" = big.bin

# kill -9 mid-download into a second folder: no partial file under the final name, then converges.
down=$E2E_TMP/kill-down
mkdir -p "$down"
s0=$(api_sent)
"${CSYNC[@]}" "$down" "$CAIRN_URL/kill" --user "$CAIRN_USER" >"$E2E_TMP/kill-down.1.out" 2>&1 &
client=$!
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ] && kill -0 "$client" 2>/dev/null; do
  [ $(($(api_sent) - s0)) -ge $((size * 2 / 5)) ] && break
  sleep 0.05
done
running=no; kill -0 "$client" 2>/dev/null && running=yes
kill -9 "$client" 2>/dev/null; wait "$client" 2>/dev/null
check "the downloading client was still running when killed (kill -9)" test "$running" = yes
out_at_kill=$(($(api_sent) - s0))
check "download killed midway: the server had sent $out_at_kill of $size bytes" \
  test "$out_at_kill" -gt 0 -a "$out_at_kill" -lt "$size"
check "no partial file under the final name after the kill" test ! -e "$down/big.bin"
s1=$(api_sent)
csync "$down" "$CAIRN_URL/kill" --user "$CAIRN_USER" >"$E2E_TMP/kill-down.2.out" 2>"$E2E_TMP/kill-down.2.err"
rc=$?
again=$(($(api_sent) - s1))
check "download: second run exits 0 ($rc)" test "$rc" = 0
check "download: what the killed run fetched is not fetched again (server sent $again of $size bytes on the rerun; $out_at_kill before the kill)" \
  test "$again" -le $((size - out_at_kill + 32 * MIB))
check "download: the local file equals the server's and the original (cmp)" \
  eval 'server_equals kill/big.bin "$down/big.bin" && cmp -s "$up/big.bin" "$down/big.bin"'
check "download: no temporary file left (.cairn-sync/tmp empty)" tmp_empty "$down"
check "download: no stray file in the folder ($(files_in "$down" | tr '\n' ' '))" test "$(files_in "$down")" = big.bin
rm -f "$up/big.bin" "$down/big.bin"  # disk: the next part writes 3 GiB

# ---- 2. Delta: 1 KiB inserted in a 1 GiB file; a 128 MiB heap downloads the whole ------------
dl=$E2E_TMP/delta
mkdir -p "$dl"; mkcol delta
head -c $((1024 * MIB)) <(openssl enc -aes-128-ctr -nosalt -pass pass:cairn-sync -in /dev/zero 2>/dev/null) > "$dl/big.bin"
csync "$dl" "$CAIRN_URL/delta" --user "$CAIRN_USER" >"$E2E_TMP/delta.1.out" 2>"$E2E_TMP/delta.1.err"
rc=$?
check "1 GiB synced up: exit 0 ($rc), the server's copy equals it (curl, cmp)" \
  eval 'test "$rc" = 0 && server_equals delta/big.bin "$dl/big.bin"'
{ head -c $((512 * MIB)) "$dl/big.bin"; head -c 1024 /dev/urandom; tail -c +$((512 * MIB + 1)) "$dl/big.bin"; } > "$E2E_TMP/edited.bin"
mv "$E2E_TMP/edited.bin" "$dl/big.bin"
size=$(stat -c %s "$dl/big.bin")
r0=$(api_received)
csync "$dl" "$CAIRN_URL/delta" --user "$CAIRN_USER" >"$E2E_TMP/delta.2.out" 2>"$E2E_TMP/delta.2.err"
rc=$?
delta=$(($(api_received) - r0))
check "re-sync after a 1 KiB insertion exits 0 ($rc)" test "$rc" = 0
check "the server received $delta bytes for it: under 1% of $size" test "$delta" -lt $((size / 100))
said=$(sent_bytes "$E2E_TMP/delta.2.out")
check "the client's summary says $said bytes sent: under 1% ($(head -1 "$E2E_TMP/delta.2.out"))" \
  test "$said" -ge 0 -a "$said" -lt $((size / 100))
check "the server's file is the edited one (curl, cmp)" server_equals delta/big.bin "$dl/big.bin"
dl2=$E2E_TMP/delta-128m
mkdir -p "$dl2"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx128m -jar "$CAIRN_JAR" sync "$dl2" "$CAIRN_URL/delta" --user "$CAIRN_USER" \
  >"$E2E_TMP/delta-128m.out" 2>"$E2E_TMP/delta-128m.err"
rc=$?
check "java -Xmx128m sync downloads the 1 GiB file: exit 0 ($rc)" test "$rc" = 0
check "and it is byte-identical (cmp)" cmp -s "$dl/big.bin" "$dl2/big.bin"
check "and leaves no temporary file" tmp_empty "$dl2"
rm -f "$dl/big.bin" "$dl2/big.bin"

# ---- 3. rclone bisync on the same server folder, alternating with cairn sync ----------------
cs=$E2E_TMP/bi-cairn; rc_dir=$E2E_TMP/bi-rclone; bw=$E2E_TMP/bi-work
mkdir -p "$cs/sub" "$rc_dir"; mkcol bi
remote=":webdav,url='$CAIRN_URL/',vendor=owncloud,user='$CAIRN_USER',pass='$(rclone obscure "$CAIRN_PASSWORD")':bi"
for f in a b c d e; do printf 'file %s, first version\n' "$f" > "$cs/$f.txt"; done
head -c 300000 /dev/urandom > "$cs/sub/data.bin"
printf 'nested\n' > "$cs/sub/note.txt"
# synced WHAT DIR URL: one run of the client, its output kept; passes when it exits 0 quietly.
synced() {
  local what=$1 log=$E2E_TMP/sync-$((++SYNC_RUNS)).log rc
  csync "$2" "$3" --user "$CAIRN_USER" >"$log" 2>&1
  rc=$?
  check "$what: exit 0 ($rc), no problem named ($(grep -v '^cairn sync: uploaded' "$log" | head -1))" \
    eval 'test "$rc" = 0 && ! grep -qv "^cairn sync: uploaded" "$log"'
}
SYNC_RUNS=0
same_trees() { diff -r -x .cairn-sync "$1" "$2" >/dev/null; }
server_tree() { # a fresh copy of the server folder, for diff -r
  rm -rf "$E2E_TMP/bi-server"; mkdir -p "$E2E_TMP/bi-server"
  rclone copy -q "$remote" "$E2E_TMP/bi-server" && echo "$E2E_TMP/bi-server"
}
synced "cairn sync: first run up" "$cs" "$CAIRN_URL/bi"
check "rclone bisync --resync" rclone bisync -q "$rc_dir" "$remote" --resync --workdir "$bw"
check "rclone's folder has the client's files" same_trees "$cs" "$rc_dir"
# Changes in the client's folder: an edit, a new file, a delete, one in a subfolder.
sleep 1.1  # a new second: rclone compares modification times
printf 'file a, edited by the sync client\n' > "$cs/a.txt"
printf 'new from the sync client\n' > "$cs/sub/from-cairn.txt"
rm "$cs/b.txt"
synced "cairn sync carries them up" "$cs" "$CAIRN_URL/bi"
check "rclone bisync after the client's changes" rclone bisync -q "$rc_dir" "$remote" --workdir "$bw"
check "rclone's folder has the edit, the new file and not the deleted one" \
  eval 'cmp -s "$cs/a.txt" "$rc_dir/a.txt" && cmp -s "$cs/sub/from-cairn.txt" "$rc_dir/sub/from-cairn.txt" && test ! -e "$rc_dir/b.txt"'
# Changes in rclone's folder.
sleep 1.1
printf 'file c, edited on the rclone side\n' > "$rc_dir/c.txt"
printf 'new from rclone\n' > "$rc_dir/from-rclone.txt"
rm "$rc_dir/d.txt" "$rc_dir/sub/note.txt"
check "rclone bisync carries them up" rclone bisync -q "$rc_dir" "$remote" --workdir "$bw"
synced "cairn sync brings them down" "$cs" "$CAIRN_URL/bi"
check "the client's folder has the edit, the new file and not the deleted ones" \
  eval 'cmp -s "$cs/c.txt" "$rc_dir/c.txt" && cmp -s "$cs/from-rclone.txt" "$rc_dir/from-rclone.txt" && test ! -e "$cs/d.txt" && test ! -e "$cs/sub/note.txt"'
# Both sides again, then both folders equal the server.
sleep 1.1
printf 'file e, edited by the client\n' > "$cs/e.txt"
printf 'sub/data.bin, rewritten on the rclone side\n' > "$rc_dir/sub/data.bin"
synced "a last cairn sync" "$cs" "$CAIRN_URL/bi"
check "a last rclone bisync" rclone bisync -q "$rc_dir" "$remote" --workdir "$bw"
synced "a closing cairn sync" "$cs" "$CAIRN_URL/bi"
srv=$(server_tree)
check "the client's folder equals the server's (diff -r)" diff -r -x .cairn-sync "$cs" "$srv"
check "rclone's folder equals the server's (diff -r)" diff -r "$rc_dir" "$srv"
check "no conflicts were met" test "$(csync conflicts "$cs")" = "no conflicts"

# ---- 4. --watch --------------------------------------------------------------------------------
w=$E2E_TMP/watch
mkdir -p "$w"; mkcol watch
"${CSYNC[@]}" "$w" "$CAIRN_URL/watch" --user "$CAIRN_USER" --watch --quiet >"$E2E_TMP/watch.out" 2>"$E2E_TMP/watch.err" &
watcher=$!
E2E_PIDS+=("$watcher")
check "--watch starts and finishes a first run" wait_until 30 grep -q '^cairn sync: uploaded' "$E2E_TMP/watch.out"
csync "$w" "$CAIRN_URL/watch" --user "$CAIRN_USER" >/dev/null 2>"$E2E_TMP/watch-second.err"
rc=$?
check "a second cairn sync on a folder being watched is refused: exit 2 ($rc), one line ($(head -c 150 "$E2E_TMP/watch-second.err"))" \
  eval 'test "$rc" = 2 && one_line_no_trace "$E2E_TMP/watch-second.err" && grep -q "another cairn sync is running" "$E2E_TMP/watch-second.err"'
printf 'made locally\n' > "$w/local.txt"
t=$SECONDS
check "a local file reaches the server within 10 s" wait_until 10 server_equals watch/local.txt "$w/local.txt"
echo "     (in $((SECONDS - t)) s)"
printf 'put through WebDAV\n' > "$E2E_TMP/remote.txt"
dav -f -T "$E2E_TMP/remote.txt" "$CAIRN_URL/watch/remote.txt" -o /dev/null
t=$SECONDS
check "a file PUT through WebDAV appears locally within 10 s" wait_until 10 cmp -s "$E2E_TMP/remote.txt" "$w/remote.txt"
echo "     (in $((SECONDS - t)) s)"
rm "$w/remote.txt"
check "a local delete reaches the server within 10 s" wait_until 10 gone_from_server watch/remote.txt
# The server goes away; a file is made meanwhile; the server comes back on the same port and data.
kill "$CAIRN_PID"; wait "$CAIRN_PID" 2>/dev/null
printf 'made while the server was down\n' > "$w/offline.txt"
sleep 3
check "the watcher keeps running while the server is down" kill -0 "$watcher"
port=$CAIRN_PORT
e2e_free_port() { echo "$port"; }  # cairn_start again, on the same port (and the same data dir)
cairn_start sync -- --config "$E2E_TMP/sync.properties" || { fail "cairn restarts on port $port"; e2e_summary; exit 1; }
t=$SECONDS
check "after the restart, the file made offline reaches the server within 65 s" \
  wait_until 65 server_equals watch/offline.txt "$w/offline.txt"
echo "     (in $((SECONDS - t)) s)"
printf 'put after the restart\n' > "$E2E_TMP/remote2.txt"
dav -f -T "$E2E_TMP/remote2.txt" "$CAIRN_URL/watch/remote2.txt" -o /dev/null
t=$SECONDS
check "its change stream reconnected: a file PUT after the restart appears locally within 15 s" \
  wait_until 15 cmp -s "$E2E_TMP/remote2.txt" "$w/remote2.txt"
echo "     (in $((SECONDS - t)) s)"
check "the earlier files are still in sync" \
  eval 'server_equals watch/local.txt "$w/local.txt" && test ! -e "$w/remote.txt"'
check "the watcher is still running" kill -0 "$watcher"
check "the watcher printed no stack trace" eval '! grep -qE "Exception|^\s+at " "$E2E_TMP/watch.err"'
kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null

echo "     sync.sh ran in $((SECONDS - T0)) s"
e2e_summary
