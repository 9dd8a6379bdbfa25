#!/usr/bin/env bash
# Builds Examples/FindSizeDownload (an app depending on the HubScoutKit product), serves a small fixture cache with
# `hubscout serve`, runs the example against it (HF_ENDPOINT, HF_HOME), and checks that the model it chose was
# downloaded byte for byte. Exits non-zero when the build, the run or the check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$(mktemp -d)"
# Never `kill 0`: with no server started that would signal the whole process group (the CI run itself).
trap 'if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

bin="$root/.build/debug/hubscout"
[ -x "$bin" ] || swift build --product hubscout 2>&1 | tail -n 3

echo "== build Examples/FindSizeDownload (scratch path .build-example)"
started=$(date +%s)
if ! swift build --package-path Examples/FindSizeDownload --scratch-path "$root/.build-example" >"$work/build.log" 2>&1; then
  grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking|Merging|Planning)' "$work/build.log" | tail -n 40
  echo "the example did not build"
  exit 1
fi
echo "built in $(( $(date +%s) - started )) s"
example="$root/.build-example/debug/FindSizeDownload"

echo "== serve a fixture cache"
python3 scripts/example/make_cache.py "$work/served"
"$bin" serve "$work/served" --port 0 >"$work/server.log" 2>&1 &
server_pid=$!
endpoint=""
for _ in $(seq 1 300); do
  endpoint=$(sed -n 's/.*API: *\(http:[^ ]*\).*/\1/p' "$work/server.log" | head -n 1)
  [ -n "$endpoint" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$endpoint" ]; then echo "hubscout serve did not start:"; cat "$work/server.log"; exit 1; fi
echo "Hub at $endpoint"

echo "== run the example"
if ! env -u HF_TOKEN -u HUGGING_FACE_HUB_TOKEN -u HF_TOKEN_PATH -u HF_HUB_CACHE -u HUGGINGFACE_HUB_CACHE -u HF_HUB_OFFLINE \
     HF_ENDPOINT="$endpoint" HF_HOME="$work/hf-home" "$example" text-generation 16000000000 >"$work/example.log" 2>&1; then
  cat "$work/example.log"
  echo "the example failed"
  exit 1
fi
cat "$work/example.log"

echo "== check the download"
expected="$work/served/models--hubscout-example--tiny-llama/snapshots/$(printf 'c%.0s' $(seq 1 40))"
folder=$(sed -n 's/^model folder: //p' "$work/example.log")
case "$folder" in
  "$work/hf-home/hub/models--hubscout-example--tiny-llama/snapshots/"*) ;;
  *) echo "the example reported the folder '$folder', not a snapshot of hubscout-example/tiny-llama in HF_HOME"; exit 1 ;;
esac
for file in config.json tokenizer.json model.safetensors; do
  cmp "$expected/$file" "$folder/$file" || { echo "$file is missing or differs"; exit 1; }
done
[ ! -e "$folder/notes.txt" ] || { echo "notes.txt was downloaded though the example asked only for *.json and *.safetensors"; exit 1; }
echo "example: the chosen model was downloaded and matches the served files"
