#!/usr/bin/env bash
# Air-gapped transfer check: a small HF cache → `hubscout bundle create` → `bundle verify` → `bundle import`
# into a fresh cache → Python huggingface_hub with HF_HUB_OFFLINE=1 loads every file from it
# (snapshot_download, hf_hub_download, scan_cache_dir), byte for byte. Plain and zstd bundles, and a bundle
# in volumes. Uses the interop virtualenv (HUBSCOUT_VENV, default .venv-interop, created with
# huggingface_hub from PyPI when missing). Ends with an "N passed, N failed" line; exit status 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/interop/setup.sh
# transformers (without torch) reads the imported config the way an app loading the model would.
if ! "$venv/bin/python" -c "import transformers" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check transformers \
    || echo "note: transformers could not be installed; its check is skipped"
fi

# No network at all: hubscout must work from the cache, huggingface_hub from the imported cache.
export HF_HUB_OFFLINE=1 HUBSCOUT_NO_CATALOG=1 HF_HUB_DISABLE_TELEMETRY=1 HF_ENDPOINT="http://127.0.0.1:9"
"$venv/bin/python" "$root/scripts/interop/make_cache.py" "$work/source"
repos=(hubscout-test/tiny-llama hubscout-test/other-model)

bundles=("$work/models.tar")
"$bin" bundle create "${repos[@]}" -o "$work/models.tar" --cache-dir "$work/source" --no-download >/dev/null 2>"$work/create.log" \
  || { cat "$work/create.log"; exit 1; }
if "$bin" bundle create "${repos[@]}" -o "$work/models.tar.zst" --cache-dir "$work/source" --no-download >/dev/null 2>>"$work/create.log"; then
  bundles+=("$work/models.tar.zst")
else
  echo "note: no zstd bundle ($(tail -1 "$work/create.log"))"
fi
"$bin" bundle create "${repos[@]}" -o "$work/split.tar" --split 1M --cache-dir "$work/source" --no-download >/dev/null 2>>"$work/create.log"
bundles+=("$work/split.tar.000")

status=0
for bundle in "${bundles[@]}"; do
  name="$(basename "$bundle")"
  target="$work/target-$name/hub"
  "$bin" bundle verify "$bundle" >/dev/null
  "$bin" bundle import "$bundle" --cache-dir "$target" >/dev/null 2>"$work/import.log" || { cat "$work/import.log"; exit 1; }
  echo "== $name"
  HF_HOME="$work/hf-home-$name" HF_HUB_CACHE="$target" SOURCE="$work/source" REPOS="${repos[*]}" \
    "$venv/bin/python" - <<'PY' || status=1
import os, sys
from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download

source, repos = os.environ["SOURCE"], os.environ["REPOS"].split()
passed = failed = 0

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"  ok    {name}")
    else:
        failed += 1
        print(f"  FAIL  {name} {detail}")

def source_files(repo):
    folder = os.path.join(source, "models--" + repo.replace("/", "--"))
    commit = open(os.path.join(folder, "refs", "main")).read()
    snap = os.path.join(folder, "snapshots", commit)
    files = {}
    for dirpath, _, names in os.walk(snap):
        for n in names:
            full = os.path.join(dirpath, n)
            files[os.path.relpath(full, snap)] = open(full, "rb").read()
    return commit, files

for repo in repos:
    commit, files = source_files(repo)
    try:
        path = snapshot_download(repo)
        check(f"{repo}: snapshot_download offline → snapshots/{commit[:12]}", os.path.basename(path) == commit, path)
        for rel, data in sorted(files.items()):
            got = open(os.path.join(path, rel), "rb").read()
            check(f"{repo}: {rel} identical ({len(data)} bytes)", got == data)
        for rel, data in sorted(files.items()):
            got = open(hf_hub_download(repo, rel), "rb").read()
            check(f"{repo}: hf_hub_download {rel}", got == data)
        by_commit = open(hf_hub_download(repo, "config.json", revision=commit), "rb").read()
        check(f"{repo}: hf_hub_download by commit", by_commit == files["config.json"])
    except Exception as error:  # noqa: BLE001 - any failure is a failed check
        check(f"{repo}: offline load", False, repr(error))

info = scan_cache_dir(os.environ["HF_HUB_CACHE"])
check("scan_cache_dir: no warnings", not info.warnings, [str(w) for w in info.warnings])
check("scan_cache_dir: every repo", sorted(r.repo_id for r in info.repos) == sorted(repos))
check("scan_cache_dir: refs main", all("main" in {ref for rev in r.revisions for ref in rev.refs} for r in info.repos))
try:
    import transformers  # optional: only where the venv has it
    config = transformers.AutoConfig.from_pretrained(repos[0])
    check("transformers AutoConfig offline", config.model_type == "llama" and config.num_hidden_layers == 2)
    card_path = transformers.utils.cached_file(repos[0], "README.md")
    check("transformers cached_file offline", open(card_path, "rb").read() == source_files(repos[0])[1]["README.md"])
except ImportError:
    pass
print(f"  {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
done
exit $status
