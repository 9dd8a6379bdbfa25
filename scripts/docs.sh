#!/usr/bin/env bash
# Builds the HubScoutKit documentation (DocC, through swift-docc-plugin) into a static website folder.
#   scripts/docs.sh [OUTPUT]      default OUTPUT: .build/docs/HubScoutKit
# Prints DocC's warnings and exits non-zero when the build fails or any DocC warning remains.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.build/docs/HubScoutKit}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if ! swift package --allow-writing-to-directory "$out" generate-documentation --target HubScoutKit \
     --output-path "$out" --transform-for-static-hosting >"$log" 2>&1; then
  grep -vE '^\[[0-9]+/[0-9]+\]' "$log" | tail -n 60
  echo "documentation build failed" >&2
  exit 1
fi
# DocC reports as "warning: <what>" followed by "--> <file>:<line>"; SwiftPM's own notes about
# dependencies' unhandled files are not about these docs.
warnings=$(grep -E '^warning:' "$log" | grep -vc 'unhandled; explicitly declare them' || true)
if [ "$warnings" -gt 0 ]; then
  awk '/^warning:/ && !/unhandled; explicitly declare them/ { show = 1 } /^$/ { show = 0 } show' "$log"
fi
echo "documentation: $out ($warnings DocC warnings; serve the folder over HTTP and open /documentation/hubscoutkit)"
[ "$warnings" -eq 0 ]
