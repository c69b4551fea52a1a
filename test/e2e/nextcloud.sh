#!/usr/bin/env bash
# The Nextcloud and ownCloud desktop clients (nextcloudcmd, owncloudcmd from Debian) against a real
# Cairn, each with its own local folder on the same server folder (the user's root), checked as a
# user would: the server's copy fetched with curl, the traffic read from the server's access log,
# the local folders compared with diff.
#   1. initial upload of a tree (nested folders, an empty file and folder, names with spaces and
#      non-ASCII, a 200 MiB file that goes through chunked upload) by nextcloudcmd; owncloudcmd
#      (logging in with an app token) downloads it byte for byte;
#   2. a second run with nothing changed transfers nothing;
#   3. edits, new files and deletes made through plain WebDAV reach both clients, and each
#      client's reach the server;
#   4. a folder of 100 files renamed locally is one MOVE on the server, not an upload;
#   5. a file changed on both sides leaves both versions, under each client's conflict naming;
#   6. nextcloudcmd, owncloudcmd and `cairn sync` on three folders converge to byte-identical trees
#      after rounds of random edits;
#   7. litmus passes against /remote.php/dav/files/USER/ as against the plain root.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
T0=$SECONDS
MGMT_PORT=$(e2e_free_port)
printf 'management.port = %s\n' "$MGMT_PORT" > "$E2E_TMP/nc.properties"
cairn_start nc -- --config "$E2E_TMP/nc.properties" || exit 1
DAV=$CAIRN_URL/remote.php/dav/files/$CAIRN_USER
token=$(cairn_cli token create "$CAIRN_USER" e2e-owncloud --expires 1h 2>/dev/null)
: > "$E2E_TMP/exclude.lst"  # owncloudcmd stops without an exclude list; Debian ships none for it

NC=$E2E_TMP/nc-folder OC=$E2E_TMP/oc-folder CS=$E2E_TMP/cs-folder
mkdir -p "$NC" "$OC" "$CS"
# Each client run: one attempt, no prompts; its output kept for a failed check.
nc_sync() { nextcloudcmd --non-interactive --max-sync-retries 1 -u "$CAIRN_USER" -p "$CAIRN_PASSWORD" \
  "$NC" "$CAIRN_URL" >"$E2E_TMP/nc.out" 2>&1; }
oc_sync() { owncloudcmd --non-interactive --max-sync-retries 1 --exclude "$E2E_TMP/exclude.lst" \
  -u "$CAIRN_USER" -p "$token" "$OC" "$CAIRN_URL" >"$E2E_TMP/oc.out" 2>&1; }
cs_sync() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR" sync "$CS" "$CAIRN_URL/" \
  --user "$CAIRN_USER" --quiet >"$E2E_TMP/cs.out" 2>&1; }
dav() { curl -s --max-time 120 "${CURL_AUTH[@]}" "$@"; }
server_equals() { dav -f "$CAIRN_URL/$1" | cmp -s - "$2"; }
# From the access log, since a mark (a line count): requests that change or move content, and
# the bytes PUT and GET through the clients' URLs (discovery and PROPFIND left out).
# Access lines are written after the response: a request of our own, once its line is there,
# says every earlier request's line is too.
settle() {
  local probe=/remote.php/settle-$RANDOM$RANDOM
  curl -s -o /dev/null --max-time 10 "$CAIRN_URL$probe"
  for _ in $(seq 1 100); do grep -q "path=$probe " "$CAIRN_LOG" && return 0; sleep 0.1; done
  echo "the access line of $probe never came" >&2
}
mark() { settle; wc -l < "$CAIRN_LOG"; }
since() { settle; tail -n +$(($1 + 1)) "$CAIRN_LOG" | grep ' access - ' | grep -v 'path=/remote.php/settle-'; }
transfers() { since "$1" | grep -cE 'method=(PUT|GET|MKCOL|MOVE|COPY|DELETE) path=/remote.php/'; }
moves() { since "$1" | grep -c 'method=MOVE path=/remote.php/dav/files/'; }
bytes() { # MARK METHOD FIELD: bytes_in or bytes_out summed over METHOD requests to /remote.php/
  since "$1" | grep "method=$2 path=/remote.php/" | grep -oE "$3=[0-9]+" | awk -F= '{ s += $2 } END { print s + 0 }'
}
# The trees as the user sees them: the clients' own databases and logs left out.
same_tree() { diff -r -x '.sync_*' -x '._sync_*' -x '.owncloudsync.log' -x '.cairn-sync' "$1" "$2" >"$E2E_TMP/diff.out"; }
export CAIRN_PASSWORD

# 1. The initial tree, uploaded by nextcloudcmd.
mkdir -p "$NC/docs/deep/er" "$NC/empty folder" "$NC/Ünïcødé ✓"
printf 'hello\n' > "$NC/docs/a.txt"
printf 'nested\n' > "$NC/docs/deep/er/b.txt"
: > "$NC/docs/empty.txt"
printf 'spaces\n' > "$NC/docs/with spaces.txt"
printf 'unicode\n' > "$NC/Ünïcødé ✓/café.txt"
head -c $((200 * 1048576)) /dev/urandom > "$NC/big.bin"
check "nextcloudcmd uploads a new tree" nc_sync
check "the 200 MiB file went up in chunks (uploads folder, MOVE of .file)" \
  eval 'settle; grep -q "method=MOVE path=/remote.php/dav/uploads/" "$CAIRN_LOG"'
check "the server has the 200 MiB file byte for byte" server_equals big.bin "$NC/big.bin"
check "the server has the non-ASCII name" server_equals "%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%E2%9C%93/caf%C3%A9.txt" "$NC/Ünïcødé ✓/café.txt"
check "the server has the empty file and the empty folder" \
  eval 'test "$(dav -o /dev/null -w "%{http_code}" "$CAIRN_URL/docs/empty.txt")" = 200 &&
        test "$(dav -o /dev/null -w "%{http_code}" -X PROPFIND -H "Depth: 0" "$CAIRN_URL/empty%20folder/")" = 207'
check "owncloudcmd (an app token as password) downloads it" oc_sync
check "owncloudcmd's folder equals nextcloudcmd's" same_tree "$NC" "$OC"

# 2. Nothing changed: nothing moves.
m=$(mark)
check "a second nextcloudcmd run succeeds" nc_sync
check "a second owncloudcmd run succeeds" oc_sync
check "the second runs sent no PUT, GET, MKCOL, MOVE or DELETE ($(transfers "$m") did)" test "$(transfers "$m")" = 0

# 3. Edits on the server (plain WebDAV) reach both clients; each client's reach the server.
printf 'edited on the server\n' > "$E2E_TMP/edit.txt"
dav -f -T "$E2E_TMP/edit.txt" "$CAIRN_URL/docs/a.txt" -o /dev/null
dav -f -T "$E2E_TMP/edit.txt" "$CAIRN_URL/docs/deep/new.txt" -o /dev/null
dav -f -X DELETE "$CAIRN_URL/docs/with%20spaces.txt" -o /dev/null
check "nextcloudcmd picks up server edits" nc_sync
check "owncloudcmd picks up server edits" oc_sync
check "an edit, a new file and a delete made on the server reached both folders" eval '
  cmp -s "$E2E_TMP/edit.txt" "$NC/docs/a.txt" && cmp -s "$E2E_TMP/edit.txt" "$OC/docs/deep/new.txt" &&
  test ! -e "$NC/docs/with spaces.txt" && test ! -e "$OC/docs/with spaces.txt" && same_tree "$NC" "$OC"'
printf 'edited by nextcloud\n' > "$NC/docs/deep/er/b.txt"
printf 'new from owncloud\n' > "$OC/from-owncloud.txt"
rm "$OC/docs/empty.txt"
check "nextcloudcmd sends its edit" nc_sync
check "owncloudcmd sends its new file and delete" oc_sync
check "the server has both clients' changes" eval '
  server_equals docs/deep/er/b.txt "$NC/docs/deep/er/b.txt" && server_equals from-owncloud.txt "$OC/from-owncloud.txt" &&
  test "$(dav -o /dev/null -w "%{http_code}" "$CAIRN_URL/docs/empty.txt")" = 404'
check "nextcloudcmd gets owncloudcmd's changes" nc_sync
check "owncloudcmd gets nextcloudcmd's edit" oc_sync
check "both folders are the same again" same_tree "$NC" "$OC"

# 4. A folder of 100 files renamed locally: a MOVE, not a re-upload.
mkdir "$NC/hundred"
for i in $(seq 1 100); do head -c 20000 /dev/urandom > "$NC/hundred/f$i.bin"; done
nc_sync; oc_sync
m=$(mark)
mv "$NC/hundred" "$NC/renamed hundred"
check "nextcloudcmd syncs the folder rename" nc_sync
check "the rename was one MOVE and no upload ($(moves "$m") MOVE, $(bytes "$m" PUT bytes_in) bytes PUT)" \
  test "$(moves "$m")/$(bytes "$m" PUT bytes_in)" = "1/0"
check "the server has the renamed folder's files" server_equals "renamed%20hundred/f57.bin" "$NC/renamed hundred/f57.bin"
m=$(mark)
check "owncloudcmd follows the rename" oc_sync
check "owncloudcmd renamed locally instead of downloading ($(bytes "$m" GET bytes_out) bytes GET)" \
  eval 'test "$(bytes "$m" GET bytes_out)" = 0 && same_tree "$NC" "$OC"'

# 5. A conflict: the same file changed on the server and in each client folder.
printf 'server side\n' > "$E2E_TMP/conflict.txt"
printf 'nextcloud side\n' > "$NC/docs/a.txt"
printf 'owncloud side\n' > "$OC/docs/a.txt"
sleep 1
dav -f -T "$E2E_TMP/conflict.txt" "$CAIRN_URL/docs/a.txt" -o /dev/null
nc_sync; oc_sync
# Both name a conflict "a (conflicted copy DATE TIME).txt"; Nextcloud's client uploads its copy.
check "nextcloudcmd kept its version as a conflicted copy and took the server's" eval '
  cmp -s "$E2E_TMP/conflict.txt" "$NC/docs/a.txt" && grep -lx "nextcloud side" "$NC"/docs/a\ \(conflicted\ copy\ * >/dev/null'
check "owncloudcmd kept its version as a conflicted copy and took the server's" eval '
  cmp -s "$E2E_TMP/conflict.txt" "$OC/docs/a.txt" && grep -lx "owncloud side" "$OC"/docs/a\ \(conflicted\ copy\ * >/dev/null'
rm -f "$NC"/docs/*conflicted\ copy* "$OC"/docs/*conflicted\ copy*
nc_sync; oc_sync; nc_sync

# 6. Three clients, random edits, one client at a time; then every client twice round.
check "cairn sync joins with a third folder" cs_sync
RANDOM=${CAIRN_TEST_SEED:-42}
edit_randomly() { # DIR: a few creates, edits, deletes and renames of small files and folders
  local dir=$1 n f
  for n in 1 2 3 4; do
    mapfile -t files < <(cd "$dir" && find . -path ./.cairn-sync -prune -o -type f ! -name '.*' -print | grep -v hundred | sort)
    f=${files[RANDOM % ${#files[@]}]}
    case $((RANDOM % 5)) in
      0) printf 'made %s\n' "$RANDOM" > "$dir/docs/new-$RANDOM.txt" ;;
      1) printf 'changed %s\n' "$RANDOM" >> "$dir/$f" ;;
      2) [ "$f" != ./big.bin ] && rm -f "$dir/$f" ;;
      3) [ "$f" != ./big.bin ] && mv "$dir/$f" "$dir/$(dirname "$f")/moved-$RANDOM.txt" ;;
      4) mkdir -p "$dir/folder-$n" && printf 'x%s\n' "$RANDOM" > "$dir/folder-$n/file-$RANDOM.txt" ;;
    esac
  done
}
ok=1
for round in 1 2 3; do
  edit_randomly "$NC"; nc_sync || ok=0; oc_sync || ok=0; cs_sync || ok=0
  edit_randomly "$OC"; oc_sync || ok=0; cs_sync || ok=0; nc_sync || ok=0
  edit_randomly "$CS"; cs_sync || ok=0; nc_sync || ok=0; oc_sync || ok=0
done
nc_sync; oc_sync; cs_sync; nc_sync; oc_sync
check "every run of the three clients succeeded" test "$ok" = 1
check "nextcloudcmd's and owncloudcmd's folders are identical" same_tree "$NC" "$OC"
check "nextcloudcmd's and cairn sync's folders are identical" same_tree "$NC" "$CS"
[ -s "$E2E_TMP/diff.out" ] && head -20 "$E2E_TMP/diff.out"

# 7. litmus at the clients' URL.
# (in E2E_TMP: litmus writes debug.log and child.log where it runs)
if (cd "$E2E_TMP" && litmus "$DAV/" "$CAIRN_USER" "$CAIRN_PASSWORD") >"$E2E_TMP/litmus-nc.out" 2>&1; then
  pass "litmus passes at /remote.php/dav/files/$CAIRN_USER/"
else
  fail "litmus at /remote.php/dav/files/$CAIRN_USER/"; grep -E 'FAIL|WARNING' "$E2E_TMP/litmus-nc.out" | head -10
fi
check "no stack trace in the server log" eval '! grep -qE "^\s+at |Exception" "$CAIRN_LOG"'

echo "     nextcloud.sh ran in $((SECONDS - T0)) s"
e2e_summary
