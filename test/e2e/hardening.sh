#!/usr/bin/env bash
# The security review's attacks (issue 10) against the running jar over raw sockets: bodies before
# authentication, request smuggling, slow and idle clients, connection floods, login lockouts
# behind a proxy, Unicode names, and the smaller items (507 before the body, 413, roots, the
# management port's address). The limits are set
# short here so that every check ends in seconds; hardening.py has the attacks.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cat > "$E2E_TMP/hardening.properties" <<'CONF'
http.head.timeout.seconds = 2
http.body.rate.window.seconds = 2
http.body.min.rate = 1K
http.max.connections.per.address = 20
http.trusted.proxies = 127.0.0.2
CONF
cairn_start hardening -Xmx512m -- --config "$E2E_TMP/hardening.properties" --bind 0.0.0.0 || exit 1
MPORT=$((CAIRN_PORT + 1))

out=$(python3 "$(dirname "$0")/hardening.py" "$CAIRN_PORT" "$MPORT" "$CAIRN_USER" "$CAIRN_PASSWORD" "$CAIRN_PID")
echo "$out"
E2E_PASSED=$((E2E_PASSED + $(grep -c '^ok ' <<<"$out")))
E2E_FAILED=$((E2E_FAILED + $(grep -c '^FAIL' <<<"$out")))
# The management port answers without credentials: it stays on loopback even when WebDAV does not.
listening_on() { ss -Hltn "sport = :$1" | awk '{print $4}' | tr '\n' ' '; }
dav_addr=$(listening_on "$CAIRN_PORT"); mgmt_addr=$(listening_on "$MPORT")
check "with --bind 0.0.0.0 WebDAV listens on every address ($dav_addr)" \
  bash -c "grep -qE '(^|[ ])(0\.0\.0\.0|\*|\[::\]):' <<<'$dav_addr'"
check "... and the management port on loopback only ($mgmt_addr)" \
  bash -c "grep -q '127\.0\.0\.1' <<<'$mgmt_addr' && ! grep -qE '(^|[ ])(0\.0\.0\.0|\*|\[::\]):' <<<'$mgmt_addr'"
# One edge for every front: the admin API's requests get the same access line and metrics.
check "an admin API request has its access line, with status and user" \
  grep -qE 'method=POST path=/.cairn/admin/users status=201 .* user=admin' "$CAIRN_LOG"
check "... and its request metrics, tagged front=admin" \
  bash -c "curl -sf 'http://127.0.0.1:$MPORT/metrics' | grep -qE '^cairn_http_requests_total\{.*front=\"admin\".*status=\"2xx\"'"
check "the server is still up and logged no stack trace" \
  bash -c "kill -0 $CAIRN_PID && ! grep -q '^\s*at ' '$CAIRN_LOG'"
e2e_summary
