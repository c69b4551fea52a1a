#!/usr/bin/env bash
# End-to-end HTTP benchmark of Cairn against four WebDAV peers (Apache mod_dav, nginx,
# lighttpd, rclone), all run in the same go on this machine. See README.md here.
#   bench/http/run.sh [--only apache,nginx,...] [--workloads 1,2,3,4,5] [--cairn-jar PATH]
#                     [--user U --password P] [--quick] [--rounds N] [--keep]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
for tool in python3 curl wrk apache2 nginx lighttpd rclone; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "missing tools: ${missing[*]} (a server that is missing will fail to start and be reported)" >&2
    for tool in python3 curl wrk; do
        if [[ " ${missing[*]} " == *" $tool "* ]]; then
            echo "$tool is required" >&2
            exit 2
        fi
    done
fi
exec python3 -B "$here/bench.py" "$@"  # -B: no __pycache__ in the source tree
