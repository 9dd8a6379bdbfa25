#!/usr/bin/env bash
# Download benchmark: one large file served by nginx on 127.0.0.1 (Hub API stubs) and 127.0.0.2 (the "CDN"),
# fetched by curl, hubscout (1 and N connections, sha256 verified) and, when PyPI is reachable, `hf download`.
# Prints median throughput and peak RSS side by side.
#
# Usage: Benchmarks/download-bench.sh [SIZE_MIB] [RUNS]      (defaults: 1024 MiB, 3 runs)
# Env:   CONNECTIONS=4   SKIP_BUILD=1 (reuse .build/release/hubscout)   HUBSCOUT=/path/to/hubscout
#        NO_HF=1 (skip hf download)   SERVER=hubscout (use `hubscout serve` instead of nginx)
set -euo pipefail

SIZE_MIB=${1:-1024}
RUNS=${2:-3}
CONNECTIONS=${CONNECTIONS:-4}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/hubscout-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers run as an unprivileged user
SERVER_PIDS=()

cleanup() {
    for pid in "${SERVER_PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; }
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
    else
        return 1
    fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- tools -------------------------------------------------------------------------------------------
[ -x /usr/bin/time ] || apt_install time || { log "GNU time is required (/usr/bin/time)"; exit 1; }
SERVER=${SERVER:-nginx}
if [ "$SERVER" = nginx ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx-light || apt_install nginx || { log "nginx unavailable; falling back to hubscout serve"; SERVER=hubscout; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

HUBSCOUT=${HUBSCOUT:-$ROOT/.build/release/hubscout}
if [ -z "${SKIP_BUILD:-}" ] || [ ! -x "$HUBSCOUT" ]; then
    log "building hubscout (release; several minutes on 2 cores)"
    (cd "$ROOT" && swift build -c release --product hubscout >/dev/null)
fi

# --- data: an HF-cache-shaped repo bench/big with one LFS file -----------------------------------------
SIZE=$((SIZE_MIB * 1024 * 1024))
REPO_DIR="$WORK/www/models--bench--big"
mkdir -p "$REPO_DIR/blobs" "$WORK/www/files"
log "generating $SIZE_MIB MiB of random data"
head -c "$SIZE" /dev/urandom > "$WORK/www/files/big.bin"
chmod -R a+rX "$WORK/www"
SHA=$(sha256sum "$WORK/www/files/big.bin" | cut -d' ' -f1)
COMMIT=$(printf 'bench %s' "$SHA" | sha1sum | cut -d' ' -f1)
BLOBID=$(printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' "$SHA" "$SIZE" | git hash-object --stdin 2>/dev/null || echo "$COMMIT")
ln "$WORK/www/files/big.bin" "$REPO_DIR/blobs/$SHA"
mkdir -p "$REPO_DIR/snapshots/$COMMIT" "$REPO_DIR/refs"
ln -s "../../blobs/$SHA" "$REPO_DIR/snapshots/$COMMIT/big.bin"
printf '%s' "$COMMIT" > "$REPO_DIR/refs/main"
INFO="{\"id\":\"bench/big\",\"modelId\":\"bench/big\",\"sha\":\"$COMMIT\",\"private\":false,\"gated\":false,\"tags\":[],\"siblings\":[{\"rfilename\":\"big.bin\",\"size\":$SIZE,\"blobId\":\"$BLOBID\",\"lfs\":{\"sha256\":\"$SHA\",\"size\":$SIZE,\"pointerSize\":134}}]}"
TREE="[{\"type\":\"file\",\"oid\":\"$BLOBID\",\"size\":$SIZE,\"path\":\"big.bin\",\"lfs\":{\"oid\":\"$SHA\",\"size\":$SIZE,\"pointerSize\":134}}]"
printf '%s' "$INFO" > "$WORK/www/info.json"
printf '%s' "$TREE" > "$WORK/www/tree.json"
chmod a+r "$WORK/www/info.json" "$WORK/www/tree.json"

API_PORT=$(free_port)
FILE_PORT=$(free_port)
if [ "$SERVER" = nginx ]; then
    cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
daemon on;
events { worker_connections 256; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $WORK/tmp-body; proxy_temp_path $WORK/tmp-proxy; fastcgi_temp_path $WORK/tmp-fcgi;
    uwsgi_temp_path $WORK/tmp-uwsgi; scgi_temp_path $WORK/tmp-scgi;
    server {
        listen 127.0.0.1:$API_PORT;
        root $WORK/www;
        location ~ ^/api/models/bench/big/tree/ { default_type application/json; rewrite ^ /tree.json break; }
        location ~ ^/api/models/bench/big(/revision/[^/]+)?\$ { default_type application/json; rewrite ^ /info.json break; }
        location ~ ^/bench/big/resolve/[^/]+/big\.bin\$ {
            add_header X-Repo-Commit $COMMIT always;
            add_header X-Linked-Etag '"$SHA"' always;
            add_header X-Linked-Size $SIZE always;
            add_header Accept-Ranges bytes always;
            return 302 http://127.0.0.2:$FILE_PORT/files/big.bin;
        }
    }
    server {
        listen 127.0.0.2:$FILE_PORT;
        root $WORK/www;
        location /files/ { }
    }
}
CONF
    "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" 2>"$WORK/nginx-start.log" || { cat "$WORK/nginx-start.log" >&2; exit 1; }
    SERVER_NAME="nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///')"
    CURL_URL="http://127.0.0.2:$FILE_PORT/files/big.bin"
else
    "$HUBSCOUT" serve "$WORK/www" --port "$API_PORT" --file-port "$FILE_PORT" >"$WORK/serve.log" 2>&1 &
    SERVER_PIDS+=($!)
    SERVER_NAME="hubscout serve"
    CURL_URL="http://127.0.0.1:$API_PORT/bench/big/resolve/main/big.bin"
fi
ENDPOINT="http://127.0.0.1:$API_PORT"
for _ in $(seq 1 50); do curl -sf -o /dev/null -I "$ENDPOINT/api/models/bench/big" && break; sleep 0.2; done

# --- hf (optional) -----------------------------------------------------------------------------------
HF=""
if [ -z "${NO_HF:-}" ]; then
    if python3 -m venv "$WORK/venv" >/dev/null 2>&1 && "$WORK/venv/bin/pip" install -q huggingface_hub >/dev/null 2>&1; then
        HF="$WORK/venv/bin/hf"
        [ -x "$HF" ] || HF=""
    fi
    [ -n "$HF" ] || log "huggingface_hub could not be installed; skipping hf download"
fi

# --- measurement -------------------------------------------------------------------------------------
# run NAME CLEAN_DIR COMMAND...: runs RUNS times under /usr/bin/time -v, checks the output, records wall s and max RSS KiB.
declare -A WALLS RSSES CPUS
run() {
    local name=$1 clean=$2 check=$3; shift 3
    local walls=() rsses=() cpus=()
    for i in $(seq 1 "$RUNS"); do
        rm -rf "$clean"; mkdir -p "$clean"
        sync; sleep 0.5
        if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"; then
            log "$name failed:"; tail -5 "$WORK/err.txt" >&2; return 0
        fi
        local file; file=$(eval echo "$check")
        if [ ! -f "$file" ] || [ "$(stat -L -c %s "$file")" != "$SIZE" ]; then log "$name produced no complete file ($file)"; return 0; fi
        if [ "$i" = 1 ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$SHA" ]; then log "$name: wrong sha256"; return 0; fi
        local wall rss
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
        local cpu
        cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt")
        walls+=("$wall"); rsses+=("$rss"); cpus+=("$cpu")
    done
    WALLS[$name]=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    RSSES[$name]=$(printf '%s\n' "${rsses[@]}" | sort -n | awk '{a[NR]=$1} END {print a[NR]}')
    CPUS[$name]=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    ORDER+=("$name")
}
ORDER=()

log "server: $SERVER_NAME; file: $SIZE_MIB MiB; runs: $RUNS"
run "curl -o" "$WORK/curl" "\$WORK/curl/big.bin" curl -sf -o "$WORK/curl/big.bin" "$CURL_URL"
export HF_ENDPOINT="$ENDPOINT" HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_PROGRESS_BARS=1 HF_HUB_DISABLE_XET=1
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN || true
HS_FILE="\$WORK/hs/models--bench--big/snapshots/$COMMIT/big.bin"
HF_HOME="$WORK/hf-home" run "hubscout 1 conn" "$WORK/hs" "$HS_FILE" "$HUBSCOUT" download bench/big --cache-dir "$WORK/hs" --connections 1
HF_HOME="$WORK/hf-home" run "hubscout $CONNECTIONS conn" "$WORK/hs" "$HS_FILE" "$HUBSCOUT" download bench/big --cache-dir "$WORK/hs" --connections "$CONNECTIONS"
if [ -n "$HF" ]; then
    HF_HOME="$WORK/hf-home" run "hf download" "$WORK/hf" "\$WORK/hf/models--bench--big/snapshots/$COMMIT/big.bin" \
        env HF_HUB_CACHE="$WORK/hf" "$HF" download bench/big
fi

# --- report ------------------------------------------------------------------------------------------
printf '\n%-18s %14s %12s %14s %12s\n' "client" "median MiB/s" "median s" "peak RSS MiB" "CPU s"
for name in "${ORDER[@]}"; do
    wall=${WALLS[$name]}; rss=${RSSES[$name]}; cpu=${CPUS[$name]}
    awk -v n="$name" -v w="$wall" -v r="$rss" -v c="$cpu" -v s="$SIZE_MIB" 'BEGIN { printf "%-18s %14.1f %12.2f %14.1f %12.2f\n", n, (w > 0 ? s / w : 0), w, r / 1024, c }'
done
if [ -n "${WALLS[curl -o]:-}" ]; then
    echo
    for name in "${ORDER[@]}"; do
        [ "$name" = "curl -o" ] && continue
        awk -v n="$name" -v w="${WALLS[$name]}" -v c="${WALLS[curl -o]}" 'BEGIN { printf "%-18s %.2fx curl\n", n, (w > 0 ? c / w : 0) }'
    done
    if [ -n "${WALLS[hf download]:-}" ]; then
        for name in "${ORDER[@]}"; do
            case "$name" in hubscout*) awk -v n="$name" -v w="${WALLS[$name]}" -v h="${WALLS[hf download]}" 'BEGIN { printf "%-18s %.2fx hf download\n", n, (w > 0 ? h / w : 0) }';; esac
        done
    fi
fi
