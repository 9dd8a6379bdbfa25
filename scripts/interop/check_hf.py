"""huggingface_hub against `hubscout serve`: listing, info, single-file and snapshot downloads."""
import hashlib
import os
import sys
import traceback

from huggingface_hub import HfApi, hf_hub_download, snapshot_download

SERVED = os.environ["SERVED"]
passed, failed = 0, 0


def served_bytes(repo_id, path):
    folder = os.path.join(SERVED, "models--" + repo_id.replace("/", "--"))
    commit = open(os.path.join(folder, "refs", "main")).read().strip()
    with open(os.path.join(folder, "snapshots", commit, path), "rb") as f:
        return f.read()


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"PASS {name}")
    except Exception:
        failed += 1
        print(f"FAIL {name}")
        traceback.print_exc()


api = HfApi()


def list_models():
    ids = sorted(m.id for m in api.list_models(limit=50))
    assert ids == ["hubscout-test/other-model", "hubscout-test/tiny-llama"], ids
    found = [m.id for m in api.list_models(pipeline_tag="text-generation")]
    assert found == ["hubscout-test/tiny-llama"], found


def model_info():
    info = api.model_info("hubscout-test/tiny-llama", files_metadata=True)
    assert info.id == "hubscout-test/tiny-llama", info.id
    assert info.sha == "a" * 40, info.sha
    sizes = {s.rfilename: s.size for s in info.siblings}
    assert sizes["model.safetensors"] == len(served_bytes("hubscout-test/tiny-llama", "model.safetensors")), sizes
    lfs = {s.rfilename: s.lfs for s in info.siblings}
    assert lfs["model.safetensors"] is not None and lfs["config.json"] is None, lfs
    assert info.pipeline_tag == "text-generation", info.pipeline_tag


def single_file():
    for path in ["config.json", "model.safetensors", "tokenizer/vocab.txt", "empty.txt"]:
        local = hf_hub_download("hubscout-test/tiny-llama", path)
        with open(local, "rb") as f:
            assert f.read() == served_bytes("hubscout-test/tiny-llama", path), path


def snapshot():
    folder = snapshot_download("hubscout-test/tiny-llama")
    for path in ["README.md", "config.json", "model.safetensors", "tokenizer/vocab.txt", "empty.txt"]:
        with open(os.path.join(folder, path), "rb") as f:
            data = f.read()
        assert hashlib.sha256(data).digest() == hashlib.sha256(served_bytes("hubscout-test/tiny-llama", path)).digest(), path


def catalog_scan():
    # `hubscout catalog scan` indexes the cache huggingface_hub just wrote (HF_HOME of the downloads above).
    import json
    import subprocess

    from huggingface_hub import scan_cache_dir

    hub = os.path.join(os.environ["HF_HOME"], "hub")
    env = dict(os.environ, HUBSCOUT_HOME=os.path.join(os.environ["WORK"], "hubscout-home"))
    run = subprocess.run([os.environ["HUBSCOUT_BIN"], "catalog", "scan", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    repos = {r["id"]: r for r in json.loads(run.stdout)["repos"]}
    assert "hubscout-test/tiny-llama" in repos, sorted(repos)
    found = repos["hubscout-test/tiny-llama"]
    blobs = os.path.join(hub, "models--hubscout-test--tiny-llama", "blobs")
    expected = sum(os.path.getsize(os.path.join(blobs, name)) for name in os.listdir(blobs))
    assert found["sizeOnDisk"] == expected, (found["sizeOnDisk"], expected)
    python_view = {r.repo_id: r for r in scan_cache_dir(hub).repos}
    assert found["sizeOnDisk"] == python_view["hubscout-test/tiny-llama"].size_on_disk, python_view
    commits = {rev["commit"] for rev in found["revisions"]}
    assert commits == {r.commit_hash for r in python_view["hubscout-test/tiny-llama"].revisions}, commits


def hubscout_download(hf_home, *args):
    import json
    import subprocess

    env = dict(os.environ, HF_HOME=hf_home, HUBSCOUT_HOME=os.path.join(os.environ["WORK"], "hubscout-home"))
    run = subprocess.run([os.environ["HUBSCOUT_BIN"], "download", "hubscout-test/tiny-llama", "--json", *args], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return lines[-1]


def python_reads_hubscout_cache():
    # After `hubscout download`, huggingface_hub offline finds every file, and its cache scan reports no problem.
    import subprocess

    hf_home = os.path.join(os.environ["WORK"], "hubscout-downloads")
    summary = hubscout_download(hf_home)
    assert summary["bytesDownloaded"] > 3 * 1024 * 1024, summary
    code = r"""
import os, sys
from huggingface_hub import hf_hub_download, scan_cache_dir
for path in ["README.md", "config.json", "model.safetensors", "tokenizer/vocab.txt", "empty.txt"]:
    local = hf_hub_download("hubscout-test/tiny-llama", path, local_files_only=True)
    served = os.path.join(os.environ["SERVED"], "models--hubscout-test--tiny-llama", "snapshots", "a" * 40, path)
    assert open(local, "rb").read() == open(served, "rb").read(), path
info = scan_cache_dir(os.path.join(os.environ["HF_HOME"], "hub"))
assert not info.warnings, info.warnings
assert [r.repo_id for r in info.repos] == ["hubscout-test/tiny-llama"], info.repos
"""
    env = dict(os.environ, HF_HOME=hf_home, HF_HUB_OFFLINE="1")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def hubscout_reuses_python_cache():
    # A repo that huggingface_hub put in the cache (snapshot_download above) is recognised: nothing is fetched again.
    summary = hubscout_download(os.environ["HF_HOME"])
    assert summary["bytesDownloaded"] == 0, summary
    assert summary["bytesReused"] >= 3 * 1024 * 1024, summary


check("HfApi().list_models", list_models)
check("HfApi().model_info", model_info)
check("hf_hub_download (git and LFS files, zero bytes, sub-folder)", single_file)
check("snapshot_download byte-identical", snapshot)
check("hubscout catalog scan of the huggingface_hub cache", catalog_scan)
check("huggingface_hub offline reads a cache written by hubscout download", python_reads_hubscout_cache)
check("hubscout download reuses files huggingface_hub downloaded", hubscout_reuses_python_cache)

print(f"interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
