#!/usr/bin/env bash
# Starts the emulated remote Hub (delay proxies → nginx TLS/h2 → hubscout serve over the latency fixtures) and waits,
# printing what to export, so any client can be tried by hand. Ctrl-C stops everything.
#
# Usage: scripts/latency/serve.sh [RTT_MS]        (default 50)
# Env:   HUBSCOUT (binary for `serve`; default .build/release/hubscout), FIXTURES, TLS=0, RATE, WINDOW (see README.md)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LT_HERE="$ROOT/scripts/latency"
RTT=${1:-50}
HUBSCOUT=${HUBSCOUT:-$ROOT/.build/release/hubscout}
FIXTURES=${FIXTURES:-/tmp/hubscout-latency-fixtures}
VENV=${VENV:-$ROOT/.venv-latency}
# shellcheck source=stack.sh
. "$LT_HERE/stack.sh"
LT_WORK=$(mktemp -d /tmp/hubscout-latency.XXXXXX)
trap 'lt_stack_down; rm -rf "$LT_WORK"' EXIT
trap 'exit 130' INT TERM

if [ ! -f "$FIXTURES/.latency-fixtures" ]; then
    [ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check huggingface_hub gguf numpy; }
    "$VENV/bin/python" "$LT_HERE/make-fixtures.py" "$FIXTURES"
fi
lt_stack_up
lt_proxies_up "$RTT"
cat <<EOF
emulating a link with RTT ${RTT} ms (rate ${RATE:-0} B/s, window ${WINDOW:-16Mi}); requests are logged to $LT_WORK/access.log
  export HF_ENDPOINT=$ENDPOINT
  export SSL_CERT_FILE=$CA_FILE CURL_CA_BUNDLE=$CA_FILE REQUESTS_CA_BUNDLE=$CA_FILE HF_HUB_DISABLE_XET=1
Ctrl-C to stop.
EOF
sleep infinity &
LT_PIDS+=($!)
wait $! || true
