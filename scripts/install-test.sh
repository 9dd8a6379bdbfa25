#!/usr/bin/env bash
# Tests `make install` / `make uninstall`: into a temporary PREFIX, then with DESTDIR staging. Runs the installed
# binary alone (fresh HOME, no Hub reachable) and checks it answers from its compiled-in snapshot, that the man page
# renders and the completion scripts parse, and that uninstall removes exactly what install wrote.
# It needs a release build (many minutes on a small machine), so it is run by hand, not on every CI run.
#
# Usage: scripts/install-test.sh [make variables…]    e.g. scripts/install-test.sh SCRATCH=.build-install
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hubscout-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

expected_files() { # PREFIX-relative paths make install writes
    printf '%s\n' bin/hubscout share/bash-completion/completions/hubscout share/fish/vendor_completions.d/hubscout.fish \
        share/man/man1/hubscout.1 share/zsh/site-functions/_hubscout
}
files_under() { (cd "$1" && find . -type f -o -type l | sed 's|^\./||' | sort); }

# 1. make install PREFIX=<tmp>/prefix
prefix=$tmp/prefix
echo "== make install PREFIX=$prefix $*"
make --no-print-directory install PREFIX="$prefix" "$@"
echo "== installed files"
files_under "$prefix"
check "install wrote exactly the five files" diff <(expected_files) <(files_under "$prefix")
check "the binary is executable" test -x "$prefix/bin/hubscout"

# 2. The installed binary, alone: fresh HOME, bare PATH, a Hub endpoint nothing listens on, run from an empty folder.
home=$tmp/home; work=$tmp/work
mkdir -p "$home" "$work"
run() { (cd "$work" && env -i HOME="$home" PATH=/usr/bin:/bin HF_ENDPOINT=http://127.0.0.1:9 HF_HUB_DISABLE_TELEMETRY=1 "$prefix/bin/hubscout" "$@"); }
version=$(run --version)
echo "== hubscout --version: $version"
check "--version names the version and a commit" grep -Eq '^hubscout [0-9]+\.[0-9]+\.[0-9]+[^ ]* \(commit ([0-9a-f]{12}|unknown)\)$' <<<"$version"
echo "== hubscout search --task text-generation --fits 16GB --limit 5 (no network)"
run search --task text-generation --fits 16GB --limit 5 2>"$tmp/search.err" | tee "$tmp/search.out"
sed 's/^/  stderr: /' "$tmp/search.err"
check "search answered from the embedded snapshot" grep -q 'imported [0-9]* models from the snapshot' "$tmp/search.err"
check "search printed rows" grep -q 'text-generation' "$tmp/search.out"
run search --task text-generation --fits 16GB --limit 200 --json 2>/dev/null >"$tmp/search.json"
check "the JSON answer holds Llama-3.1-8B-Instruct" grep -q '"meta-llama/Llama-3.1-8B-Instruct"' "$tmp/search.json"
check "the catalog went to the fresh HOME" test -f "$home/.cache/hubscout/catalog.sqlite"
if command -v ldd >/dev/null && [ "$(uname -s)" = Linux ]; then
    echo "== ldd"
    ldd "$prefix/bin/hubscout" | sed 's/^/  /'
    check "no Swift runtime library is loaded from the toolchain" bash -c "! ldd '$prefix/bin/hubscout' | grep -Eq 'libswiftCore|libFoundation'"
fi

# 3. Man page and completions.
if command -v man >/dev/null; then
    man_out=$(MANWIDTH=100 man -l "$prefix/share/man/man1/hubscout.1" 2>"$tmp/man.err" | sed "s/.\x08//g" || true)
    check "the man page renders" grep -q 'hubscout' <<<"$man_out"
    check "the man page documents search --fits" grep -q -- '--fits' <<<"$man_out"
    check "the man page renders without warnings" test ! -s "$tmp/man.err"
    [ -s "$tmp/man.err" ] && sed 's/^/  man: /' "$tmp/man.err" | head -5
fi
check "the bash completion parses" bash -n "$prefix/share/bash-completion/completions/hubscout"
check "the bash completion defines its function" bash -c "source '$prefix/share/bash-completion/completions/hubscout' && complete -p hubscout >/dev/null"
check "the zsh completion starts with #compdef hubscout" grep -q '^#compdef hubscout' "$prefix/share/zsh/site-functions/_hubscout"
if command -v zsh >/dev/null; then check "the zsh completion parses" zsh -n "$prefix/share/zsh/site-functions/_hubscout"; fi
check "the fish completion completes hubscout" grep -Eq "complete -c '?hubscout'? " "$prefix/share/fish/vendor_completions.d/hubscout.fish"
if command -v fish >/dev/null; then check "the fish completion parses" fish -n "$prefix/share/fish/vendor_completions.d/hubscout.fish"; fi

# 4. make uninstall removes exactly those files; a stranger file in the same folders stays.
touch "$prefix/bin/other-tool"
echo "== make uninstall PREFIX=$prefix"
make --no-print-directory uninstall PREFIX="$prefix" "$@"
check "uninstall removed the five files and nothing else" test "$(files_under "$prefix")" = "bin/other-tool"

# 5. DESTDIR staging: the files land under DESTDIR/PREFIX, and uninstall with the same DESTDIR removes them.
stage=$tmp/stage
echo "== make install PREFIX=/usr/local DESTDIR=$stage"
make --no-print-directory install PREFIX=/usr/local DESTDIR="$stage" "$@" >/dev/null
check "DESTDIR install wrote the five files under DESTDIR/usr/local" diff <(expected_files) <(files_under "$stage/usr/local")
make --no-print-directory uninstall PREFIX=/usr/local DESTDIR="$stage" "$@"
check "DESTDIR uninstall removed them" test -z "$(files_under "$stage")"

echo
if [ "$failures" -eq 0 ]; then echo "install test: all checks passed"; else echo "install test: $failures check(s) failed"; exit 1; fi
