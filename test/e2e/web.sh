#!/usr/bin/env bash
# The web interface in a real browser: playwright-core (npm, test/web/package-lock.json) drives
# Debian's chromium headless through test/web/web.test.js against a Cairn started here: login
# (wrong password refused), browse, sort, a 50 MiB upload with its progress observed, drag and
# drop, download, new folder, rename, delete and undo, an old version downloaded and restored with
# its bytes checked, the trash, a name with markup shown as text, the CSRF refusal, a folder of
# 10,000 files (its load time written to $E2E_TMP/web-load-10000.txt), phone width, logout; then
# test/web/links.test.js: share links opened without credentials, and the Settings screen; then
# test/web/admin.test.js: the trash emptied after a confirmation, and the admin pages (users,
# quota, password reset, disable/enable, shared folders and grants, status with the last fsck run
# that cairn fsck beside the server recorded; 403 for others) and the
# listing's "Changed by" naming the last writer of each file of a shared folder; then
# test/web/upload.test.js: folders uploaded with the folder picker and by drag and drop, and a
# 50 MiB upload in parts that resumes after its connection is cut, one that resumes after a
# reload of the page once the file is picked again, and an upload-only link used from a fresh
# browser context.
# Then, with curl, that WebDAV clients (PROPFIND, GET without Accept: text/html) never get the page.
# Screenshots: $E2E_TMP/web-*.png (not committed).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# The server runs from a copy: a rebuild during the run does not change it underneath.
cp "$CAIRN_JAR" "$E2E_TMP/web-cairn.jar" && CAIRN_JAR=$E2E_TMP/web-cairn.jar
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$CHROMIUM" ] || ! command -v npm >/dev/null; then
  fail "chromium and npm are needed (bin/test installs them)"; e2e_summary; exit 1
fi
WEB=$E2E_ROOT/test/web
if ! (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error >"$E2E_TMP/web-npm.log" 2>&1); then
  fail "npm ci in test/web"; cat "$E2E_TMP/web-npm.log"; e2e_summary; exit 1
fi
cairn_start web || { fail "cairn started"; e2e_summary; exit 1; }
dav() { curl -s --max-time 120 "${CURL_AUTH[@]}" "$@"; }

# What the browser finds: a few files, an old version, something in the trash, a hostile name,
# a folder of 10,000 files (one curl, one connection: about a minute here).
printf 'hello from the e2e test\n' > "$E2E_TMP/web-hello.txt"
head -c $((50 << 20)) /dev/urandom > "$E2E_TMP/web-big.bin"
head -c $((1 << 20)) /dev/urandom > "$E2E_TMP/web-large.bin"
dav -T "$E2E_TMP/web-hello.txt" "$CAIRN_URL/hello.txt"
dav -T "$E2E_TMP/web-large.bin" "$CAIRN_URL/large.bin"
dav -X MKCOL "$CAIRN_URL/docs"
dav -T "$E2E_TMP/web-hello.txt" "$CAIRN_URL/docs/inside.txt"
printf 'before the page\n' | dav -T - "$CAIRN_URL/same.txt"
printf 'first version\n' | dav -T - "$CAIRN_URL/versioned.txt"
sleep 0.01
printf 'second version!\n' | dav -T - "$CAIRN_URL/versioned.txt"
printf 'deleted before the test\n' | dav -T - "$CAIRN_URL/gone.txt"
dav -X DELETE "$CAIRN_URL/gone.txt"
printf 'a hostile name\n' | dav -T - "$CAIRN_URL/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.txt"
dav -X MKCOL "$CAIRN_URL/many"
: > "$E2E_TMP/web-empty"
for i in $(seq -w 1 10000); do
  printf 'upload-file = "%s"\nurl = "%s/many/file-%s.txt"\noutput = /dev/null\n' "$E2E_TMP/web-empty" "$CAIRN_URL" "$i"
done > "$E2E_TMP/web-many.curl"
t0=$(date +%s)
dav -K "$E2E_TMP/web-many.curl"
count=$(dav "$CAIRN_URL/.cairn/api/v1/list?path=/many&limit=10000" | grep -o '"kind":"file"' | wc -l)
check "10,000 files prepared in $(( $(date +%s) - t0 )) s" [ "$count" -eq 10000 ]

# The browser's checks, one line each: browser_run SCRIPT TIMEOUT LAST-LINE.
browser_run() {
  local out=$E2E_TMP/web-${1%.test.js}.out
  (cd "$WEB" && CHROMIUM=$CHROMIUM CAIRN_URL=$CAIRN_URL E2E_TMP=$E2E_TMP timeout "$2" node "$1") >"$out" 2>&1
  while IFS= read -r line; do
    case "$line" in
      "ok   - "*) pass "${line#ok   - }" ;;
      "FAIL - "*) fail "${line#FAIL - }" ;;
      *) echo "  $line" ;;
    esac
  done < "$out"
  grep -q "^ok   - $3" "$out" || fail "$1 ran to its end (see $out)"
}
browser_run web.test.js 600 'log out'
# Share links and settings, in fresh browser contexts.
browser_run links.test.js 300 'the links and settings test ran to its end'
# An fsck beside the running server: the Admin page's status then shows its run.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR" fsck --data "$CAIRN_DATA" >"$E2E_TMP/web-fsck.out" 2>&1
check "cairn fsck beside the server finds the store clean" [ $? -eq 0 ]
browser_run admin.test.js 300 'the trash and admin test ran to its end'
browser_run upload.test.js 300 'the upload test ran to its end'
no_token_logged() { [ -s "$E2E_TMP/web-links.txt" ] && ! grep -qFf "$E2E_TMP/web-links.txt" "$CAIRN_LOG"; }
check "the server's log names no share link's token" no_token_logged
code=$(curl -s -o /dev/null -w '%{http_code}' -X PROPFIND "$CAIRN_URL/.cairn/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
check "a link answers no WebDAV method (PROPFIND: 405)" [ "$code" = 405 ]

# WebDAV clients never get the page, logged in or not.
no_page() { ! grep -q '/.cairn/web/app.js' "$1"; }
for ua in "curl/7.88.1" "davfs2/1.7.0 neon/0.33.0" "rclone/v1.60.1"; do
  dav -A "$ua" -o "$E2E_TMP/web-get.out" "$CAIRN_URL/docs/"
  check "a GET of a folder from $ua gets no page" no_page "$E2E_TMP/web-get.out"
done
code=$(dav -X PROPFIND -H 'Depth: 1' -H 'Accept: text/html' -o "$E2E_TMP/web-propfind.out" -w '%{http_code}' "$CAIRN_URL/docs/")
propfind_ok() { [ "$code" = 207 ] && no_page "$E2E_TMP/web-propfind.out"; }
check "a PROPFIND, even accepting text/html, gets 207 XML and no page" propfind_ok
code=$(curl -s -o /dev/null -D "$E2E_TMP/web-anon.head" -w '%{http_code}' "$CAIRN_URL/docs/")
challenged() { [ "$code" = 401 ] && grep -qi '^WWW-Authenticate: Basic' "$E2E_TMP/web-anon.head"; }
check "a WebDAV client without credentials still gets 401 with the Basic challenge" challenged
code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Accept: text/html' "$CAIRN_URL/docs/")
check "a browser without a session is sent to the login page" [ "$code" = "303 $CAIRN_URL/.cairn/web/login?next=%2Fdocs%2F" ]
[ -f "$E2E_TMP/web-load-10000.txt" ] && echo "web: a folder of 10,000 files loaded in $(cat "$E2E_TMP/web-load-10000.txt") ms"
echo "web: $E2E_PASSED passed, $E2E_FAILED failed (screenshots in $E2E_TMP/web-*.png)"
e2e_summary
