"""hubscout's cache commands on a cache that huggingface_hub 2.3+ itself built with its shared blob store.

Usage: python check_shared_store.py HUBSCOUT_BIN WORK_DIR API_URL
  API_URL: a `hubscout serve` of a cache built by make_shared_cache.py (for the download and hf_hub_download checks).

Each check compares hubscout's answer with what huggingface_hub's own scanner and store helpers report on the same
folder. Exits 1 on the first disagreement, naming it.
"""
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_shared_cache as fixture  # noqa: E402

failures = 0
passed = 0


def check(name, condition, detail=""):
    global failures, passed
    if condition:
        passed += 1
        print(f"ok    {name}")
    else:
        failures += 1
        print(f"FAIL  {name}: {detail}")


def hubscout(bin_path, cache, *args, endpoint=None):
    env = dict(os.environ)
    env.update({"HF_HUB_CACHE": str(cache), "HOME": str(cache.parent / "home"), "NO_COLOR": "1"})
    env.pop("HF_HOME", None)
    if endpoint:
        env["HF_ENDPOINT"] = endpoint
    else:
        env["HF_HUB_OFFLINE"] = "1"
    done = subprocess.run([bin_path, *args], env=env, capture_output=True, text=True, timeout=600)
    return done


def as_json(done):
    try:
        # Commands that stream (download) print one JSON object per line and end with the summary.
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError:
            return json.loads(done.stdout.strip().splitlines()[-1])
    except json.JSONDecodeError:
        return {"_unparsed": done.stdout, "_stderr": done.stderr}


def main(bin_path, work, api):
    work = Path(work)
    cache = work / "shared-hub"
    (work / "home").mkdir(parents=True, exist_ok=True)
    built = fixture.build(cache)
    reference = fixture.inspect(cache)
    shared_size = next(b["size"] for b in reference["store_blobs"] if len(b["valid_references"] or []) == 2)

    # ls: each store blob once in the total, as huggingface_hub's cache-wide size; per repo as scan_cache_dir.
    listing = as_json(hubscout(bin_path, cache, "ls", "--json"))
    check("ls total equals huggingface_hub's cache size (store blobs once)",
          listing.get("totalBytes") == reference["cache_size_on_disk"], f"{listing.get('totalBytes')} vs {reference['cache_size_on_disk']}")
    sizes = {m["id"]: m["sizeOnDisk"] for m in listing.get("models", [])}
    check("ls per-repository sizes equal scan_cache_dir's",
          sizes == {k: v["size_on_disk"] for k, v in reference["repos"].items()}, f"{sizes}")
    shared = {m["id"]: m.get("sharedBytes") for m in listing.get("models", [])}
    check("ls marks the shared bytes of both repositories linking one store blob",
          shared.get("acme/base-model") == shared_size and shared.get("acme/base-model-copy") == shared_size, f"{shared}")

    # verify: through the links, every blob hashed against its name.
    verify = as_json(hubscout(bin_path, cache, "cache", "verify", "--json"))
    files = sum(len(r["files"]) for r in reference["repos"].values())
    check("cache verify checks every blob through the links and finds the cache clean",
          verify.get("clean") is True and verify.get("verified") == files, f"{verify}")

    # rm of one of the two sharing repositories: the store blob stays, the manifest drops the entry.
    copy_config = reference["repos"]["acme/base-model-copy"]["files"]["config.json"]["size_on_disk"]
    removed = as_json(hubscout(bin_path, cache, "cache", "rm", "acme/base-model-copy", "-y", "--json"))
    after = fixture.inspect(cache)
    check("cache rm reports only the removed repository's own bytes as freed",
          removed.get("bytesFreed") == copy_config, f"{removed.get('bytesFreed')} vs {copy_config}")
    store_blob = next((b for b in after["store_blobs"] if b["size"] == shared_size), None)
    check("the store blob the other repository links stays", store_blob is not None, f"{after['store_blobs']}")
    base_etag = built["repos"]["acme/base-model"]["files"]["model.safetensors"]
    check("its manifest no longer names the removed repository",
          store_blob is not None and store_blob["manifest"] == [f"models--acme--base-model/blobs/{base_etag}"], f"{store_blob}")
    check("huggingface_hub sees no unreferenced store blob and no warning",
          after["unreferenced_store_blobs"] == [] and after["warnings"] == [], f"{after['unreferenced_store_blobs']} {after['warnings']}")
    check("huggingface_hub still reads the remaining repository", "acme/base-model" in after["repos"] and "acme/base-model-copy" not in after["repos"])

    # An orphan: another tool deleted acme/solo without tidying the store. prune releases its store blob.
    solo = next(b for b in after["store_blobs"] if b["valid_references"] and any("solo" in r for r in b["valid_references"]))
    subprocess.run(["rm", "-rf", str(cache / "models--acme--solo")], check=True)
    old = time.time() - 7200
    for suffix in ("", ".refs"):
        path = cache / "blobs" / solo["xet_hash"][:2] / (solo["xet_hash"] + suffix)
        if path.exists():
            os.utime(path, (old, old), follow_symlinks=False)
    pruned = as_json(hubscout(bin_path, cache, "cache", "prune", "-y", "--json"))
    final = fixture.inspect(cache)
    check("cache prune releases the store blob nothing links to, and only it",
          pruned.get("bytesFreed") == solo["size"] and [b["xet_hash"] for b in final["store_blobs"]] == [store_blob["xet_hash"]],
          f"{pruned} {final['store_blobs']}")

    # catalog scan reads the same cache.
    scan = hubscout(bin_path, cache, "catalog", "scan", "--json")
    scanned = as_json(scan)
    check("catalog scan records the cache with each store blob once",
          scan.returncode == 0 and scanned.get("totalBytes") == final["cache_size_on_disk"], f"{scan.stdout[:300]} {scan.stderr[:300]}")

    # A second cache where huggingface_hub removed acme/base-model-copy: hubscout downloads it again from the mirror
    # and links the store blob acme/base-model still holds instead of fetching it.
    second = work / "second-hub"
    fixture.build(second)
    fixture.library_rm(second, "acme/base-model-copy")
    download = as_json(hubscout(bin_path, second, "download", "acme/base-model-copy", "--json", endpoint=api))
    statuses = {f["path"]: f["status"] for f in download.get("files", [])} if isinstance(download.get("files"), list) else {}
    check("download links the store blob already present (no transfer)",
          statuses.get("model.safetensors") == "linked", f"{download}")
    relinked = fixture.inspect(second)
    targets = {r: v["files"]["model.safetensors"]["shared_store_target"] for r, v in relinked["repos"].items() if "base-model" in r}
    check("huggingface_hub sees both repositories linking the one store blob again",
          len(targets) == 2 and len(set(targets.values())) == 1 and None not in targets.values(), f"{targets}")
    blob = next((b for b in relinked["store_blobs"] if b["size"] == shared_size), {})
    check("the manifest lists both entries and they are valid",
          len(blob.get("manifest") or []) == 2 and len(blob.get("valid_references") or []) == 2, f"{blob}")

    # serve: huggingface_hub downloads a shared file from hubscout serve (the mirror serves a store-backed cache).
    from huggingface_hub import hf_hub_download
    path = hf_hub_download("acme/base-model", "model.safetensors", cache_dir=str(work / "client-hub"), endpoint=api)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    check("hubscout serve hands huggingface_hub a store-backed file with the right sha256", digest == base_etag, digest)

    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
