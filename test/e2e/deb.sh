#!/usr/bin/env bash
# The Debian package as an administrator meets it: dpkg -i installs `cairn` on the PATH, the cairn
# user, /var/lib/cairn (0700) and /etc/cairn/cairn.properties; the unit passes systemd-analyze
# verify; the installed command, run as the cairn user with the installed configuration, serves a
# WebDAV round trip; dpkg --purge removes the command, the user and /etc/cairn.
# Needs root and dpkg; skipped (no checks) otherwise, and when a cairn package or user is there
# already (not this test's to replace).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null || ! command -v setpriv >/dev/null; then
  echo "skip: the package test needs root, dpkg and setpriv"; e2e_summary; exit 0
fi
if dpkg -s cairn >/dev/null 2>&1 || getent passwd cairn >/dev/null || [ -e /var/lib/cairn ] || [ -e /etc/cairn ]; then
  echo "skip: a cairn package, user or directory is on this machine already"; e2e_summary; exit 0
fi
deb=$(ls -t "$E2E_ROOT"/server/target/cairn_*_all.deb 2>/dev/null | head -1)
check "the build made a package ($deb)" test -f "$deb"
[ -f "$deb" ] || { e2e_summary; exit 1; }

purge() { dpkg --purge cairn >/dev/null 2>&1; rm -rf /var/lib/cairn; }
trap 'e2e_cleanup; purge' EXIT

dpkg -i "$deb" >"$E2E_TMP/dpkg-i.out" 2>&1
check "dpkg -i installs it ($(tail -1 "$E2E_TMP/dpkg-i.out"))" test $? = 0
check "cairn is on the PATH ($(command -v cairn))" test "$(command -v cairn)" = /usr/bin/cairn
check "a cairn system user ($(getent passwd cairn))" eval 'getent passwd cairn | grep -q ":/var/lib/cairn:/usr/sbin/nologin$"'
check "/var/lib/cairn is the user's, 0700 ($(stat -c '%U:%G %a' /var/lib/cairn))" \
  test "$(stat -c '%U:%G %a' /var/lib/cairn)" = "cairn:cairn 700"
check "/etc/cairn/cairn.properties is readable by cairn only ($(stat -c '%U:%G %a' /etc/cairn/cairn.properties))" \
  test "$(stat -c '%U:%G %a' /etc/cairn/cairn.properties)" = "root:cairn 640"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/cairn.service >"$E2E_TMP/verify.out" 2>&1
  rc=$?
  check "systemd-analyze verify accepts the unit, without a warning ($(head -c 300 "$E2E_TMP/verify.out"))" \
    eval '[ "$rc" = 0 ] && [ ! -s "$E2E_TMP/verify.out" ]'
fi
check "the unit stops gracefully on 143 and is sandboxed" \
  eval 'grep -q "^SuccessExitStatus=143" /lib/systemd/system/cairn.service && grep -q "^ProtectSystem=strict" /lib/systemd/system/cairn.service && grep -q "^NoNewPrivileges=yes" /lib/systemd/system/cairn.service'

# The installed command as the service runs it: user cairn, the installed configuration, no JAVA_HOME.
port=$(e2e_free_port)
password=deb-$RANDOM$RANDOM-secret
(cd /var/lib/cairn && exec setpriv --reuid=cairn --regid=cairn --init-groups \
  env -u JAVA_HOME CAIRN_ADMIN_PASSWORD="$password" CAIRN_PORT="$port" CAIRN_MANAGEMENT_PORT=0 \
  cairn --config /etc/cairn/cairn.properties) >"$E2E_TMP/deb-server.log" 2>&1 &
server=$!
E2E_PIDS+=("$server")
for _ in $(seq 1 120); do
  curl -s -o /dev/null -X OPTIONS "http://127.0.0.1:$port/" && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
check "the installed cairn serves as user cairn ($(tail -2 "$E2E_TMP/deb-server.log" | head -c 300))" \
  curl -s -o /dev/null -X OPTIONS "http://127.0.0.1:$port/"
head -c 100000 /dev/urandom >"$E2E_TMP/deb-put.bin"
check "PUT answers 201" test "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$password" -T "$E2E_TMP/deb-put.bin" "http://127.0.0.1:$port/round-trip.bin")" = 201
curl -s -u "admin:$password" -o "$E2E_TMP/deb-get.bin" "http://127.0.0.1:$port/round-trip.bin"
check "GET returns the same bytes" cmp -s "$E2E_TMP/deb-put.bin" "$E2E_TMP/deb-get.bin"
check "the journal is in /var/lib/cairn, the user's, 0600 ($(stat -c '%U %a' /var/lib/cairn/journal.db 2>&1))" \
  test "$(stat -c '%U %a' /var/lib/cairn/journal.db)" = "cairn 600"
kill "$server"; wait "$server"; rc=$?
check "SIGTERM stops it with 143, the unit's SuccessExitStatus ($rc)" test "$rc" = 143

dpkg --purge cairn >"$E2E_TMP/dpkg-purge.out" 2>&1
check "dpkg --purge removes it ($(tail -1 "$E2E_TMP/dpkg-purge.out"))" test $? = 0
check "no cairn on the PATH, no cairn user, no /etc/cairn" \
  eval '! command -v cairn >/dev/null && ! getent passwd cairn >/dev/null && [ ! -e /etc/cairn ]'
check "the stored files stay in /var/lib/cairn" test -f /var/lib/cairn/journal.db
e2e_summary
