#!/usr/bin/env bash
# Regenerate the llama.cpp memory golden data:
#   bash scripts/golden/llamacpp/measure.sh
# 1. creates .venv-golden-llamacpp at the repo root and installs the pinned
#    llama-cpp-python (compiled from source, CPU only), gguf and numpy;
# 2. make_ggufs.py writes small F16 GGUFs in real architectures' shapes and
#    quantizes them with llama.cpp (Q8_0, Q4_K_M, IQ4_XS) into a work dir
#    outside git (GOLDEN_GGUF_DIR, default ${TMPDIR:-/tmp}/hubscout-golden-gguf);
# 3. measure.py loads each at several n_ctx / KV types and records llama.cpp's
#    own buffer-size log lines into Tests/HubScoutCoreTests/Fixtures/golden/llamacpp/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/scripts/golden/llamacpp"
VENV="$ROOT/.venv-golden-llamacpp"
WORK="${GOLDEN_GGUF_DIR:-${TMPDIR:-/tmp}/hubscout-golden-gguf}"
OUT="$ROOT/Tests/HubScoutCoreTests/Fixtures/golden/llamacpp"

export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
# CPU-only build; mtmd/llava is not needed here.
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$HERE/requirements.txt"

start=$(date +%s)
mkdir -p "$WORK" "$OUT/models"
"$VENV/bin/python" "$HERE/make_ggufs.py" "$WORK" ${GOLDEN_FORCE:+--force} > "$WORK/make_ggufs.log" 2>&1 || {
    tail -n 40 "$WORK/make_ggufs.log"; exit 1; }
grep '^\[make_ggufs\]' "$WORK/make_ggufs.log" || true

"$VENV/bin/python" "$HERE/measure.py" "$WORK" "$OUT/llamacpp-memory.json" "$OUT/models"
echo "done in $(( $(date +%s) - start ))s: $OUT/llamacpp-memory.json"
