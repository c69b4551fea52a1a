#!/usr/bin/env bash
# Metrics proven against a real Prometheus: a running Cairn (the fat jar) under a little WebDAV load
# is scraped every second by Prometheus (its own process, config and storage in the temp dir), then
# every PromQL expression of every panel of every dashboard in dashboards/ is evaluated through
# Prometheus's HTTP API and must parse and return data. Every metric docs/metrics.md lists must be
# in Prometheus too. A renamed metric, a typo in a query, or a panel with no data fails this script.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
DASHBOARDS=$E2E_ROOT/dashboards
DOC=$E2E_ROOT/docs/metrics.md

MGMT_PORT=$(e2e_free_port)
printf 'management.port = %s\n' "$MGMT_PORT" > "$E2E_TMP/metrics.properties"
cairn_start metrics -- --config "$E2E_TMP/metrics.properties" || exit 1
MGMT_URL=http://127.0.0.1:$MGMT_PORT
# Every WebDAV request goes through here: with credentials when lib.sh provides them (CURL_AUTH).
dav() { curl -s --max-time 30 ${CURL_AUTH[@]+"${CURL_AUTH[@]}"} "$@"; }
code() { dav -o /dev/null -w '%{http_code}' "$@"; }

check "/healthz answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$MGMT_URL/healthz")" = 200
check "/readyz answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$MGMT_URL/readyz")" = 200
check "/metrics is not taken from the WebDAV port" test "$(code "$CAIRN_URL/metrics")" = 404

# Prometheus: its own process on a free loopback port, scraping every second.
PROM_PORT=$(e2e_free_port)
PROM_DIR=$E2E_TMP/prometheus
mkdir -p "$PROM_DIR/data"
cat > "$PROM_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $E2E_ROOT/conf/alerts.yml
scrape_configs:
  - job_name: cairn
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$MGMT_PORT']
YML
prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$PROM_DIR/prometheus.log" 2>&1 &
E2E_PIDS+=($!)
PROM=http://127.0.0.1:$PROM_PORT
for _ in $(seq 1 60); do curl -sf -o /dev/null "$PROM/-/ready" && break; sleep 0.5; done
check "prometheus is ready" curl -sf -o /dev/null "$PROM/-/ready" || { tail -20 "$PROM_DIR/prometheus.log"; e2e_summary; exit 1; }

# A little WebDAV load, bounded: 12 rounds of every method, including answers that are errors.
lockinfo='<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>e2e</D:owner></D:lockinfo>'
proppatch='<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:e2e"><D:set><D:prop><Z:tag>x</Z:tag></D:prop></D:set></D:propertyupdate>'
head -c 700000 /dev/urandom > "$E2E_TMP/shared.bin"
load_ok=0
dav -X MKCOL "$CAIRN_URL/load/" -o /dev/null
for i in $(seq 1 12); do
  head -c $((50000 + i * 20000)) /dev/urandom > "$E2E_TMP/load.bin"
  [ "$(code -T "$E2E_TMP/load.bin" "$CAIRN_URL/load/f$i.bin")" = 201 ] && load_ok=$((load_ok + 1))
  code -T "$E2E_TMP/shared.bin" "$CAIRN_URL/load/same$i.bin" >/dev/null   # the same bytes: dedup
  code "$CAIRN_URL/load/f$i.bin" >/dev/null
  code -I "$CAIRN_URL/load/f$i.bin" >/dev/null
  code -X PROPFIND -H 'Depth: 1' "$CAIRN_URL/load/" >/dev/null
  code -X PROPPATCH -H 'Content-Type: application/xml' --data "$proppatch" "$CAIRN_URL/load/f$i.bin" >/dev/null
  code -X COPY -H "Destination: $CAIRN_URL/load/c$i.bin" "$CAIRN_URL/load/f$i.bin" >/dev/null
  code -X MOVE -H "Destination: $CAIRN_URL/load/m$i.bin" "$CAIRN_URL/load/c$i.bin" >/dev/null
  code -X DELETE "$CAIRN_URL/load/m$i.bin" >/dev/null
  code "$CAIRN_URL/load/missing$i" >/dev/null                               # 404
  token=$(dav -D - -o /dev/null -X LOCK -H 'Content-Type: application/xml' --data "$lockinfo" \
    "$CAIRN_URL/load/f$i.bin" | tr -d '\r' | awk -F': ' 'tolower($1) == "lock-token" {print $2}')
  code -X PUT --data 'no token' "$CAIRN_URL/load/f$i.bin" >/dev/null       # 423
  [ $((i % 3)) -ne 0 ] && [ -n "$token" ] && code -X UNLOCK -H "Lock-Token: $token" "$CAIRN_URL/load/f$i.bin" >/dev/null
  sleep 0.5
done
check "load: 12 PUTs answered 201 ($load_ok)" test "$load_ok" = 12
sleep 4   # a few more scrapes after the load

prom_query() { # prints the JSON answer of an instant query
  curl -s --max-time 30 -G "$PROM/api/v1/query" --data-urlencode "query=$1"
}
has_data() { # has_data EXPR: the query succeeds and returns at least one sample
  local answer; answer=$(prom_query "$1")
  if [ "$(jq -r '.status' <<<"$answer" 2>/dev/null)" = success ] \
    && [ "$(jq -r '.data.result | length' <<<"$answer")" -gt 0 ]; then return 0; fi
  echo "     query: $1" >&2
  echo "     answer: $(head -c 400 <<<"$answer")" >&2
  return 1
}
check "prometheus scrapes cairn (up == 1)" has_data 'up{job="cairn"} == 1'

# Every metric docs/metrics.md documents is in Prometheus (histograms by their buckets).
docs=$(grep -oE '^\| `[a-z_:][a-z0-9_:]*` \| [a-z]+ \|' "$DOC" | sed -E 's/^\| `([^`]*)` \| ([a-z]+) \|/\1 \2/')
check "docs/metrics.md lists metrics" test "$(wc -l <<<"$docs")" -ge 15
while read -r name type; do
  case $type in histogram) series=${name}_bucket ;; summary) series=${name}_count ;; *) series=$name ;; esac
  check "documented metric $name is in prometheus" has_data "count($series)"
done <<<"$docs"

# Every dashboard query, with Grafana's variables replaced as Grafana would for "All" instances.
substitute() {
  sed -e 's/\$__rate_interval/1m/g; s/\$__interval/15s/g; s/\$__range/5m/g' \
      -e 's/\${instance}/.*/g; s/\$instance/.*/g'
}
n=0
for dashboard in "$DASHBOARDS"/*.json; do
  base=$(basename "$dashboard")
  check "$base is valid JSON" jq empty "$dashboard"
  before=$n
  while IFS=$'\t' read -r title expr; do
    n=$((n + 1))
    q=$(printf '%s' "$expr" | substitute)
    check "$base: $title: $expr" has_data "$q"
  done < <(jq -r '.. | objects | select(has("targets")) | .title as $t | .targets[] | [$t, .expr] | @tsv' "$dashboard")
  check "$base has queries ($((n - before)))" test $((n - before)) -gt 0
  # Template variables of the form label_values(metric, label) must find values.
  while IFS=$'\t' read -r metric label; do
    values=$(curl -s -G "$PROM/api/v1/label/$label/values" --data-urlencode "match[]=$metric" | jq -r '.data | length')
    check "$base: variable label_values($metric, $label) has values" test "${values:-0}" -gt 0
  done < <(jq -r '.templating.list[] | select(.type == "query") | .query.query // .query
    | capture("label_values\\((?<m>[^,]+),\\s*(?<l>[^)]+)\\)") | [.m, .l] | @tsv' "$dashboard")
done
check "the dashboards hold queries ($n)" test "$n" -ge 30

# The shipped alert rules: valid, their own tests pass (each fires on its trouble, not beside
# it), and against this live, healthy node every rule evaluates cleanly and none fires.
check "promtool check rules conf/alerts.yml" promtool check rules "$E2E_ROOT/conf/alerts.yml"
check "promtool test rules conf/alerts.test.yml" promtool test rules "$E2E_ROOT/conf/alerts.test.yml"
rules=$(curl -s "$PROM/api/v1/rules")
check "prometheus loaded every alert rule ($(jq '[.data.groups[].rules[]] | length' <<<"$rules") rules)" \
  test "$(jq '[.data.groups[].rules[]] | length' <<<"$rules")" = "$(grep -c '^      - alert:' "$E2E_ROOT/conf/alerts.yml")"
check "every alert rule evaluates cleanly against the live node" \
  test "$(jq '[.data.groups[].rules[] | select(.health != "ok")] | length' <<<"$rules")" = 0
check "no alert is pending or firing on a healthy node ($(curl -s "$PROM/api/v1/alerts" | jq -c '[.data.alerts[].labels.alertname]'))" \
  test "$(curl -s "$PROM/api/v1/alerts" | jq '.data.alerts | length')" = 0

# The structured access line is there, one per request.
check "access log lines are key=value" grep -qE 'access - method=PUT path=/load/f1.bin status=201 bytes_in=[0-9]+ bytes_out=0 duration_ms=[0-9.]+ remote=' "$CAIRN_LOG"
e2e_summary
