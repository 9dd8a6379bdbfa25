# Sourced by the interop scripts (after `cd` to the repository root): sets `root`, `work` (a temporary folder
# removed on exit, with any `server_pid` killed), `venv` (HUBSCOUT_VENV, default .venv-interop, created with
# huggingface_hub from PyPI when missing) and `bin` (HUBSCOUT_BIN, default the debug build, built when missing).
root="$(pwd)"
work="$(mktemp -d)"
venv="${HUBSCOUT_VENV:-$root/.venv-interop}"
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check huggingface_hub
fi
bin="${HUBSCOUT_BIN:-$root/.build/debug/hubscout}"
[ -x "$bin" ] || swift build --product hubscout >/dev/null
