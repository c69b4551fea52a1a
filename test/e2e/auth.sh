#!/usr/bin/env bash
# Users, app tokens and the administration CLI against a running Cairn: a second user made by the
# CLI while the server runs, an app token used as cadaver's password, revocation seen by the
# server, each user in their own home, and clear CLI errors.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cairn_start auth || exit 1
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

check "OPTIONS needs no credentials" test "$(code -X OPTIONS "$CAIRN_URL/")" = 200
check "GET without credentials is 401" test "$(code "$CAIRN_URL/")" = 401
check "401 carries the Basic challenge" bash -c "curl -sI '$CAIRN_URL/' | grep -qi '^WWW-Authenticate: Basic realm=\"Cairn\"'"
check "wrong password is 401" test "$(code -u "$CAIRN_USER:wrong-password" "$CAIRN_URL/")" = 401

# A second user, made by the CLI while the server runs on the same database.
echo "bob-e2e-password" | cairn_cli user add bob --password-stdin > "$E2E_TMP/useradd.out" 2>&1
check "CLI user add" grep -q "created user bob" "$E2E_TMP/useradd.out"
check "CLI user list shows admin and bob" bash -c "cairn_cli() { \"$JAVA_HOME/bin/java\" --enable-native-access=ALL-UNNAMED -jar '$CAIRN_JAR' \"\$@\" --data '$CAIRN_DATA'; }; cairn_cli user list | grep -q '^bob' && cairn_cli user list | grep -q '^admin'"
printf 'admin only\n' > "$E2E_TMP/mine.txt"
curl "${CURL_AUTH[@]}" -sf -T "$E2E_TMP/mine.txt" "$CAIRN_URL/mine.txt" >/dev/null
check "bob logs in" test "$(code -u bob:bob-e2e-password -X PROPFIND -H 'Depth: 0' "$CAIRN_URL/")" = 207
check "bob cannot read admin's file" test "$(code -u bob:bob-e2e-password "$CAIRN_URL/mine.txt")" = 404
check "bob cannot climb out with .." test "$(code -u bob:bob-e2e-password --path-as-is "$CAIRN_URL/../home:admin/mine.txt")" = 400
check "bob cannot name admin's namespace" test "$(code -u bob:bob-e2e-password "$CAIRN_URL/home:admin/mine.txt")" = 404
check "admin's file unchanged" test "$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/mine.txt")" = "admin only"

# An app token, shown once by the CLI, as cadaver's password (Finder, Explorer, davfs2 alike).
token=$(cairn_cli token create admin e2e-cadaver --expires 1h 2>"$E2E_TMP/token.err")
check "CLI token create prints a token" bash -c "[[ '$token' == cairn_* ]]"
mkdir -p "$E2E_TMP/tok-home"
printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$CAIRN_USER" "$token" > "$E2E_TMP/tok-home/.netrc"
chmod 600 "$E2E_TMP/tok-home/.netrc"
printf 'via token\n' > "$E2E_TMP/tok.txt"
printf 'put %s tok.txt\nquit\n' "$E2E_TMP/tok.txt" > "$E2E_TMP/tok.in"
(cd "$E2E_TMP" && HOME=$E2E_TMP/tok-home timeout 60 cadaver "$CAIRN_URL/" < tok.in > tok.out 2>&1)
check "cadaver with an app token as password" test "$(curl "${CURL_AUTH[@]}" -sf "$CAIRN_URL/tok.txt")" = "via token"
check "the token as a Bearer" test "$(code -H "Authorization: Bearer $token" "$CAIRN_URL/tok.txt")" = 200
id=$(cairn_cli token list admin | awk '/e2e-cadaver/ {print $1}')
check "CLI token list shows it" test -n "$id"
cairn_cli token revoke admin "$id" >/dev/null 2>&1
status=200
for _ in $(seq 1 30); do
  status=$(code -H "Authorization: Bearer $token" "$CAIRN_URL/tok.txt"); [ "$status" = 401 ] && break; sleep 0.2
done
check "revoked token refused within seconds ($status)" test "$status" = 401

# A shared namespace, granted read-only to bob: a folder in his home he can read, not write.
cairn_cli ns create team >/dev/null 2>&1
cairn_cli ns grant team admin write >/dev/null 2>&1
cairn_cli ns grant team bob read > "$E2E_TMP/grant.out" 2>&1
check "CLI ns create and grant" grep -q "bob now sees /team/" "$E2E_TMP/grant.out"
status=0
for _ in $(seq 1 30); do
  status=$(code "${CURL_AUTH[@]}" -T "$E2E_TMP/mine.txt" "$CAIRN_URL/team/notes.txt"); [ "$status" = 201 ] && break; sleep 0.2
done
check "admin writes into the shared folder ($status)" test "$status" = 201
for _ in $(seq 1 30); do
  status=$(code -u bob:bob-e2e-password "$CAIRN_URL/team/notes.txt"); [ "$status" = 200 ] && break; sleep 0.2
done
check "bob reads the shared folder ($status)" test "$status" = 200
check "bob cannot write the read-only shared folder" test "$(code -u bob:bob-e2e-password -T "$E2E_TMP/mine.txt" "$CAIRN_URL/team/bob.txt")" = 403
cairn_cli ns grant nosuch bob read > /dev/null 2> "$E2E_TMP/err5"; s5=$?
check "CLI: unknown namespace is an error ($(head -1 "$E2E_TMP/err5"))" bash -c "[ $s5 -ne 0 ] && grep -q 'no such namespace: nosuch' '$E2E_TMP/err5'"

# Clear CLI mistakes.
cairn_cli token create nobody x > /dev/null 2> "$E2E_TMP/err1"; s1=$?
check "CLI: unknown user is an error ($(head -1 "$E2E_TMP/err1"))" bash -c "[ $s1 -ne 0 ] && grep -q 'no user nobody' '$E2E_TMP/err1'"
cairn_cli token create admin x --expires soon > /dev/null 2> "$E2E_TMP/err2"; s2=$?
check "CLI: bad expiry is an error ($(head -1 "$E2E_TMP/err2"))" bash -c "[ $s2 -eq 2 ] && grep -q 'bad expiry' '$E2E_TMP/err2'"
echo "a-long-enough-password" | cairn_cli user add Bad.Name --password-stdin > /dev/null 2> "$E2E_TMP/err3"; s3=$?
check "CLI: bad user name is an error ($(head -1 "$E2E_TMP/err3"))" bash -c "[ $s3 -ne 0 ] && grep -q 'a user name is' '$E2E_TMP/err3'"
echo "short" | cairn_cli user add goodname --password-stdin > /dev/null 2> "$E2E_TMP/err6"; s6=$?
check "CLI: short password is an error ($(head -1 "$E2E_TMP/err6"))" bash -c "[ $s6 -ne 0 ] && grep -q 'at least 8 characters' '$E2E_TMP/err6'"
cairn_cli frobnicate > /dev/null 2> "$E2E_TMP/err4"; s4=$?
check "CLI: unknown command is an error" test $s4 -eq 2
e2e_summary
