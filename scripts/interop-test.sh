#!/usr/bin/env bash
# Interoperability check: huggingface_hub (from PyPI, in a virtualenv) against `hubscout serve`.
# Builds a small HF-layout cache, serves it, and checks list_models, model_info, hf_hub_download and
# snapshot_download return byte-identical files. Ends with an "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/interop/setup.sh

"$venv/bin/python" "$root/scripts/interop/make_cache.py" "$work/served"
serve "$work/served"

HF_ENDPOINT="http://127.0.0.1:$port" HF_HOME="$work/hf-home" HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_XET=1 \
  HUBSCOUT_BIN="$bin" SERVED="$work/served" WORK="$work" \
  "$venv/bin/python" "$root/scripts/interop/check_hf.py"
