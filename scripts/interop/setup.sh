# Sourced by the interop scripts (after `cd` to the repository root): sets `root`, `work` (a temporary folder
# removed on exit, with any `server_pid` killed), `venv` (HUBSCOUT_VENV, default .venv-interop, created with
# huggingface_hub from PyPI when missing) and `bin` (HUBSCOUT_BIN, default the debug build, built when missing),
# and defines `serve DIR`.
root="$(pwd)"
work="$(mktemp -d)"
venv="${HUBSCOUT_VENV:-$root/.venv-interop}"
# Never `kill 0`: with no server started that would signal the whole process group (the CI run itself).
trap 'if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check huggingface_hub
fi
bin="${HUBSCOUT_BIN:-$root/.build/debug/hubscout}"
[ -x "$bin" ] || swift build --product hubscout >/dev/null

# serve DIR: starts `hubscout serve DIR` on a free port in the background (log in $work/server.log), sets `port`
# and `server_pid`, and waits until it answers.
serve() {
  port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" serve "$1" --port "$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/api/models?limit=1" >/dev/null 2>&1 && break
    sleep 0.1
  done
}
