#!/usr/bin/env bash
# Second real clients and big bodies: rclone and cadaver against a running Cairn, a Range GET,
# and a 1 GiB PUT and GET through a server whose heap is far smaller than the body.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# MD5 on beside the default SHA-1 (upload.digests): rclone's owncloud vendor compares MD5 only.
CAIRN_UPLOAD_DIGESTS="sha1, md5" cairn_start clients -Xmx256m || exit 1
: > "$E2E_TMP/rclone.conf"; export RCLONE_CONFIG=$E2E_TMP/rclone.conf  # no "config not found" notices
sha() { sha256sum | cut -d' ' -f1; }

# rclone: copy a small tree up, check it, copy it back down.
src=$E2E_TMP/rclone-src; back=$E2E_TMP/rclone-back
mkdir -p "$src/sub/deeper" "$back"
for i in 1 2 3; do head -c $((i * 300000)) /dev/urandom > "$src/file$i.bin"; done
echo "nested" > "$src/sub/deeper/note.txt"
: > "$src/sub/empty.txt"
remote=":webdav,url='$CAIRN_URL/',vendor=other,user='$CAIRN_USER',pass='$(rclone obscure "$CAIRN_PASSWORD")':"
check "rclone copy up" rclone copy -q "$src" "${remote}rc"
check "rclone check (sizes and contents)" rclone check -q --download "$src" "${remote}rc"
check "rclone copy down" rclone copy -q "${remote}rc" "$back"
check "round trip identical" diff -r "$src" "$back"

# rclone with the ownCloud and Nextcloud vendors: mtimes kept (X-OC-Mtime), hashes compared
# (oc:checksums), and a second copy that transfers nothing adds no journal row (counted in the
# running server's SQLite journal, read-only).
oc=$E2E_TMP/oc-src
mkdir -p "$oc/dir"
printf 'alpha\n' > "$oc/a.txt"; head -c 200000 /dev/urandom > "$oc/dir/b.bin"; printf 'gamma\n' > "$oc/dir/c.txt"
touch -d '2019-05-06 07:08:09 UTC' "$oc/a.txt"; touch -d '2020-01-02 03:04:05 UTC' "$oc/dir/b.bin"
touch -d '2001-09-09 01:46:40 UTC' "$oc/dir/c.txt"
rows() { sqlite3 -readonly "$CAIRN_DATA/journal.db" 'SELECT count(*) FROM journal'; }
same_lsl() { diff <(rclone lsl "$1" | sort -k4) <(rclone lsl "$2" | sort -k4); }
for vendor in owncloud nextcloud; do
  hash=$([ $vendor = owncloud ] && echo md5 || echo sha1)  # owncloud: the first of MD5, SHA-1; nextcloud: SHA-1 only
  r=":webdav,url='$CAIRN_URL/',vendor=$vendor,user='$CAIRN_USER',pass='$(rclone obscure "$CAIRN_PASSWORD")':"
  dst="${r}oc-$vendor"
  check "rclone $vendor copy up" rclone copy -q "$oc" "$dst"
  out=$(rclone check -v "$oc" "$dst" 2>&1)
  check "rclone $vendor check matched 3 files by $hash" eval 'grep -q "Using $hash for hash comparisons" <<<"$out" \
    && grep -q "3 matching files" <<<"$out" && ! grep -qiE "could not be checked|no common hash" <<<"$out"'
  check "rclone $vendor mtimes round-trip (lsl)" same_lsl "$oc" "$dst"
  before=$(rows)
  out=$(rclone copy -v "$oc" "$dst" 2>&1)
  check "rclone $vendor second copy transfers nothing" eval '! grep -q "Copied" <<<"$out"'
  check "rclone $vendor second copy adds no journal row ($before -> $(rows))" test "$(rows)" = "$before"
done
# A changed mtime alone: one row (the same content), the new mtime listed, then quiet again.
touch -d '2022-02-22 22:22:22 UTC' "$oc/a.txt"
before=$(rows)
rclone copy -q "$oc" "${r}oc-nextcloud"
check "an mtime-only change is one journal row ($before -> $(rows))" test "$(rows)" = $((before + 1))
check "and its new mtime is listed" same_lsl "$oc" "${r}oc-nextcloud"
rclone copy -q "$oc" "${r}oc-nextcloud"
check "then nothing more" test "$(rows)" = $((before + 1))
# bisync (vendor nextcloud here, the last r): a first --resync, then a change on each side.
bi=$E2E_TMP/bisync; mkdir -p "$bi"; cp -a "$oc/." "$bi/"
rclone mkdir "${r}bisync"
check "rclone bisync --resync" rclone bisync -q "$bi" "${r}bisync" --resync --workdir "$E2E_TMP/bisync-work"
echo local > "$bi/local.txt"; touch -d "2024-04-04 04:04:04 UTC" "$bi/local.txt"; echo remote | rclone rcat "${r}bisync/remote.txt"
check "rclone bisync carries a change each way" rclone bisync -q "$bi" "${r}bisync" --workdir "$E2E_TMP/bisync-work"
check "bisync: both sides list the same files and mtimes" same_lsl "$bi" "${r}bisync"

# cadaver: scripted session; it reads credentials from ~/.netrc (a HOME of its own).
mkdir -p "$E2E_TMP/cadaver-home"
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$CAIRN_USER" "$CAIRN_PASSWORD" > "$E2E_TMP/cadaver-home/.netrc"
chmod 600 "$E2E_TMP/cadaver-home/.netrc"
printf 'hello cadaver\n' > "$E2E_TMP/cad.txt"
printf 'mkcol cad\nput %s cad/one.txt\nmove cad/one.txt cad/two.txt\nls cad\nquit\n' "$E2E_TMP/cad.txt" > "$E2E_TMP/cadaver.in"
(cd "$E2E_TMP" && HOME=$E2E_TMP/cadaver-home timeout 60 cadaver "$CAIRN_URL/" < cadaver.in > cadaver.out 2>&1)
check "cadaver mkcol, put, move" test "$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/cad/two.txt")" = "hello cadaver"

# Range GET.
head -c 1000000 /dev/urandom > "$E2E_TMP/range.bin"
curl "${CURL_AUTH[@]}" -sf -T "$E2E_TMP/range.bin" "$CAIRN_URL/range.bin" >/dev/null
code=$(curl "${CURL_AUTH[@]}" -s -o "$E2E_TMP/range.part" -w '%{http_code}' -r 1000-1999 "$CAIRN_URL/range.bin")
check "Range GET answers 206" test "$code" = 206
check "Range GET returns exactly those bytes" cmp -s "$E2E_TMP/range.part" <(tail -c +1001 "$E2E_TMP/range.bin" | head -c 1000)

# 1 GiB through a 256 MiB heap, streamed from and to pipes so the test keeps nothing on disk.
want=$(head -c 1073741824 <(openssl enc -aes-128-ctr -nosalt -pass pass:cairn -in /dev/zero 2>/dev/null) | sha)
code=$(head -c 1073741824 <(openssl enc -aes-128-ctr -nosalt -pass pass:cairn -in /dev/zero 2>/dev/null) \
  | curl "${CURL_AUTH[@]}" -s -o /dev/null -w '%{http_code}' -T - -H 'Content-Length: 1073741824' "$CAIRN_URL/big.bin")
check "1 GiB PUT with -Xmx256m answers 201 ($code)" test "$code" = 201
got=$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/big.bin" | sha)
check "1 GiB GET returns the same bytes (sha256)" test "$got" = "$want"
check "server still alive after 1 GiB" kill -0 "$CAIRN_PID"
e2e_summary
