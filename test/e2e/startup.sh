#!/usr/bin/env bash
# Starting Cairn as an operator meets it: --version; a port that is taken gives one line and exit 1
# (no stack trace) and creates no admin whose one-time password would scroll away; the next start
# prints the password and where the data is; the data directory is 0700 and the journal 0600.
# bin/cairn works from any directory with an older `java` first on the PATH, relative paths are
# the caller's, and its --help names every command.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CAIRN_JAR")

out=$("${JAVA[@]}" --version 2>&1)
check "--version names Cairn's version ($out)" eval '[[ "$out" =~ ^cairn\ [0-9]+\.[0-9]+\.[0-9]+ ]]'

data=$E2E_TMP/startup-data
port=$(e2e_free_port)
python3 -c "import socket,time,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(1); time.sleep(30)" "$port" &
holder=$!
E2E_PIDS+=("$holder")
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
check "the port is taken by another program" eval '(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null'
"${JAVA[@]}" --port "$port" --data "$data" >"$E2E_TMP/taken.out" 2>"$E2E_TMP/taken.err"
rc=$?
check "a taken port: exit 1 ($rc)" test "$rc" = 1
check "a taken port: one line saying so, no stack trace ($(head -c 200 "$E2E_TMP/taken.err"))" \
  eval 'grep -q "the address is in use" "$E2E_TMP/taken.err" && ! grep -qE "Exception|^\s+at " "$E2E_TMP/taken.err"'
check "a taken port: no admin password printed (none was created)" eval '! grep -q "password" "$E2E_TMP/taken.out"'
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

"${JAVA[@]}" --port "$port" --data "$data" >"$E2E_TMP/first.out" 2>"$E2E_TMP/first.err" &
server=$!
E2E_PIDS+=("$server")
for _ in $(seq 1 60); do grep -q "Created the user 'admin'" "$E2E_TMP/first.out" && break; sleep 0.5; done
pw=$(sed -n "s/^Created the user 'admin' with the password: //p" "$E2E_TMP/first.out")
check "the next start prints the admin password once the port is bound" test -n "$pw"
check "and the password works" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$pw" -X PROPFIND -H 'Depth: 0' "http://127.0.0.1:$port/")" = 207
check "the start says where the data is" grep -q "data in $data" "$E2E_TMP/first.err"
check "the data directory is 0700 ($(stat -c %a "$data"))" test "$(stat -c %a "$data")" = 700
check "the journal is 0600 ($(stat -c %a "$data/journal.db"))" test "$(stat -c %a "$data/journal.db")" = 600
# A second node on this host whose management port is the first one's WebDAV port.
CAIRN_MANAGEMENT_PORT=$port "${JAVA[@]}" --port "$(e2e_free_port)" --data "$E2E_TMP/second-data" \
  >"$E2E_TMP/second.out" 2>"$E2E_TMP/second.err"
rc=$?
check "a taken management port: exit 1, one line naming management.port ($(head -c 300 "$E2E_TMP/second.err"))" \
  eval '[ "$rc" = 1 ] && grep -q "management.port" "$E2E_TMP/second.err" && ! grep -qE "Exception|^\s+at " "$E2E_TMP/second.err"'
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
# bin/cairn as a new user meets it: another directory, Java 17 first on the PATH, no JAVA_HOME.
old_java=$(ls -d /usr/lib/jvm/java-17-openjdk-*/bin 2>/dev/null | head -1)
caller=$E2E_TMP/elsewhere
mkdir -p "$caller"
cairn_old_path() { # runs bin/cairn from $caller with Java 17 (when installed) first on the PATH
  (cd "$caller" && env -u JAVA_HOME -u CAIRN_JAR PATH="${old_java:+$old_java:}$PATH" "$E2E_ROOT/bin/cairn" "$@")
}
[ -n "$old_java" ] && check "the PATH's java is older than 21 ($("$old_java/java" -version 2>&1 | head -1))" \
  eval '! "$old_java/java" -version 2>&1 | grep -qE "version \"(2[1-9]|[3-9][0-9])"'
out=$(cairn_old_path --version 2>"$E2E_TMP/cairn-version.err")   # stderr: a build, when the sources are newer
check "bin/cairn --version from another directory ($out)" eval '[[ "$out" =~ ^cairn\ [0-9]+\.[0-9]+\.[0-9]+ ]]'
out=$(echo "a-long-enough-password" | cairn_old_path user add alice --password-stdin --data rel-data 2>&1)
check "bin/cairn user add against a relative --data ($out)" eval '[[ "$out" == *"created user alice"* ]]'
check "the relative --data is the caller's" test -f "$caller/rel-data/journal.db"
check "and not the checkout's" test ! -e "$E2E_ROOT/rel-data"
out=$(cairn_old_path user list --data rel-data 2>&1)
check "bin/cairn user list finds alice there ($out)" eval '[[ "$out" == *alice* ]]'
out=$(cairn_old_path user --help 2>/dev/null); rc=$?
check "bin/cairn user --help: that command's usage, exit 0 ($rc)" eval '[ "$rc" = 0 ] && [[ "$out" == *"user passwd NAME"* ]] && [[ "$out" != *"ns grant"* ]]'
out=$(cairn_old_path usr add bob 2>&1); rc=$?
check "a mistyped command says what was meant, exit 2 ($out)" eval '[ "$rc" = 2 ] && [[ "$out" == *"did you mean user?"* ]]'
out=$(cairn_old_path fsck --verfy 2>&1 >/dev/null); rc=$?
check "a mistyped option: one line naming the nearest and the usage, exit 2 ($out)" \
  eval '[ "$rc" = 2 ] && [ "$(printf "%s\n" "$out" | wc -l)" = 1 ] && [[ "$out" == *"did you mean --verify?"* ]] && [[ "$out" == *"usage: cairn fsck"* ]]'
out=$(cairn_old_path help gc 2>/dev/null); rc=$?
check "bin/cairn help gc: that command's usage, exit 0 ($rc)" eval '[ "$rc" = 0 ] && [[ "$out" == *"gc [--dry-run]"* ]]'
help=$(cairn_old_path --help 2>&1)
for command in "user add" "user passwd" "user remove" "user list" "token create" "token list" "token revoke" \
    "quota set" "ns create" "ns grant" "ns revoke" "fsck" "gc [--dry-run]" "backup TARGET_DIR" "cairn sync" "--port" "--data" "--config" "--version"; do
  check "bin/cairn --help lists $command" eval '[[ "$help" == *"$command"* ]]'
done
out=$(cd "$caller" && env -u JAVA_HOME PATH="${old_java:+$old_java:}$PATH" "$E2E_ROOT/bin/run" --version 2>&1)
check "bin/run is still the same command ($out)" eval '[[ "$out" =~ ^cairn\ [0-9] ]]'
e2e_summary
