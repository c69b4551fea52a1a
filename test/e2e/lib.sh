# Helpers for the end-to-end tests: start a real Cairn from the fat jar on a free loopback port.
# Sourced by the scripts beside it; expects JAVA_HOME (bin/test sets it).

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CAIRN_JAR=${CAIRN_JAR:-$E2E_ROOT/server/target/cairn.jar}
E2E_TMP=${E2E_TMP:-$(mktemp -d /tmp/cairn-e2e.XXXXXX)}
E2E_PIDS=()

e2e_cleanup() {
  local pid
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap e2e_cleanup EXIT

# A port nothing holds, with the next one free too (a server's management port defaults to it),
# below the kernel's ephemeral range: a port an outgoing connection holds there cannot be bound on
# 0.0.0.0 although nothing listens on it (a hardening run once failed so, "address in use").
e2e_free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 12000 ] 2>/dev/null || low=32768
  for _ in $(seq 1 50); do
    port=$((10000 + RANDOM % (low - 10002)))
    if [ -z "$(ss -Htan "( sport = :$port or sport = :$((port + 1)) )" 2>/dev/null)" ]; then
      echo "$port"; return 0
    fi
  done
  echo "no free port found" >&2; return 1
}

# cairn_start NAME [java options...] -- [server flags...]
# Sets CAIRN_PORT, CAIRN_URL, CAIRN_DATA, CAIRN_PID, CAIRN_LOG, and exports CAIRN_USER and
# CAIRN_PASSWORD: the admin the server creates on its first start (CAIRN_ADMIN_PASSWORD).
# CURL_AUTH holds curl's options to send them: curl "${CURL_AUTH[@]}" ...
cairn_start() {
  local name=$1; shift
  local jopts=() sflags=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jopts+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  sflags=("$@")
  [ -f "$CAIRN_JAR" ] || { echo "FAIL: $CAIRN_JAR is missing: build with mvn package first" >&2; return 1; }
  CAIRN_PORT=$(e2e_free_port)
  CAIRN_DATA=$E2E_TMP/$name
  CAIRN_LOG=$E2E_TMP/$name.log
  mkdir -p "$CAIRN_DATA"
  export CAIRN_USER=admin
  export CAIRN_PASSWORD=${CAIRN_PASSWORD:-e2e-$RANDOM$RANDOM-secret}
  CURL_AUTH=(-u "$CAIRN_USER:$CAIRN_PASSWORD")
  CAIRN_ADMIN_PASSWORD=$CAIRN_PASSWORD "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${jopts[@]}" -jar "$CAIRN_JAR" \
    --port "$CAIRN_PORT" --data "$CAIRN_DATA" "${sflags[@]}" >"$CAIRN_LOG" 2>&1 &
  CAIRN_PID=$!
  E2E_PIDS+=("$CAIRN_PID")
  CAIRN_URL=http://127.0.0.1:$CAIRN_PORT
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null -X OPTIONS "$CAIRN_URL/"; then return 0; fi
    kill -0 "$CAIRN_PID" 2>/dev/null || { echo "FAIL: cairn exited at start:" >&2; tail -30 "$CAIRN_LOG" >&2; return 1; }
    sleep 0.5
  done
  echo "FAIL: cairn did not answer on $CAIRN_URL within 60 s" >&2; tail -30 "$CAIRN_LOG" >&2; return 1
}

# Counts for the closing line: every check adds to one of these.
E2E_PASSED=0
E2E_FAILED=0
pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "ok   - $*"; }
fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
# cairn_cli ARGS...: the administration commands against the running server's data directory.
cairn_cli() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR" "$@" --data "$CAIRN_DATA"
}
e2e_summary() { # prints the result file line for run-all.sh; exit status = failures
  echo "$E2E_PASSED $E2E_FAILED" > "${E2E_RESULT:-/dev/null}"
  [ "$E2E_FAILED" -eq 0 ]
}
