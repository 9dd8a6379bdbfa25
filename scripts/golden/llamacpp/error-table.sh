#!/usr/bin/env bash
# Prints, as markdown, hubscout's llama.cpp memory model against every golden llama.cpp load
# (model, quant, n_ctx, KV type, swa_full, llama.cpp total MiB, hubscout total MiB, error %),
# then per component how many loads meet the bound and the largest error.
# The figures come from the Swift test LlamaCppGoldenTests (the same code the fit command uses).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
swift build --build-tests 1>&2
HUBSCOUT_LLAMACPP_TABLE="$out" swift test --skip-build --disable-xctest \
    --filter "LlamaCppGoldenTests/errorTable" 1>&2
cat "$out"
