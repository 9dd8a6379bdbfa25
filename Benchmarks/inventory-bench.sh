#!/usr/bin/env bash
# Inventory benchmark: `hubscout dedupe --dry-run` (the scan of every tool's store plus duplicate finding) and
# `hubscout ls --all` over MODELS models totalling TOTAL_TIB in sparse files (inventory-tree.py), run twice: the
# first run hashes the loose same-size files, the second must take every digest from the catalog (hashedFiles 0).
# Beside it, the same tree walked by `find … -printf` (what any scan must at least do) and the pairs hashed by
# `sha256sum` (what the first run's hashing costs any tool).
#
# Usage: Benchmarks/inventory-bench.sh [MODELS=500] [TOTAL_TIB=2]
# Env:   HUBSCOUT=/path/to/hubscout (default: the release build, built when missing)   WORKDIR=/tmp
set -euo pipefail

MODELS=${1:-500}
TOTAL=${2:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${WORKDIR:-/tmp}/hubscout-inventory-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log() { echo "[bench] $*" >&2; }

HUBSCOUT=${HUBSCOUT:-$ROOT/.build/release/hubscout}
if [ ! -x "$HUBSCOUT" ]; then
    log "building hubscout (release; several minutes on 2 cores)"
    (cd "$ROOT" && swift build -c release --product hubscout >/dev/null)
fi

log "building $MODELS models, $TOTAL TiB apparent, in $WORK (sparse: no disk used)"
python3 "$ROOT/Benchmarks/inventory-tree.py" "$WORK" "$MODELS" "$TOTAL" >"$WORK/tree.json"
export HOME=$WORK HF_HOME=$WORK/.cache/huggingface LLAMA_CACHE=$WORK/.cache/llama.cpp HF_HUB_OFFLINE=1
unset OLLAMA_MODELS HF_HUB_CACHE

now() { date +%s.%N; }
timed() {   # timed LABEL CMD… → prints "LABEL seconds" and keeps stdout in $WORK/out.json
    local start end
    start=$(now)
    "${@:2}" >"$WORK/out.json" 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; return 1; }
    end=$(now)
    printf '%s %.2f\n' "$1" "$(echo "$end - $start" | bc)"
}
field() { python3 -c "import json,sys; print(json.load(open('$WORK/out.json')).get('$1'))"; }

echo "tree: $(cat "$WORK/tree.json")"
printf '%-40s %10s %12s %14s %10s\n' "run" "seconds" "hashedFiles" "hashedBytes" "remembered"
for run in first second; do
    line=$(timed "dedupe --dry-run ($run)" "$HUBSCOUT" dedupe --dry-run --json)
    printf '%-40s %10s %12s %14s %10s\n' "${line% *}" "${line##* }" "$(field hashedFiles)" "$(field hashedBytes)" "$(field rememberedFiles)"
done
for run in first second; do
    line=$(timed "ls --all --json ($run)" "$HUBSCOUT" ls --all --json)
    rows=$(python3 -c "import json; print(len(json.load(open('$WORK/out.json'))))")
    printf '%-40s %10s %12s\n' "${line% *}" "${line##* }" "rows $rows"
done
line=$(timed "find -printf (walk baseline)" find "$WORK/.cache" "$WORK/.ollama" "$WORK/.lmstudio" -printf '%s %i %p\n')
printf '%-40s %10s\n' "${line% *}" "${line##* }"
line=$(timed "sha256sum of the same-size pairs" sh -c "sha256sum '$WORK'/.lmstudio/models/pairs/*/*.gguf '$WORK'/.cache/llama.cpp/pairs_*.gguf")
printf '%-40s %10s\n' "${line% *}" "${line##* }"
