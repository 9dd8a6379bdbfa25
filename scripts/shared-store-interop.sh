#!/usr/bin/env bash
# huggingface_hub 2.x's shared blob store: huggingface_hub (2.3 or later, from PyPI) builds a cache with its own
# store helpers; hubscout's ls, cache verify, cache rm, cache prune, catalog scan, download and serve run on it and
# are compared with what huggingface_hub's scanner sees. Ends with an "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/interop/setup.sh

if ! "$venv/bin/python" -c 'import huggingface_hub.utils._shared_blobs' 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade 'huggingface_hub>=2.3'
fi
echo "huggingface_hub $("$venv/bin/python" -c 'import huggingface_hub; print(huggingface_hub.__version__)')"

"$venv/bin/python" "$root/scripts/interop/make_shared_cache.py" "$work/served" >/dev/null
serve "$work/served"
HF_HUB_DISABLE_TELEMETRY=1 HF_HUB_DISABLE_XET=1 \
  "$venv/bin/python" "$root/scripts/interop/check_shared_store.py" "$bin" "$work" "http://127.0.0.1:$port"
