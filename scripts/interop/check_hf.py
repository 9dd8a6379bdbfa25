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


check("HfApi().list_models", list_models)
check("HfApi().model_info", model_info)
check("hf_hub_download (git and LFS files, zero bytes, sub-folder)", single_file)
check("snapshot_download byte-identical", snapshot)

print(f"interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
