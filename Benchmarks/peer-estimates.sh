#!/usr/bin/env bash
# Side by side with the peers (issue 13 §3): hubscout fit vs hf-mem vs `accelerate estimate-memory`
# on the same models, all served by `hubscout serve` from a temporary Hugging Face cache whose
# safetensors files carry real headers and sparse (hole) data. See Benchmarks/peer-estimates/README.md.
#
#   bash Benchmarks/peer-estimates.sh
#
# Environment:
#   HUBSCOUT_BIN   hubscout binary (default: .build/debug/hubscout, .build/release/hubscout, then
#                  `swift build --show-bin-path`); this script never builds.
#   PEERS_VENV     virtualenv for the peer tools (default: .venv-peers at the repository root;
#                  created and filled from PyPI when missing, reused otherwise).
#   PEERS_KEEP     a directory to copy the raw outputs into (default: they go with the temp dir).
#   CONTEXT        tokens per sequence (default 8192).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE="$ROOT/Benchmarks/peer-estimates"
CONFIGS="$ROOT/Tests/HubScoutCoreTests/Fixtures/configs"
VENV=${PEERS_VENV:-$ROOT/.venv-peers}
CONTEXT=${CONTEXT:-8192}
GPU=80GB
RAM=256GB
TOOL_TIMEOUT=300

MODELS=(
  "meta-llama/Llama-3.1-8B=$CONFIGS/llama-3.1-8b.json"
  "Qwen/Qwen2.5-7B=$CONFIGS/qwen2.5-7b.json"
  "Qwen/Qwen2.5-0.5B=$CONFIGS/qwen2.5-0.5b.json"
  "mistralai/Mixtral-8x7B-v0.1=$CONFIGS/mixtral-8x7b.json"
)

say() { printf '%s\n' "$*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/peer-estimates.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "${PEERS_KEEP:-}" && -d "$WORK/results" ]]; then
    mkdir -p "$PEERS_KEEP" && cp -R "$WORK/results/." "$PEERS_KEEP/" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- hubscout ----------------------------------------------------------------------------------
HUBSCOUT=${HUBSCOUT_BIN:-}
if [[ -z "$HUBSCOUT" ]]; then
  for candidate in "$ROOT/.build/debug/hubscout" "$ROOT/.build/release/hubscout"; do
    if [[ -x "$candidate" ]]; then HUBSCOUT=$candidate; break; fi
  done
fi
if [[ -z "$HUBSCOUT" ]] && command -v swift >/dev/null; then
  bin_path=$(cd "$ROOT" && swift build --show-bin-path 2>/dev/null) || bin_path=""
  [[ -n "$bin_path" && -x "$bin_path/hubscout" ]] && HUBSCOUT="$bin_path/hubscout"
fi
if [[ -z "$HUBSCOUT" || ! -x "$HUBSCOUT" ]]; then
  say "error: no hubscout binary; build it first (swift build) or set HUBSCOUT_BIN"
  exit 1
fi
say "hubscout: $HUBSCOUT"

# --- the peers' virtualenv ---------------------------------------------------------------------
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check -q)
if [[ ! -x "$PY" ]]; then
  say "creating $VENV"
  python3 -m venv "$VENV"
fi
has() { "$PY" -c "import $1" >/dev/null 2>&1; }
if ! has torch; then
  # accelerate needs torch; the CPU wheel is far smaller than PyPI's CUDA build. Fall back to
  # PyPI when download.pytorch.org cannot be reached.
  say "installing torch (CPU wheel from download.pytorch.org, else PyPI)"
  "${PIP[@]}" install --timeout 20 --retries 0 torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
    || "${PIP[@]}" install torch \
    || say "warning: torch could not be installed; accelerate estimate-memory will be skipped"
fi
for spec in "hf_mem:hf-mem" "accelerate:accelerate" "transformers:transformers"; do
  module=${spec%%:*} package=${spec#*:}
  if ! has "$module"; then
    say "installing $package from PyPI"
    "${PIP[@]}" install "$package" || say "warning: $package could not be installed; its column stays n/a"
  fi
done
HAVE_HFMEM=0 HAVE_ACCEL=0
has hf_mem && HAVE_HFMEM=1
has accelerate && has transformers && has torch && [[ -x "$VENV/bin/accelerate" ]] && HAVE_ACCEL=1
version() { "$PY" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || echo "not installed"; }
say "hf-mem $(version hf-mem), accelerate $(version accelerate), transformers $(version transformers), torch $(version torch)"

# --- the cache and the server ------------------------------------------------------------------
CACHE="$WORK/hub"
RESULTS="$WORK/results"
mkdir -p "$CACHE" "$RESULTS"
say "building the cache in $CACHE (sparse weights)"
python3 "$HERE/make_cache.py" "$CACHE" "${MODELS[@]}"

"$HUBSCOUT" serve "$CACHE" --port 0 >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
ENDPOINT=""
for _ in $(seq 1 100); do
  ENDPOINT=$(sed -n 's/.*export HF_ENDPOINT=\(http:\/\/[^ )]*\).*/\1/p' "$WORK/serve.log" | head -n1)
  [[ -n "$ENDPOINT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; say "error: hubscout serve exited"; exit 1; }
  sleep 0.2
done
[[ -n "$ENDPOINT" ]] || { cat "$WORK/serve.log" >&2; say "error: hubscout serve did not report its port"; exit 1; }
say "server: $ENDPOINT"

# Every tool talks to the local server only, with no token and a throwaway cache.
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN HF_HUB_OFFLINE TRANSFORMERS_OFFLINE HF_HUB_CACHE HUGGINGFACE_HUB_CACHE \
  TRANSFORMERS_CACHE HF_TOKEN_PATH
export HF_ENDPOINT="$ENDPOINT" HF_HOME="$WORK/hf-home" HUBSCOUT_HOME="$WORK/hubscout-home" \
  HUBSCOUT_NO_CATALOG=1 HF_HUB_DISABLE_TELEMETRY=1 TOKENIZERS_PARALLELISM=false PYTHONWARNINGS=ignore \
  NO_COLOR=1

# run NAME OUTFILE COMMAND...: stdout to OUTFILE, stderr to OUTFILE's .err twin; failures only warn.
run() {
  local name=$1 out=$2; shift 2
  local err="${out%.*}.err"
  if ! timeout "$TOOL_TIMEOUT" "$@" >"$out" 2>"$err"; then
    say "warning: $name failed for $(basename "$(dirname "$out")"): $(grep -v '^\s*$' "$err" | tail -n1)"
    rm -f "$out"
  fi
}

for spec in "${MODELS[@]}"; do
  repo=${spec%%=*}
  dir="$RESULTS/${repo//\//--}"
  mkdir -p "$dir"
  say "sizing $repo"
  for engine in transformers vllm; do
    run hubscout "$dir/hubscout-$engine.json" "$HUBSCOUT" fit "$repo" --json -q --engine "$engine" \
      --context "$CONTEXT" --gpu "$GPU" --ram "$RAM"
  done
  if [[ $HAVE_HFMEM == 1 ]]; then
    # hf-mem hard-codes https://huggingface.co; hf_mem_local.py only redirects its requests to $HF_ENDPOINT.
    run hf-mem "$dir/hf-mem.json" "$PY" "$HERE/hf_mem_local.py" --model-id "$repo" --json-output
    run hf-mem "$dir/hf-mem-kv.json" "$PY" "$HERE/hf_mem_local.py" --model-id "$repo" --json-output \
      --experimental --max-model-len "$CONTEXT"
    run hf-mem "$dir/hf-mem.txt" "$PY" "$HERE/hf_mem_local.py" --model-id "$repo"
  fi
  if [[ $HAVE_ACCEL == 1 ]]; then
    run accelerate "$dir/accelerate.txt" "$VENV/bin/accelerate" estimate-memory "$repo" \
      --library_name transformers --dtypes float32 float16
  fi
done

[[ $HAVE_HFMEM == 1 ]] || say "hf-mem is not installed: its columns are n/a"
[[ $HAVE_ACCEL == 1 ]] || say "accelerate/transformers/torch are not all installed: its columns are n/a"

echo
echo "## hubscout vs hf-mem vs accelerate (served by hubscout serve at $ENDPOINT)"
echo
python3 "$HERE/table.py" "$RESULTS" "$CONTEXT" "${MODELS[@]}"
echo
echo "hubscout: --gpu $GPU --ram $RAM (no host detection). hf-mem $(version hf-mem) ignores HF_ENDPOINT (its URLs are"
echo "hard-coded), so it ran through Benchmarks/peer-estimates/hf_mem_local.py, which only rewrites that host."
echo "accelerate $(version accelerate) (transformers $(version transformers)) honours HF_ENDPOINT through huggingface_hub."
