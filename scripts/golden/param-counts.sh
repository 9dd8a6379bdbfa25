#!/usr/bin/env bash
# Regenerates Tests/HubScoutCoreTests/Fixtures/golden/params/param-counts.json: exact parameter counts of every
# config in Tests/HubScoutCoreTests/Fixtures/golden/params/configs/, as transformers builds the model (on the meta
# device: no weights). Needs python3 (3.9+) with venv, and PyPI. Everything it installs goes into
# .venv-golden-params/ at the repository root (git-ignored). See scripts/golden/README.md.
#
#   bash scripts/golden/param-counts.sh                  # counts only (the committed configs are the input)
#   bash scripts/golden/param-counts.sh --regen-configs  # first rewrite the configs from their sources
set -euo pipefail

TRANSFORMERS_VERSION=5.25.0
TORCH_VERSION=2.13.0
CPU_INDEX=https://download.pytorch.org/whl/cpu

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-golden-params"
PYTHON="${PYTHON:-python3}"

regen=0
for arg in "$@"; do
  case "$arg" in
    --regen-configs) regen=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
pip() { "$VPY" -m pip --disable-pip-version-check -q "$@"; }

# torch, CPU build. Order: PyTorch's CPU index when it answers; else a torch==X+cpu wheel that pip can already
# find (a --find-links in pip's configuration); else PyPI's torch==X (the CUDA build: far bigger, same counts).
if "$VPY" -c "import sys, torch; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
  echo "torch $TORCH_VERSION: already in $VENV"
elif "$VPY" -c "import urllib.request; urllib.request.urlopen('$CPU_INDEX/torch/', timeout=15)" 2>/dev/null; then
  echo "torch $TORCH_VERSION: from $CPU_INDEX"
  pip install --index-url "$CPU_INDEX" "torch==$TORCH_VERSION"
elif pip install "torch==$TORCH_VERSION+cpu" 2>/dev/null; then
  echo "torch $TORCH_VERSION+cpu: from a wheel pip's configuration points at"
else
  echo "torch $TORCH_VERSION: CPU index unreachable and no +cpu wheel; installing PyPI's build"
  pip install "torch==$TORCH_VERSION"
fi

# transformers does not depend on torch, so this leaves the torch above alone.
pip install "transformers==$TRANSFORMERS_VERSION"

cd "$ROOT"
if [ "$regen" = 1 ]; then
  "$VPY" scripts/golden/make_configs.py
fi
"$VPY" scripts/golden/param_counts.py
