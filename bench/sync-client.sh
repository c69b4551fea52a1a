#!/usr/bin/env bash
# cairn sync against rclone sync (one-way, local -> server) and rclone bisync (two-way), on one
# Cairn server started here from server/target/cairn.jar (a free loopback port, its own temp data
# dir), on the same data, in the same run. Each tool has its own user (Cairn dedups chunks only
# within what a user can read, so no tool profits from another's uploads), its own copy of the data
# and its own server folder. Steps, each one sync per tool, one tool at a time:
#   1   initial sync of a tree of small files (10,000 of 1-16 KiB in 100 folders)
#   2   initial sync of big files added to it (10 of 100 MiB, random)
#   3a  1 KiB inserted in the middle of each big file     3b  1 KiB appended to each
#   3c  1 MiB overwritten in the middle of each           3d  one big file renamed
#   4   100 small files edited (their first 64 bytes, same size)
#   5   nothing changed (no-op)
# Bytes sent = request body bytes the server read (cairn_http_received_bytes_total, every front:
# webdav, api, admin), from its Prometheus metrics on the management port, as deltas around each
# sync; so every tool is counted the same way. Time = wall time of the client process.
# Prints a markdown table on stdout; progress and the tools' own output go to the work dir.
# Knobs (environment):
#   CAIRN_BENCH_SMALL=1         a quick check: 500 small files in 10 folders, 3 big files of 8 MiB,
#                               20 small files edited (each still overridable below)
#   CAIRN_BENCH_FILES=10000     small files        CAIRN_BENCH_DIRS=100     their folders
#   CAIRN_BENCH_BIG=10          big files          CAIRN_BENCH_BIG_MIB=100  their size (MiB, >= 4)
#   CAIRN_BENCH_EDITS=100       small files edited in step 4
#   CAIRN_BENCH_TIMEOUT=1800    seconds any one sync may take before it is stopped (and reported)
#   CAIRN_BENCH_VERIFY=end      compare each server folder with its local copy (rclone check
#                               --download: names, sizes and bytes) after the last step; "each"
#                               after every step; "none"
#   CAIRN_BENCH_DIR=/tmp        where the work dir goes (local copies and the server's data)
#   CAIRN_BENCH_KEEP=1          keep the work dir (logs included) instead of removing it
#   CAIRN_JAR                   the jar to run (default server/target/cairn.jar; build it first)
# Needs: JAVA_HOME (a JDK 21+; default temurin 25), rclone, curl, python3, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
JAR=${CAIRN_JAR:-$PWD/server/target/cairn.jar}
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -o -q -DskipTests package -pl server -am" >&2; exit 2; }
for tool in rclone curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

small=${CAIRN_BENCH_SMALL:-0}
if [ "$small" = 1 ]; then d_files=500 d_dirs=10 d_big=3 d_mib=8 d_edits=20; else d_files=10000 d_dirs=100 d_big=10 d_mib=100 d_edits=100; fi
FILES=${CAIRN_BENCH_FILES:-$d_files}
DIRS=${CAIRN_BENCH_DIRS:-$d_dirs}
BIG=${CAIRN_BENCH_BIG:-$d_big}
MIB=${CAIRN_BENCH_BIG_MIB:-$d_mib}
EDITS=${CAIRN_BENCH_EDITS:-$d_edits}
TIMEOUT=${CAIRN_BENCH_TIMEOUT:-1800}
VERIFY=${CAIRN_BENCH_VERIFY:-end}
[ "$MIB" -ge 4 ] && [ "$BIG" -ge 1 ] && [ "$DIRS" -ge 1 ] && [ "$EDITS" -le "$FILES" ] \
  || { echo "need CAIRN_BENCH_BIG_MIB >= 4, CAIRN_BENCH_BIG >= 1, CAIRN_BENCH_DIRS >= 1, EDITS <= FILES" >&2; exit 2; }

WORK=$(mktemp -d "${CAIRN_BENCH_DIR:-/tmp}/cairn-sync-bench.XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${CAIRN_BENCH_KEEP:-0}" = 1 ]; then echo "work dir kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  echo "no free port found" >&2; return 1
}

# ---- the server -----------------------------------------------------------------------------
PORT=$(free_port)
MGMT=$(free_port)
[ "$MGMT" != "$PORT" ] || MGMT=$(free_port)
mkdir -p "$WORK/server"
printf 'management.port = %s\n' "$MGMT" > "$WORK/server.properties"
ADMIN_PW=bench-$RANDOM$RANDOM
CAIRN_ADMIN_PASSWORD=$ADMIN_PW "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -jar "$JAR" \
  --port "$PORT" --data "$WORK/server" --config "$WORK/server.properties" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
URL=http://127.0.0.1:$PORT
METRICS=http://127.0.0.1:$MGMT/metrics
for i in $(seq 1 120); do
  curl -s -o /dev/null -X OPTIONS "$URL/" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "cairn exited at start:" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }
  [ "$i" = 120 ] && { echo "cairn did not answer on $URL within 60 s" >&2; exit 1; }
  sleep 0.5
done
log "cairn on $URL (metrics on $METRICS), work dir $WORK"

# One user per tool (the CLI works beside a running server on SQLite), each with a folder of its own.
TOOLS=(cairn rsync bisync)
declare -A USER_OF=([cairn]=bench-cairn [rsync]=bench-rclone-sync [bisync]=bench-rclone-bisync)
PASSWORD=bench-pw-$RANDOM$RANDOM
export RCLONE_CONFIG=$WORK/rclone.conf; : > "$RCLONE_CONFIG"   # no "config not found" notices
OBSCURED=$(rclone obscure "$PASSWORD")
for t in "${TOOLS[@]}"; do
  u=${USER_OF[$t]}
  echo "$PASSWORD" | "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" \
    user add "$u" --password-stdin --data "$WORK/server" >> "$WORK/users.log" 2>&1 \
    || { echo "user add $u failed:" >&2; cat "$WORK/users.log" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -u "$u:$PASSWORD" -X MKCOL "$URL/$u/")
  [ "$code" = 201 ] || { echo "MKCOL /$u/ as $u answered $code" >&2; exit 1; }
done

# rclone's WebDAV remote: vendor owncloud, so modification times are kept (X-OC-Mtime) and
# compared, and hashes are read from the server (oc:checksums) when they are.
remote() { echo ":webdav,url='$URL/',vendor=owncloud,user='${USER_OF[$1]}',pass='$OBSCURED':${USER_OF[$1]}"; }

# ---- the data -------------------------------------------------------------------------------
# Deterministic: the same seed gives the same tree. One copy per tool, made with cp -a.
SRC=$WORK/src
log "making $FILES small files in $DIRS folders and $BIG files of $MIB MiB"
python3 - "$SRC/small" "$FILES" "$DIRS" <<'PY'
import os, random, sys
root, files, dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(20261203)
for d in range(dirs):
    os.makedirs(os.path.join(root, "d%03d" % d), exist_ok=True)
for i in range(files):
    with open(os.path.join(root, "d%03d" % (i % dirs), "f%05d.bin" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(1024, 16384)))
PY
mkdir -p "$SRC/big"
for i in $(seq 1 "$BIG"); do
  head -c $((MIB * 1048576)) <(openssl enc -aes-128-ctr -nosalt -pass "pass:cairn-bench-$i" -in /dev/zero 2>/dev/null) \
    > "$SRC/big/file$i.bin"
done
head -c 1024 <(openssl enc -aes-128-ctr -nosalt -pass pass:insert -in /dev/zero 2>/dev/null) > "$WORK/1k.bin"
head -c 1048576 <(openssl enc -aes-128-ctr -nosalt -pass pass:overwrite -in /dev/zero 2>/dev/null) > "$WORK/1m.bin"
head -c 64 <(openssl enc -aes-128-ctr -nosalt -pass pass:small -in /dev/zero 2>/dev/null) > "$WORK/64.bin"
for t in "${TOOLS[@]}"; do
  mkdir -p "$WORK/$t"
  cp -a "$SRC/small" "$WORK/$t/"   # the big files join in step 2
done

# ---- measuring ------------------------------------------------------------------------------
# The server's request body bytes, every front; read until two reads agree (a request's bytes are
# counted when it ends, which may be a moment after the client has its answer).
metric_sum() { # metric_sum NAME
  curl -s --max-time 10 "$METRICS" | awk -v m="$1" 'index($0, m "{") == 1 || $1 == m { s += $NF } END { printf "%.0f\n", s }'
}
received() {
  local a b
  a=$(metric_sum cairn_http_received_bytes_total)
  for _ in $(seq 1 20); do
    sleep 0.25
    b=$(metric_sum cairn_http_received_bytes_total)
    [ "$a" = "$b" ] && break
    a=$b
  done
  echo "$b"
}
sent_by_server() { metric_sum cairn_http_sent_bytes_total; }

declare -A TIME BYTES DOWN STATUS
STEPS=()
BISYNC_WORK=$WORK/bisync-workdir
run_tool() { # run_tool TOOL STEP: one sync, measured
  local t=$1 step=$2 start end before after down_before rc=0 extra=()
  local dir=$WORK/$t out=$WORK/logs/$step-$t.log
  mkdir -p "$WORK/logs"
  before=$(received); down_before=$(sent_by_server)
  start=$EPOCHREALTIME
  case $t in
    cairn)
      CAIRN_PASSWORD=$PASSWORD timeout "$TIMEOUT" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
        -jar "$JAR" sync "$dir" "$URL/${USER_OF[$t]}" --user "${USER_OF[$t]}" --quiet > "$out" 2>&1 || rc=$?
      ;;
    rsync)
      timeout "$TIMEOUT" rclone sync "$dir" "$(remote "$t")" -v --stats 0 > "$out" 2>&1 || rc=$?
      ;;
    bisync)
      [ "$step" = 1 ] && extra=(--resync)
      timeout "$TIMEOUT" rclone bisync "$dir" "$(remote "$t")" --workdir "$BISYNC_WORK" ${extra[@]+"${extra[@]}"} \
        -v --stats 0 > "$out" 2>&1 || rc=$?
      ;;
  esac
  end=$EPOCHREALTIME
  after=$(received)
  TIME[$step,$t]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  BYTES[$step,$t]=$((after - before))
  DOWN[$step,$t]=$(($(sent_by_server) - down_before))
  STATUS[$step,$t]=$rc
  [ "$rc" = 0 ] || log "  $t exited $rc in step $step: see $out (kept: CAIRN_BENCH_KEEP=1)"
  [ "$t" = cairn ] && grep -h '^cairn sync:' "$out" | sed "s/^/  step $step: /" >> "$WORK/cairn-summaries.txt"
  log "  $step $t: ${TIME[$step,$t]} s, ${BYTES[$step,$t]} bytes to the server, ${DOWN[$step,$t]} from it, exit $rc"
}

VERIFIED=()
# By content, downloaded: files committed through the sync API have no whole-file digests on the
# server (no oc:checksums), so a check by hash would compare only their sizes.
verify() { # every tool's server folder has what its local copy has (names, sizes, bytes)
  local t rc
  for t in "${TOOLS[@]}"; do
    rc=0
    timeout "$TIMEOUT" rclone check --download "$WORK/$t" "$(remote "$t")" --exclude '.cairn-sync/**' \
      > "$WORK/logs/check-$1-$t.log" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then VERIFIED+=("$1 $t: same"); else VERIFIED+=("$1 $t: DIFFERENT (exit $rc, see logs/check-$1-$t.log)"); fi
    log "  check after $1, $t: exit $rc"
  done
}

step() { # step NAME DESCRIPTION: one sync per tool, then the optional check
  STEPS+=("$1"); DESC[$1]=$2
  log "step $1: $2"
  local t
  for t in "${TOOLS[@]}"; do run_tool "$t" "$1"; done
  if [ "$VERIFY" = each ]; then verify "$1"; fi
}
declare -A DESC

# ---- the edits (the same bytes in every copy) ------------------------------------------------
half=$((MIB * 1048576 / 2))
for_each_big() { # for_each_big FUNCTION: on every big file of every copy
  local t i
  for t in "${TOOLS[@]}"; do for i in $(seq 1 "$BIG"); do "$1" "$WORK/$t/big/file$i.bin"; done; done
}
insert_1k() { { head -c "$half" "$1"; cat "$WORK/1k.bin"; tail -c +$((half + 1)) "$1"; } > "$1.tmp"; mv "$1.tmp" "$1"; }
append_1k() { cat "$WORK/1k.bin" >> "$1"; }
overwrite_1m() { dd if="$WORK/1m.bin" of="$1" bs=1M seek=$((half - 524288)) oflag=seek_bytes conv=notrunc status=none; }

# ---- the run --------------------------------------------------------------------------------
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
step 1 "initial sync: $FILES files of 1-16 KiB in $DIRS folders"
for t in "${TOOLS[@]}"; do cp -a "$SRC/big" "$WORK/$t/"; done
step 2 "initial sync: $BIG files of $MIB MiB added"
sleep 1.1   # a new modification time second for rclone's comparison
for_each_big insert_1k
step 3a "1 KiB inserted in the middle of each big file"
sleep 1.1
for_each_big append_1k
step 3b "1 KiB appended to each big file"
sleep 1.1
for_each_big overwrite_1m
step 3c "1 MiB overwritten in the middle of each big file"
for t in "${TOOLS[@]}"; do mv "$WORK/$t/big/file1.bin" "$WORK/$t/big/file1-renamed.bin"; done
step 3d "one big file renamed"
sleep 1.1
for t in "${TOOLS[@]}"; do
  for i in $(seq 0 "$((EDITS - 1))"); do
    n=$((i * FILES / EDITS))
    dd if="$WORK/64.bin" of="$WORK/$t/small/d$(printf %03d $((n % DIRS)))/f$(printf %05d "$n").bin" conv=notrunc status=none
  done
done
step 4 "$EDITS small files edited (64 bytes each, same size)"
step 5 "nothing changed (no-op)"
[ "$VERIFY" = end ] && verify "5"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the table ------------------------------------------------------------------------------
human() { awk -v n="$1" 'BEGIN { split("B KiB MiB GiB TiB", u, " "); i = 1
  while (n >= 1024 && i < 5) { n /= 1024; i++ }
  if (i == 1) printf "%d B", n; else printf "%.1f %s", n, u[i] }'; }
cell() { # cell STEP TOOL
  local s=${STATUS[$1,$2]} note=""
  [ "$s" = 0 ] || note=" (exit $s)"
  [ "$s" = 124 ] && note=" (timed out)"
  echo "${TIME[$1,$2]} s, $(human "${BYTES[$1,$2]}")$note"
}
ratio() { # ratio A B: A / B, or - when B is 0
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print (a == 0 ? "=" : "-"); else if (a / b >= 100) printf "%.0fx", a / b; else printf "%.1fx", a / b }'
}
echo
echo "cairn sync vs rclone: wall time and bytes sent to the server per step ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $LOAD_START at the start, $LOAD_END at the end)"
echo
echo "| step | cairn sync | rclone sync | rclone bisync | rclone sync / cairn: bytes, time | rclone bisync / cairn: bytes, time |"
echo "|---|---|---|---|---|---|"
for s in "${STEPS[@]}"; do
  echo "| $s. ${DESC[$s]} | $(cell "$s" cairn) | $(cell "$s" rsync) | $(cell "$s" bisync) |" \
    "$(ratio "${BYTES[$s,rsync]}" "${BYTES[$s,cairn]}"), $(ratio "${TIME[$s,rsync]}" "${TIME[$s,cairn]}") |" \
    "$(ratio "${BYTES[$s,bisync]}" "${BYTES[$s,cairn]}"), $(ratio "${TIME[$s,bisync]}" "${TIME[$s,cairn]}") |"
done
echo
echo "Bytes received from the server (response bodies: listings, PROPFINDs, change feed):"
echo
echo "| step | cairn sync | rclone sync | rclone bisync |"
echo "|---|---|---|---|"
for s in "${STEPS[@]}"; do
  echo "| $s | $(human "${DOWN[$s,cairn]}") | $(human "${DOWN[$s,rsync]}") | $(human "${DOWN[$s,bisync]}") |"
done
cat <<EOF

Notes:
- One Cairn server (SQLite journal, local chunk store, -Xmx1g) on loopback; one user and one server
  folder per tool, so no tool finds another's chunks. Tools run one at a time, each on its own copy.
- Bytes sent = request body bytes the server read (\`cairn_http_received_bytes_total\`, all fronts),
  as the delta around each sync; request heads are not counted. Time = wall time of the client
  process, JVM start included for cairn sync.
- cairn sync: \`cairn sync DIR $URL/USER --user USER --quiet\` (its default workers: 8, fewer on a small heap).
- rclone $(rclone version | head -1 | awk '{print $2}'): webdav backend, \`vendor=owncloud\` (modification times kept and compared,
  hashes read from the server); default comparison (size and modification time), 4 transfers and
  8 checkers (defaults). \`rclone sync DIR REMOTE\`; \`rclone bisync DIR REMOTE --workdir W\`, with
  \`--resync\` in step 1. rclone has no delta transfer: a changed file is sent whole, and a renamed
  file is sent again (no \`--track-renames\`; bisync $(rclone version | head -1 | awk '{print $2}') cannot).
- rclone's webdav backend makes three requests per uploaded file (MKCOL of its folder, PUT,
  PROPFIND) and, before v1.63 (\`--webdav-pacer-min-sleep\`), spaces its requests at least 10 ms
  apart: about 30 small files a second at most, whatever the server. Steps 1 and 4 show that.
- Ratios are rclone's figure over cairn sync's: above 1, rclone sent more or took longer; "-" when
  cairn sync sent nothing and rclone something.
- Edits between steps are made at least 1.1 s after the previous sync (rclone's owncloud mtime
  precision is 1 s).
EOF
if [ "${#VERIFIED[@]}" -gt 0 ]; then
  echo "- Server folder vs local copy (rclone check --download): $(IFS=';'; echo "${VERIFIED[*]}" | sed 's/;/; /g')."
fi
echo
echo "cairn sync's own summaries:"
echo
sed 's/^/    /' "$WORK/cairn-summaries.txt"
