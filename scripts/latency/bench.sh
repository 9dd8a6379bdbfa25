#!/usr/bin/env bash
# Latency bench (issue 14): how many sequential round trips each hubscout command costs against a Hub that is RTT
# milliseconds away, next to the nearest huggingface_hub equivalent. See scripts/latency/README.md.
#
# Usage: scripts/latency/bench.sh [RTT_MS ...]          (default: 0 50 150)
# Env:   HUBSCOUT=path      hubscout binary (default .build/release/hubscout; not built here)
#        RUNS=N             runs per command and RTT; the median wall time is shown (default 1)
#        BIG_RUNS=N         the same for the 2 GiB rows (default 1)
#        ONLY=REGEX         only rows whose name matches (names: info-4shard info-onefile info-gguf fit-4shard fit-gguf
#                           search-fits search download-small200 download-big2g-c1 download-big2g curl-big2g)
#        SKIP_BIG=1         leave out the 2 GiB rows (and the 2 GiB fixture)
#        NO_HF=1            leave out the huggingface_hub columns
#        TLS=0              plain HTTP through the same proxies and nginx (no TLS handshakes: fewer round trips)
#        RATE=100M          bandwidth cap per direction, bytes/s, shared by all connections (default 0 = none)
#        WINDOW=16Mi        bytes in flight per connection (TCP-window-like; bounds one connection to WINDOW/RTT)
#        FIXTURES=DIR       the served cache (default /tmp/hubscout-latency-fixtures; built once, reused)
#        VENV=DIR           venv with huggingface_hub and gguf (default .venv-latency, created from PyPI if missing)
#        CA_FALLBACK=bind   DEVELOPMENT ONLY, for a hubscout that ignores SSL_CERT_FILE/CURL_CA_BUNDLE: runs each
#                           hubscout command in a private mount namespace (unshare) in which the system CA bundle
#                           /etc/ssl/certs/ca-certificates.crt is bind-mounted over by a copy with the bench CA added.
#                           Nothing outside that namespace changes. Remove once hubscout honours the variables.
#        KEEP=1             keep the work folder (logs, access log) instead of deleting it
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LT_HERE="$ROOT/scripts/latency"
if [ $# -gt 0 ]; then RTTS=("$@"); else RTTS=(0 50 150); fi
HUBSCOUT=${HUBSCOUT:-$ROOT/.build/release/hubscout}
case "$HUBSCOUT" in /*) ;; *) HUBSCOUT="$PWD/$HUBSCOUT";; esac
RUNS=${RUNS:-1}
ONLY=${ONLY:-}
FIXTURES=${FIXTURES:-/tmp/hubscout-latency-fixtures}
VENV=${VENV:-$ROOT/.venv-latency}
BIG_BYTES=$((2 << 30))
# shellcheck source=stack.sh
. "$LT_HERE/stack.sh"

LT_WORK=$(mktemp -d /tmp/hubscout-latency.XXXXXX)
FAILURES=0
cleanup() {
    lt_stack_down
    if [ -n "${KEEP:-}" ]; then lt_log "kept $LT_WORK"; else rm -rf "$LT_WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { lt_log "$@"; }
die() { lt_log "$@"; exit 1; }

apt_install() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# --- tools and fixtures -------------------------------------------------------------------------------------------
[ -x "$HUBSCOUT" ] || die "no hubscout binary at $HUBSCOUT (build it with 'make release' or set HUBSCOUT=...)"
[ -x /usr/bin/time ] || apt_install time || die "GNU time (/usr/bin/time) is required: apt-get install time"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light || die "nginx is required: apt-get install nginx-light"
command -v openssl >/dev/null || die "openssl is required"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import huggingface_hub, gguf' 2>/dev/null; then
    log "creating $VENV (huggingface_hub, gguf, numpy from PyPI)"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check huggingface_hub gguf numpy \
        || die "could not create $VENV"
fi
HF_CLI="$VENV/bin/hf"
[ -x "$HF_CLI" ] || HF_CLI="$VENV/bin/huggingface-cli"
if [ -n "${SKIP_BIG:-}" ] && [ ! -f "$FIXTURES/.latency-fixtures" ]; then
    "$VENV/bin/python" "$LT_HERE/make-fixtures.py" "$FIXTURES" --no-big || die "fixtures failed"
elif [ -z "${SKIP_BIG:-}" ]; then
    "$VENV/bin/python" "$LT_HERE/make-fixtures.py" "$FIXTURES" --big-bytes "$BIG_BYTES" || die "fixtures failed"
fi
[ -n "${SKIP_BIG:-}" ] || [ -d "$FIXTURES/models--latency--big2g" ] || die "$FIXTURES has no latency/big2g (built with SKIP_BIG); remove $FIXTURES/.latency-fixtures to rebuild"

lt_stack_up || die "could not start the stack"
log "hubscout: $HUBSCOUT ($("$HUBSCOUT" --version 2>/dev/null | head -1)); endpoint $ENDPOINT; TLS ${TLS:-1}; rate ${RATE:-0}; window ${WINDOW:-16Mi}"

# A catalog with the shipped snapshot already imported, copied into every command's fresh HOME: each command starts
# as on a machine where hubscout has run before but never talked to this Hub, with an empty HF cache.
TEMPLATE="$LT_WORK/template-home"
mkdir -p "$TEMPLATE"
(cd "$LT_WORK" && HOME="$TEMPLATE" HF_HOME="$TEMPLATE/hf" HF_HUB_OFFLINE=1 "$HUBSCOUT" catalog stats >/dev/null 2>&1) \
    || log "note: 'hubscout catalog stats' failed; commands start with no catalog"
rm -rf "$TEMPLATE/hf"

if [ "${CA_FALLBACK:-}" = bind ]; then
    [ "${TLS:-1}" = 0 ] || {
        cp "$CA_FILE" "$LT_WORK/tls/system-plus-bench-ca.pem"   # the bench CA alone, as CURL_CA_BUNDLE would give it
        unshare --mount true 2>/dev/null || die "CA_FALLBACK=bind needs 'unshare --mount' (root)"
        log "CA_FALLBACK=bind (development only): hubscout runs with the bench CA bind-mounted into the system bundle"
    }
fi

# --- what is measured ---------------------------------------------------------------------------------------------
ROWS=(info-4shard info-onefile info-gguf fit-4shard fit-gguf search-fits search download-small200
      download-big2g-c1 download-big2g curl-big2g)
declare -A HS_ARGS=(
    [info-4shard]="info latency/tinyllama-4shard"
    [info-onefile]="info latency/qwen2.5-onefile"
    [info-gguf]="info latency/qwen2-gguf"
    [fit-4shard]="fit latency/tinyllama-4shard"
    [fit-gguf]="fit latency/qwen2-gguf"
    [search-fits]="search --task text-generation --fits 16GB --limit 10"
    [search]="search --task text-generation --limit 10"
    [download-small200]="download latency/small200"
    [download-big2g-c1]="download latency/big2g --connections 1"
    [download-big2g]="download latency/big2g"
)
# nearest huggingface_hub equivalent per row (a key; rows sharing a key share one measurement per RTT)
declare -A HF_KEY=(
    [info-4shard]="meta latency/tinyllama-4shard" [fit-4shard]="meta latency/tinyllama-4shard"
    [info-onefile]="meta latency/qwen2.5-onefile"
    [info-gguf]="meta latency/qwen2-gguf" [fit-gguf]="meta latency/qwen2-gguf"
    [search-fits]="list-expand" [search]="list"
    [download-small200]="download latency/small200"
    [download-big2g-c1]="download latency/big2g" [download-big2g]="download latency/big2g"
)
declare -A HF_LABEL=(
    [meta]="model_info(files_metadata) + get_safetensors_metadata + hf_hub_download(config.json)"
    [list]="list_models(pipeline_tag, limit=10)"
    [list-expand]="list_models(pipeline_tag, limit=10, expand=[safetensors, config])"
    [download]="hf download"
)
cat > "$LT_WORK/hf_meta.py" <<'PY'
# The nearest huggingface_hub equivalent of `hubscout info|fit REPO`: the model's API record with file sizes, the
# safetensors headers (index + one Range request per shard) when there are any, and config.json when there is one.
# huggingface_hub has no GGUF header reader, so for a GGUF-only repo this is the API record alone.
import sys
from huggingface_hub import HfApi, get_safetensors_metadata, hf_hub_download
repo = sys.argv[1]
info = HfApi().model_info(repo, files_metadata=True)
names = {s.rfilename for s in info.siblings}
if any(n.endswith(".safetensors") for n in names):
    get_safetensors_metadata(repo)
if "config.json" in names:
    hf_hub_download(repo, "config.json")
PY
cat > "$LT_WORK/hf_list.py" <<'PY'
import sys
from huggingface_hub import HfApi
kw = {"expand": ["safetensors", "config"]} if sys.argv[1:] == ["expand"] else {}
models = list(HfApi().list_models(pipeline_tag="text-generation", limit=10, **kw))
assert len(models) == 10, len(models)
PY

selected() { [ -z "$ONLY" ] || [[ "$1" =~ $ONLY ]]; }
is_big() { [[ "$1" == *big2g* ]]; }

# measure NAME CHECK CMD...: runs CMD RUNS times, each in a fresh HOME / HF cache, and sets M_WALL (median s),
# M_REQ (nginx access-log lines), M_CONN (TCP connections accepted by the delay proxies), M_RSS (peak KiB), M_OK.
measure() {
    local name=$1 check=$2; shift 2
    local walls=() i t0 t1 rc r0 c0 run="$LT_WORK/run" runs=$RUNS
    [ -n "$check" ] && runs=${BIG_RUNS:-1}
    M_OK=1; M_RSS=0
    for i in $(seq 1 "$runs"); do
        rm -rf "$run"; mkdir -p "$run/home" "$run/hf/hub"
        [ -d "$TEMPLATE/.cache" ] && cp -a "$TEMPLATE/.cache" "$run/home/"
        sync
        lt_warm
        r0=$(lt_requests); c0=$(lt_connections)
        t0=$(date +%s%N)
        (
            cd "$run" || exit 1
            unset HF_TOKEN HUGGING_FACE_HUB_TOKEN HF_TOKEN_PATH HF_HUB_OFFLINE HUBSCOUT_HOME XDG_CACHE_HOME \
                HF_HUB_ENABLE_HF_TRANSFER HF_XET_HIGH_PERFORMANCE
            export HOME="$run/home" HF_HOME="$run/hf" HF_HUB_CACHE="$run/hf/hub" HF_ENDPOINT="$ENDPOINT" \
                HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_PROGRESS_BARS=1 HF_HUB_DISABLE_XET=1 TERM=dumb
            if [ "${TLS:-1}" != 0 ]; then
                export SSL_CERT_FILE="$CA_FILE" CURL_CA_BUNDLE="$CA_FILE" REQUESTS_CA_BUNDLE="$CA_FILE"
            fi
            exec /usr/bin/time -f %M -o "$run/rss" "$@" >"$run/stdout" 2>"$run/stderr"
        )
        rc=$?
        t1=$(date +%s%N)
        sleep 0.3   # let nginx write the last log lines and the proxies their counts
        if [ "$rc" != 0 ]; then
            log "FAILED (exit $rc): $name: $*"
            sed 's/^/    | /' "$run/stderr" | tail -20 >&2
            grep -qiE 'certificate|error 60|SSL' "$run/stderr" && \
                log "    (TLS: the client does not trust the bench CA; for a hubscout that ignores SSL_CERT_FILE/CURL_CA_BUNDLE try CA_FALLBACK=bind or TLS=0)"
            M_OK=0; FAILURES=$((FAILURES + 1)); return 0
        fi
        if [ -n "$check" ]; then
            local f
            f=$(find "$run" -name "$check" \( -type f -o -type l \) | head -1)
            if [ -z "$f" ] || [ "$(stat -L -c %s "$f")" != "$BIG_BYTES" ]; then
                log "FAILED: $name left no complete $check"; M_OK=0; FAILURES=$((FAILURES + 1)); return 0
            fi
        fi
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
        M_REQ=$(( $(lt_requests) - r0 )); M_CONN=$(( $(lt_connections) - c0 ))
        local rss; rss=$(tail -1 "$run/rss" 2>/dev/null || echo 0)
        [ "${rss:-0}" -gt "$M_RSS" ] 2>/dev/null && M_RSS=$rss
    done
    rm -rf "$run"
    M_WALL=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
}

# WRAP: what goes before hubscout's argv (empty, or the CA_FALLBACK=bind namespace; DEVELOPMENT ONLY, see above)
WRAP=()
if [ "${CA_FALLBACK:-}" = bind ] && [ "${TLS:-1}" != 0 ]; then
    WRAP=(unshare --mount sh -c 'mount --bind "$0" /etc/ssl/certs/ca-certificates.crt && exec "$@"'
          "$LT_WORK/tls/system-plus-bench-ca.pem")
fi

declare -A R   # results: R[row|rtt|field]
run_row() {
    local row=$1 rtt=$2 check=""
    is_big "$row" && check=data.bin
    if [ "$row" = curl-big2g ]; then
        local curl_tls=()
        [ "${TLS:-1}" = 0 ] || curl_tls=(--cacert "$CA_FILE")
        measure "$row" "$check" curl -sSfL "${curl_tls[@]}" -o data.bin "$ENDPOINT/latency/big2g/resolve/main/data.bin"
    else
        local -a args
        read -r -a args <<< "${HS_ARGS[$row]}"
        measure "$row" "$check" "${WRAP[@]}" "$HUBSCOUT" "${args[@]}"
    fi
    R[$row|$rtt|ok]=$M_OK
    [ "$M_OK" = 1 ] || return 0
    R[$row|$rtt|wall]=$M_WALL; R[$row|$rtt|req]=$M_REQ; R[$row|$rtt|conn]=$M_CONN; R[$row|$rtt|rss]=$M_RSS
    log "$(printf '%-18s rtt %4s ms: %7.2fs %4d requests %3d connections' "$row" "$rtt" "$M_WALL" "$M_REQ" "$M_CONN")"
}

declare -A H   # huggingface_hub results: H[key|rtt|field]
run_hf() {
    local key=$1 rtt=$2 kind=${1%% *} repo=${1#* } check=""
    [ -n "${H[$key|$rtt|ok]:-}" ] && return 0
    case "$kind" in
        meta) measure "hf $key" "" "$VENV/bin/python" "$LT_WORK/hf_meta.py" "$repo" ;;
        list) measure "hf $key" "" "$VENV/bin/python" "$LT_WORK/hf_list.py" ;;
        list-expand) measure "hf $key" "" "$VENV/bin/python" "$LT_WORK/hf_list.py" expand ;;
        download)
            [[ "$repo" == *big2g* ]] && check=data.bin
            measure "hf $key" "$check" "$HF_CLI" download "$repo" ;;
    esac
    H[$key|$rtt|ok]=$M_OK
    [ "$M_OK" = 1 ] || return 0
    H[$key|$rtt|wall]=$M_WALL; H[$key|$rtt|req]=$M_REQ; H[$key|$rtt|conn]=$M_CONN; H[$key|$rtt|rss]=$M_RSS
    log "$(printf '%-18s rtt %4s ms: %7.2fs %4d requests %3d connections (huggingface_hub %s)' "" "$rtt" "$M_WALL" "$M_REQ" "$M_CONN" "$key")"
}

# --- probe: does this hubscout trust the bench CA? -----------------------------------------------------------------
lt_proxies_up 0 || die "could not start the delay proxies"
RUNS_SAVED=$RUNS; RUNS=1
measure probe "" "${WRAP[@]}" "$HUBSCOUT" search --limit 1
RUNS=$RUNS_SAVED
if [ "$M_OK" != 1 ]; then
    die "hubscout cannot talk to $ENDPOINT (above). If it is a certificate error, this hubscout does not trust SSL_CERT_FILE/CURL_CA_BUNDLE: rerun with CA_FALLBACK=bind (development only) or TLS=0."
fi
FAILURES=0

# --- the runs -----------------------------------------------------------------------------------------------------
for rtt in "${RTTS[@]}"; do
    lt_proxies_up "$rtt" || die "could not start the delay proxies"
    log "RTT $rtt ms"
    for row in "${ROWS[@]}"; do
        selected "$row" || continue
        if [ -n "${SKIP_BIG:-}" ] && is_big "$row"; then continue; fi
        run_row "$row" "$rtt"
        if [ -z "${NO_HF:-}" ] && [ -n "${HF_KEY[$row]:-}" ]; then run_hf "${HF_KEY[$row]}" "$rtt"; fi
    done
done
lt_proxies_down

# --- the table ----------------------------------------------------------------------------------------------------
cell() { if [ -n "${1:-}" ]; then printf '%s' "$1"; else printf '—'; fi; }
round_trips() {  # wall(rtt) wall(0) rtt_ms
    if [ -n "$1" ] && [ -n "$2" ] && [ "$3" != 0 ]; then awk -v w="$1" -v z="$2" -v r="$3" 'BEGIN { printf "%.1f", (w - z) * 1000 / r }'; fi
}
mbps() { [ -n "$1" ] && awk -v w="$1" -v b="$BIG_BYTES" 'BEGIN { printf "%.0f", b / 1e6 / w }'; }
mib() { [ -n "$1" ] && [ "$1" != 0 ] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

{
echo
echo "hubscout latency bench: $("$HUBSCOUT" --version 2>/dev/null | head -1); TLS ${TLS:-1} (nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), h2), rate ${RATE:-0} B/s, window ${WINDOW:-16Mi}, runs ${RUNS} (median; 2 GiB rows ${BIG_RUNS:-1}), $(nproc) cores"
echo "requests = nginx access-log lines (API + file host); conns = TCP connections through the delay proxies;"
echo "round trips = (wall(RTT) - wall(0)) / RTT; MB/s = 2 GiB / wall (decimal MB); RSS = peak resident set (GNU time)."
echo
echo "| command | RTT ms | wall s | requests | conns | round trips | MB/s | RSS MiB | huggingface_hub equivalent | hf wall s | hf requests | hf conns | hf round trips | hf MB/s | hf RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
    for rtt in "${RTTS[@]}"; do
        [ -n "${R[$row|$rtt|ok]:-}" ] || continue
        cmd="hubscout ${HS_ARGS[$row]:-}"
        [ "$row" = curl-big2g ] && cmd="curl -L (1 connection, line-rate reference)"
        [ "$row" = download-big2g ] && cmd="$cmd (default connections)"
        if [ "${R[$row|$rtt|ok]}" != 1 ]; then
            printf '| %s | %s | FAILED | | | | | | | | | | | | |\n' "$cmd" "$rtt"; continue
        fi
        w=${R[$row|$rtt|wall]}
        rt=$(round_trips "$w" "${R[$row|0|wall]:-}" "$rtt")
        mb=""; is_big "$row" && mb=$(mbps "$w")
        hf_label=""; hw=""; hr=""; hc=""; hrt=""; hmb=""; hrss=""
        key=${HF_KEY[$row]:-}
        if [ -n "$key" ] && [ -z "${NO_HF:-}" ]; then
            kind=${key%% *}
            hf_label="${HF_LABEL[$kind]}"
            [ "$kind" = download ] && hf_label="hf download ${key#* }"
            if [ "${H[$key|$rtt|ok]:-}" = 1 ]; then
                hw=${H[$key|$rtt|wall]}; hr=${H[$key|$rtt|req]}; hc=${H[$key|$rtt|conn]}
                hrt=$(round_trips "$hw" "${H[$key|0|wall]:-}" "$rtt")
                is_big "$row" && hmb=$(mbps "$hw")
                hrss=$(mib "${H[$key|$rtt|rss]}")
            elif [ -n "${H[$key|$rtt|ok]:-}" ]; then
                hw=FAILED
            fi
        fi
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "$cmd" "$rtt" "$w" "${R[$row|$rtt|req]}" "${R[$row|$rtt|conn]}" "$(cell "$rt")" "$(cell "$mb")" \
            "$(cell "$(mib "${R[$row|$rtt|rss]}")")" "$(cell "$hf_label")" "$(cell "$hw")" "$(cell "$hr")" "$(cell "$hc")" \
            "$(cell "$hrt")" "$(cell "$hmb")" "$(cell "$hrss")"
    done
done
}
[ "$FAILURES" = 0 ] || { log "$FAILURES command(s) failed (above)"; exit 1; }
