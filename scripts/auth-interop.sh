#!/usr/bin/env bash
# Token interop check: hubscout and huggingface_hub's `hf auth` share one HF_HOME against `hubscout serve`.
# `hf auth list` sees a token `hubscout auth login` stored (masked, starred as active), hubscout sees and
# switches to one `hf auth login --token` stored, logouts on either side show on the other, and a
# stored_tokens file hubscout wrote is unchanged when huggingface_hub reads and rewrites it.
# Uses the interop virtualenv (HUBSCOUT_VENV, default .venv-interop, created with huggingface_hub from
# PyPI when missing). Ends with an "N passed, N failed" line; exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/interop/setup.sh
py="$venv/bin/python"
hf="$venv/bin/hf"

# Two accounts; the server's whoami names every token "hubscout", so hf stores its logins under that name.
alice="hf_interop_alice_0123456789"
bob="hf_interop_bob_9876543210"
mkdir -p "$work/served"
printf '{"tokens": {"%s": {"user": "alice"}, "%s": {"user": "bob"}}}\n' "$alice" "$bob" >"$work/served/hubscout-server.json"
serve "$work/served"

export HF_ENDPOINT="http://127.0.0.1:$port" HF_HOME="$work/hf-home" HOME="$work" HF_HUB_DISABLE_TELEMETRY=1 \
  HUBSCOUT_NO_CATALOG=1 NO_COLOR=1
unset HF_TOKEN HUGGING_FACE_HUB_TOKEN HF_TOKEN_PATH
passed=0
failed=0
# Runs a check function. `set -e` does not apply inside a function run as an `if` condition, so every step
# in the functions below ends with `|| return 1`.
check() {
  local name="$1"; shift
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "PASS $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/    /'
  fi
}
# Succeeds when the text ($1) contains every other argument; prints the text otherwise.
contains() {
  local text="$1"; shift
  for want in "$@"; do
    grep -qF -- "$want" <<<"$text" || { echo "missing: $want"; echo "$text"; return 1; }
  done
}
lacks() {
  local text="$1"; shift
  for unwanted in "$@"; do
    if grep -qF -- "$unwanted" <<<"$text"; then echo "unexpected: $unwanted"; echo "$text"; return 1; fi
  done
}

hubscout_login_seen_by_hf() {
  "$bin" auth login --token "$alice" --token-name from-hubscout >/dev/null || return 1
  local list; list="$("$hf" auth list 2>&1)"
  contains "$list" "from-hubscout" "hf_****6789" || return 1
  # The active one is starred.
  grep -E '^\*.*from-hubscout' <<<"$list" >/dev/null || { echo "not starred: $list"; return 1; }
  "$py" - "$alice" <<'EOF' || return 1
import sys
from huggingface_hub import get_token
from huggingface_hub.utils import get_stored_tokens
assert get_stored_tokens() == {"from-hubscout": sys.argv[1]}, get_stored_tokens()
assert get_token() == sys.argv[1]
EOF
}

hf_login_seen_by_hubscout() {
  "$hf" auth login --token "$bob" >/dev/null 2>&1 || return 1
  local json; json="$("$bin" auth list --json)"
  "$py" - "$json" <<'EOF' || return 1
import json, sys
rows = {row["name"]: row for row in json.loads(sys.argv[1])}
assert set(rows) == {"from-hubscout", "hubscout"}, rows
assert rows["hubscout"]["active"] and not rows["from-hubscout"]["active"], rows
assert rows["hubscout"]["token"] == "hf_****3210", rows
EOF
  contains "$("$bin" auth whoami)" "bob" "the stored token 'hubscout'" || return 1
}

switch_both_ways() {
  "$bin" auth switch --token-name from-hubscout 2>/dev/null || return 1
  contains "$("$hf" auth whoami 2>&1)" "alice" || return 1
  "$hf" auth switch --token-name hubscout >/dev/null 2>&1 || return 1
  contains "$("$bin" whoami)" "bob" || return 1
}

# hubscout's file is a fixed point of huggingface_hub's reader and writer: the same bytes come back.
format_is_hfs() {
  "$bin" auth login --token "$alice" --token-name "a name with spaces" >/dev/null 2>&1 || return 1
  "$py" - "$HF_HOME/stored_tokens" <<'EOF' || return 1
import sys
from huggingface_hub.utils._auth import _read_stored_tokens_full, _save_stored_tokens_full
path = sys.argv[1]
before = open(path, "rb").read()
_save_stored_tokens_full(_read_stored_tokens_full())
after = open(path, "rb").read()
assert before == after, (before, after)
assert b"[a name with spaces]\nhf_token = " in before, before
EOF
}

logouts_both_ways() {
  "$hf" auth logout --token-name from-hubscout >/dev/null 2>&1 || return 1
  lacks "$("$bin" auth list)" "from-hubscout" || return 1
  "$bin" auth logout --token-name hubscout 2>/dev/null || return 1
  lacks "$("$hf" auth list 2>&1)" "hubscout " || return 1
  "$bin" auth logout 2>/dev/null || return 1
  [ ! -e "$HF_HOME/stored_tokens" ] && [ ! -e "$HF_HOME/token" ] || return 1
  contains "$("$hf" auth list 2>&1)" "No access tokens found" || return 1
}

check "hf auth list sees a token hubscout auth login stored" hubscout_login_seen_by_hf
check "hubscout auth list sees a token hf auth login stored" hf_login_seen_by_hubscout
check "auth switch on either side changes the other's account" switch_both_ways
check "stored_tokens from hubscout is byte-identical after huggingface_hub rewrites it" format_is_hfs
check "logouts on either side show on the other" logouts_both_ways

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
