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
check "server has the 5 MB file (sha256)" test "$(curl -sf "$CAIRN_URL/docs/big.bin" | sha256sum | cut -d' ' -f1)" = "$(sha "$E2E_TMP/big.bin")"
check "read back through the mount (sha256)" test "$(sha "$mnt/docs/big.bin")" = "$(sha "$E2E_TMP/big.bin")"
check "rename through the mount" mv "$mnt/docs/big.bin" "$mnt/docs/renamed.bin"
check "delete through the mount" rm "$mnt/small.txt"
unmount
check "server sees the rename" test "$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/docs/renamed.bin")" = 200
check "server sees the old name gone" test "$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/docs/big.bin")" = 404
check "server sees the delete" test "$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/small.txt")" = 404
check "renamed content intact (sha256)" test "$(curl -sf "$CAIRN_URL/docs/renamed.bin" | sha256sum | cut -d' ' -f1)" = "$(sha "$E2E_TMP/big.bin")"
e2e_summary
