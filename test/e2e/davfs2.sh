#!/usr/bin/env bash
# A real davfs2 mount of a running Cairn: create, list, read back, rename, delete through the
# kernel, contents compared by sha256 with what the server stores.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "FAIL: mounting davfs2 needs root here"; exit 1; }
cairn_start davfs2 || exit 1
mnt=$E2E_TMP/mnt
# mount.davfs drops to user davfs2, which cannot enter the private $E2E_TMP: its cache lives apart.
cache=$(mktemp -d /tmp/cairn-davfs-cache.XXXXXX); chmod 777 "$cache"
mkdir -p "$mnt"
printf '%s/ %s %s\n' "$CAIRN_URL" "${CAIRN_USER:-admin}" "${CAIRN_PASSWORD:-unused}" > "$E2E_TMP/davfs2.secrets"
chmod 600 "$E2E_TMP/davfs2.secrets"
cat > "$E2E_TMP/davfs2.conf" <<CONF
secrets $E2E_TMP/davfs2.secrets
cache_dir $cache
buf_size 64
CONF
unmount() { mountpoint -q "$mnt" && timeout 120 umount "$mnt"; }
trap 'unmount; e2e_cleanup; rm -rf "$cache"' EXIT
if ! timeout 60 mount -t davfs "$CAIRN_URL/" "$mnt" -o "conf=$E2E_TMP/davfs2.conf,uid=0,gid=0"; then
  fail "davfs2 mount"; e2e_summary; exit 1
fi
pass "davfs2 mount"

head -c 5000000 /dev/urandom > "$E2E_TMP/big.bin"
printf 'hello from davfs2\n' > "$E2E_TMP/small.txt"
sha() { sha256sum "$1" | cut -d' ' -f1; }
check "mkdir through the mount" mkdir "$mnt/docs"
check "write a 5 MB file" cp "$E2E_TMP/big.bin" "$mnt/docs/big.bin"
check "write a small file" cp "$E2E_TMP/small.txt" "$mnt/small.txt"
check "list shows both" bash -c "ls '$mnt/docs' | grep -qx big.bin && ls '$mnt' | grep -qx small.txt"
# Unmount flushes davfs2's cache to the server; remount and read back from the server.
unmount && timeout 60 mount -t davfs "$CAIRN_URL/" "$mnt" -o "conf=$E2E_TMP/davfs2.conf,uid=0,gid=0"
check "server has the 5 MB file (sha256)" test "$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/docs/big.bin" | sha256sum | cut -d' ' -f1)" = "$(sha "$E2E_TMP/big.bin")"
check "read back through the mount (sha256)" test "$(sha "$mnt/docs/big.bin")" = "$(sha "$E2E_TMP/big.bin")"
check "rename through the mount" mv "$mnt/docs/big.bin" "$mnt/docs/renamed.bin"
check "delete through the mount" rm "$mnt/small.txt"
unmount
check "server sees the rename" test "$(curl "${CURL_AUTH[@]}" -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/docs/renamed.bin")" = 200
check "server sees the old name gone" test "$(curl "${CURL_AUTH[@]}" -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/docs/big.bin")" = 404
check "server sees the delete" test "$(curl "${CURL_AUTH[@]}" -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/small.txt")" = 404
check "renamed content intact (sha256)" test "$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/docs/renamed.bin" | sha256sum | cut -d' ' -f1)" = "$(sha "$E2E_TMP/big.bin")"

# The read-only views: four versions of a file, and a deleted folder, reached through the mount.
for i in 1 2 3 4; do
  head -c $((100000 * i)) /dev/urandom > "$E2E_TMP/notes.v$i"
  curl "${CURL_AUTH[@]}" -sf -T "$E2E_TMP/notes.v$i" "$CAIRN_URL/docs/notes.txt" -o /dev/null
done
curl "${CURL_AUTH[@]}" -sf -X MKCOL "$CAIRN_URL/old/" -o /dev/null
curl "${CURL_AUTH[@]}" -sf -T "$E2E_TMP/small.txt" "$CAIRN_URL/old/kept.txt" -o /dev/null
curl "${CURL_AUTH[@]}" -sf -X DELETE "$CAIRN_URL/old/" -o /dev/null
timeout 60 mount -t davfs "$CAIRN_URL/" "$mnt" -o "conf=$E2E_TMP/davfs2.conf,uid=0,gid=0"
versions=$mnt/.cairn/versions/docs/notes.txt
check "ls / shows .cairn" bash -c "ls -a '$mnt' | grep -qx .cairn"
check "ls the versions folder: four versions" test "$(ls "$versions" | grep -c ' v[0-9]*\.txt$')" = 4
# Names sort by time; the oldest is the first one ls lists.
oldest=$(ls "$versions" | head -1)
check "an old version reads back (sha256)" test "$(sha "$versions/$oldest")" = "$(sha "$E2E_TMP/notes.v1")"
check "its size is the old one" test "$(stat -c %s "$versions/$oldest")" = 100000
trashed=$(ls "$mnt/.cairn/trash" | grep '^old (deleted ' | head -1)
check "ls the trash shows the deleted folder" test -n "$trashed"
check "a file of the deleted folder reads back (sha256)" test "$(sha "$mnt/.cairn/trash/$trashed/kept.txt")" = "$(sha "$E2E_TMP/small.txt")"
check "mkdir in the trash is refused" bash -c "! mkdir '$mnt/.cairn/trash/new' 2>/dev/null"
check "rm of a version is refused" bash -c "! rm '$versions/$oldest' 2>/dev/null"
unmount
check "the version is still there" test "$(curl "${CURL_AUTH[@]}" -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/.cairn/versions/docs/notes.txt/$(printf %s "$oldest" | sed 's/ /%20/g')")" = 200
e2e_summary
