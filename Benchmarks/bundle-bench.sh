#!/usr/bin/env bash
# Bundle benchmark: `hubscout bundle create` and `bundle import` of one N GiB repository (shards of at most
# 2 GiB of incompressible data, LFS blobs in the Hugging Face cache layout), side by side with GNU `tar -cf`
# and `tar -xf` of the same cache folder on the same disk. Prints throughput and peak RSS for each.
#
# hubscout hashes every byte (sha256) both ways and flushes what it writes (fsync); tar does neither, so
# "tar + sync" rows time tar followed by a `sync` as well. The page cache is warm for every run alike
# (the data is generated first); nothing here drops caches.
#
# Usage: Benchmarks/bundle-bench.sh [SIZE_GIB] [RUNS]          (defaults: 10 GiB, 1 run; medians over RUNS)
# Env:   SKIP_BUILD=1 (reuse the release binary)   HUBSCOUT=/path/to/hubscout   WORKDIR=/big/disk (default /tmp)
# Needs: 3 × SIZE_GIB of free disk in WORKDIR, GNU time (/usr/bin/time; installed with apt when missing).
set -euo pipefail

SIZE_GIB=${1:-10}
RUNS=${2:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${WORKDIR:-/tmp}/hubscout-bundle-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log() { echo "[bench] $*" >&2; }

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq >/dev/null 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1
    fi
    [ -x /usr/bin/time ] || { log "GNU time is required (/usr/bin/time): apt-get install time"; exit 1; }
fi

HUBSCOUT=${HUBSCOUT:-$ROOT/.build/release/hubscout}
if [ -z "${SKIP_BUILD:-}" ] || [ ! -x "$HUBSCOUT" ]; then
    log "building hubscout (release; several minutes on 2 cores)"
    (cd "$ROOT" && swift build -c release --product hubscout >/dev/null)
fi

need=$((SIZE_GIB * 3 + 1))
free=$(df -Pk "$WORK" | awk 'NR==2 {print int($4 / 1048576)}')
if [ "$free" -lt "$need" ]; then
    log "only $free GiB free in $WORK, $need GiB needed for a $SIZE_GIB GiB run: pass a smaller size or WORKDIR"
    exit 1
fi

# --- data: models--bench--big, shards of incompressible bytes (AES-CTR of zeros: fast, distinct per shard) ---
REPO="$WORK/src/models--bench--big"
COMMIT=$(printf 'bench %s' "$SIZE_GIB" | sha1sum | cut -c1-40)
mkdir -p "$REPO/blobs" "$REPO/refs" "$REPO/snapshots/$COMMIT"
printf '%s' "$COMMIT" > "$REPO/refs/main"
remaining=$((SIZE_GIB * 1024))   # MiB
shard=0
shards=$(( (SIZE_GIB + 1) / 2 ))
while [ "$remaining" -gt 0 ]; do
    mib=$(( remaining > 2048 ? 2048 : remaining ))
    shard=$((shard + 1))
    name=$(printf 'model-%05d-of-%05d.safetensors' "$shard" "$shards")
    log "generating $name ($mib MiB)"
    tmp="$REPO/blobs/.tmp"
    # (openssl stops on SIGPIPE when head has enough: not a failure.)
    sha=$({ openssl enc -aes-128-ctr -nosalt -pass "pass:bench$shard" -in /dev/zero 2>/dev/null || true; } | head -c $((mib * 1048576)) \
          | tee "$tmp" | openssl dgst -sha256 -r | cut -d' ' -f1)
    mv "$tmp" "$REPO/blobs/$sha"
    ln -s "../../blobs/$sha" "$REPO/snapshots/$COMMIT/$name"
    remaining=$((remaining - mib))
done
config='{"model_type":"llama","hidden_size":4096}'
git_id=$(printf 'blob %d\0%s' "${#config}" "$config" | sha1sum | cut -c1-40)
printf '%s' "$config" > "$REPO/blobs/$git_id"
ln -s "../../blobs/$git_id" "$REPO/snapshots/$COMMIT/config.json"
BYTES=$(du -sbL "$REPO/snapshots/$COMMIT" | cut -f1)
sync

# --- one timed run: prints "seconds rss_kib" ---------------------------------------------------------------
timed() {
    local out="$WORK/time.txt"
    /usr/bin/time -v -o "$out" "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; cat "$out" >&2; exit 1; }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
                /Maximum resident set size/ { rss = $2 } END { printf "%.3f %d\n", s, rss }' "$out"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A SECONDS_OF RSS_OF
measure() {   # name, setup (run untimed before each run), command…
    local name=$1 setup=$2; shift 2
    local times=() rss=()
    for _ in $(seq 1 "$RUNS"); do
        eval "$setup"
        sync
        read -r s r < <(timed "$@")
        times+=("$s"); rss+=("$r")
    done
    SECONDS_OF[$name]=$(printf '%s\n' "${times[@]}" | median)
    RSS_OF[$name]=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
    log "$name: ${SECONDS_OF[$name]} s, peak RSS ${RSS_OF[$name]} KiB"
}

export HF_HUB_OFFLINE=1 HUBSCOUT_NO_CATALOG=1
measure "hubscout bundle create" 'rm -f "$WORK/b.tar"' \
    "$HUBSCOUT" bundle create bench/big -o "$WORK/b.tar" --cache-dir "$WORK/src" --no-download
measure "tar -cf" 'rm -f "$WORK/t.tar"' tar -cf "$WORK/t.tar" -C "$WORK/src" .
measure "tar -cf + sync" 'rm -f "$WORK/t.tar"' sh -c "tar -cf '$WORK/t.tar' -C '$WORK/src' . && sync"
rm -f "$WORK/t.tar"
measure "hubscout bundle import" 'rm -rf "$WORK/dst"' "$HUBSCOUT" bundle import "$WORK/b.tar" --cache-dir "$WORK/dst"
rm -rf "$WORK/dst"
# tar -xf reads the same bundle: the same bytes in, the same files out (as plain snapshot files).
measure "tar -xf" 'rm -rf "$WORK/x"; mkdir -p "$WORK/x"' tar -xf "$WORK/b.tar" -C "$WORK/x"
measure "tar -xf + sync" 'rm -rf "$WORK/x"; mkdir -p "$WORK/x"' sh -c "tar -xf '$WORK/b.tar' -C '$WORK/x' && sync"
rm -rf "$WORK/x"

printf '\n%s GiB repository (%s bytes in %s files), %s run(s), medians; %s\n' "$SIZE_GIB" "$BYTES" "$((shard + 1))" "$RUNS" "$(nproc) cores"
printf '%-26s %10s %10s %12s\n' "command" "seconds" "MiB/s" "peak RSS"
for name in "hubscout bundle create" "tar -cf" "tar -cf + sync" "hubscout bundle import" "tar -xf" "tar -xf + sync"; do
    s=${SECONDS_OF[$name]}
    awk -v n="$name" -v s="$s" -v b="$BYTES" -v r="${RSS_OF[$name]}" \
        'BEGIN { printf "%-26s %10.2f %10.0f %9.1f MiB\n", n, s, (s > 0 ? b / 1048576 / s : 0), r / 1024 }'
done
awk -v c="${SECONDS_OF[hubscout bundle create]}" -v tc="${SECONDS_OF[tar -cf + sync]}" \
    -v i="${SECONDS_OF[hubscout bundle import]}" -v ti="${SECONDS_OF[tar -xf + sync]}" \
    'BEGIN { printf "hubscout / (tar + sync) rate: create %.2f×, import %.2f×\n", (c > 0 ? tc / c : 0), (i > 0 ? ti / i : 0) }'
