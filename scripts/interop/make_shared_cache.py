"""Build (or inspect) a Hugging Face cache that uses huggingface_hub 2.3+'s cache-wide shared blob store.

Usage:
    python make_shared_cache.py CACHE_DIR
        Builds three repos in CACHE_DIR with huggingface_hub's own helpers and prints a JSON summary.
        acme/base-model and acme/base-model-copy link the SAME store blob for model.safetensors;
        acme/solo links a store blob of its own. config.json stays a repo-local git blob in every repo.
    python make_shared_cache.py --check-after-rm CACHE_DIR REPO_ID
        Prints JSON describing what huggingface_hub's scanner sees: repos and their size_on_disk,
        the store blobs present and each one's .refs manifest lines. REPO_ID is the repo that was
        removed (reported as repo_present / repo_dir_exists).
    python make_shared_cache.py --library-rm CACHE_DIR REPO_ID
        Deletes REPO_ID the way `hf cache rm` does (scan_cache_dir().delete_revisions(all).execute()),
        then prints the same JSON as --check-after-rm.
    python make_shared_cache.py --library-prune CACHE_DIR
        Collects unreferenced store blobs the way `hf cache prune` does
        (_shared_blobs.unreferenced_shared_blobs + sweep_shared_blob), then prints the check JSON.

Needs huggingface_hub >= 2.3 (huggingface_hub/utils/_shared_blobs.py). Writes nothing over the network.

Which library functions build the layout, and why these ones
----------------------------------------------------------
The real download path (file_download._hf_hub_download_to_cache_dir) does, per file:
  1. _local_folder._create_cachedir_tag(cache_dir)
  2. file_download._cache_commit_hash_for_specific_revision(storage_folder, revision, commit_hash)  -> refs/main
  3. under utils.WeakFileLock(<cache>/.locks/<repo folder>/<etag>.lock):
     a. utils._shared_blobs.try_link_from_shared_store(blob_path=, xet_hash=, cache_dir=, expected_size=) -> bool
        (store entry already there: append the .refs line under the per-hash lock, make blobs/<etag> a symlink;
        no download at all)
     b. otherwise the file is downloaded to blobs/<etag> (network) and then
        utils._shared_blobs.publish_blob_to_shared_store(blob_path=, xet_hash=, cache_dir=, expected_size=,
        replace_existing=False) -> bool
        moves that regular file into <cache>/blobs/<xh[:2]>/<xh> (adopting/creating and marking the store),
        appends the .refs line under the per-hash lock and swaps blobs/<etag> for a relative symlink.
     c. file_download._create_symlink(blob_path, pointer_path, new_blob=not shared) -> snapshots/<commit>/<file>
Only step 3b's download needs the network. This script replaces it by writing the bytes to blobs/<etag>
itself (what _download_to_tmp_and_move leaves behind) and then calls the very same
publish_blob_to_shared_store, so the store, marker, modes, lock files, manifest and symlinks are exactly
what the library writes. The second repo sharing a blob goes through try_link_from_shared_store, as a
real second download of the same Xet file would. Nothing below writes a store path or symlink by hand.
"""
import hashlib
import json
import os
import struct
import sys
from pathlib import Path

try:
    import huggingface_hub
    from huggingface_hub import scan_cache_dir
    from huggingface_hub._local_folder import _create_cachedir_tag
    from huggingface_hub.file_download import (
        _cache_commit_hash_for_specific_revision,
        _create_symlink,
        are_symlinks_supported,
        repo_folder_name,
    )
    from huggingface_hub.utils import WeakFileLock
    from huggingface_hub.utils import _shared_blobs
except ImportError as e:  # pragma: no cover - depends on the installed version
    sys.stderr.write(f"make_shared_cache.py needs huggingface_hub >= 2.3 (shared blob store): {e}\n")
    sys.exit(2)


# Fixed commits, so tests can hard-code them.
REPOS = {
    "acme/base-model": "5c1c0e7f0a9b1d2e3f405162738495a6b7c8d9e0",
    "acme/base-model-copy": "7d2e4f6a8b0c1d3e5f708192a3b4c5d6e7f80912",
    "acme/solo": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807",
}
SHARED_GROUP = ("acme/base-model", "acme/base-model-copy")


def git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def fake_xet_hash(data: bytes) -> str:
    # Well-formed (64 lowercase hex) but not a real Xet merkle hash: nothing here talks to a Xet CAS.
    return hashlib.sha256(b"xet:" + data).hexdigest()


def safetensors_bytes(n: int, seed: float) -> bytes:
    """Valid safetensors: u64 LE header length, JSON header (space-padded to 8 bytes), then F32 data."""
    header = {
        "__metadata__": {"format": "pt"},
        "weight": {"dtype": "F32", "shape": [n], "data_offsets": [0, 4 * n]},
    }
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    data = struct.pack(f"<{n}f", *(seed + i * 0.25 for i in range(n)))
    return struct.pack("<Q", len(h)) + h + data


def config_bytes(repo_id: str) -> bytes:
    return (json.dumps({"_name_or_path": repo_id, "model_type": "bert", "hidden_size": 32}, indent=2) + "\n").encode()


def _place_file(cache_dir: Path, repo_id: str, commit: str, filename: str, data: bytes, xet_hash: str | None) -> str:
    """Put one file in the cache the way file_download does; returns its etag (blob name)."""
    storage_folder = cache_dir / repo_folder_name(repo_id=repo_id, repo_type="model")
    etag = hashlib.sha256(data).hexdigest() if xet_hash else git_sha1(data)
    blob_path = storage_folder / "blobs" / etag
    pointer_path = storage_folder / "snapshots" / commit / filename
    blob_path.parent.mkdir(parents=True, exist_ok=True)
    pointer_path.parent.mkdir(parents=True, exist_ok=True)
    _create_cachedir_tag(cache_dir)
    _cache_commit_hash_for_specific_revision(str(storage_folder), "main", commit)

    lock_path = cache_dir / ".locks" / storage_folder.name / f"{etag}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with WeakFileLock(str(lock_path)):
        shared = False
        if xet_hash is not None:
            shared = _shared_blobs.try_link_from_shared_store(
                blob_path=str(blob_path), xet_hash=xet_hash, cache_dir=cache_dir, expected_size=len(data)
            )
        if not shared:
            # Stand-in for the network download (_download_to_tmp_and_move): the bytes land in blobs/<etag>.
            tmp = blob_path.with_name(blob_path.name + ".incomplete")
            tmp.write_bytes(data)
            os.replace(tmp, blob_path)
            if xet_hash is not None:
                shared = _shared_blobs.publish_blob_to_shared_store(
                    blob_path=str(blob_path), xet_hash=xet_hash, cache_dir=cache_dir, expected_size=len(data)
                )
                if not shared:
                    raise SystemExit(f"publish_blob_to_shared_store refused {blob_path} (store unusable?)")
        _create_symlink(str(blob_path), str(pointer_path), new_blob=not shared)
    return etag


def build(cache_dir: Path) -> dict:
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache_dir = cache_dir.resolve()  # scan_cache_dir resolves too; keeps manifest-relative paths consistent
    for repo_id in REPOS:  # re-running would append duplicate .refs lines: start from a fresh directory
        if (cache_dir / repo_folder_name(repo_id=repo_id, repo_type="model")).exists():
            raise SystemExit(f"{cache_dir} already holds {repo_id}; use an empty or new CACHE_DIR")
    if not are_symlinks_supported(cache_dir):
        raise SystemExit(f"symlinks are not supported in {cache_dir}; the shared store needs them")

    shared_weights = safetensors_bytes(1024, 0.5)  # 4 KiB of data
    solo_weights = safetensors_bytes(768, -3.0)
    weights = {r: shared_weights for r in SHARED_GROUP}
    weights["acme/solo"] = solo_weights

    repos: dict = {}
    store: dict[str, dict] = {}
    for repo_id, commit in REPOS.items():
        w = weights[repo_id]
        xh = fake_xet_hash(w)
        files = {
            "config.json": _place_file(cache_dir, repo_id, commit, "config.json", config_bytes(repo_id), None),
            "model.safetensors": _place_file(cache_dir, repo_id, commit, "model.safetensors", w, xh),
        }
        repos[repo_id] = {"commit": commit, "files": files}
        entry = store.setdefault(xh, {"xet_hash": xh, "size": len(w), "linked_by": []})
        entry["linked_by"].append(repo_id)

    for xh, entry in store.items():
        manifest = _shared_blobs.shared_blob_manifest_path(cache_dir, xh)
        entry["store_path"] = str(_shared_blobs.shared_blob_path(cache_dir, xh).relative_to(cache_dir))
        entry["manifest"] = manifest.read_text().splitlines()
    return {
        "huggingface_hub": huggingface_hub.__version__,
        "cache": str(cache_dir),
        "store_blobs": sorted(store.values(), key=lambda e: e["xet_hash"]),
        "repos": repos,
    }


def inspect(cache_dir: Path, removed_repo: str | None = None) -> dict:
    """What huggingface_hub itself sees in the cache."""
    info = scan_cache_dir(cache_dir)
    cache_dir = info.cache_dir
    repos = {}
    for repo in sorted(info.repos, key=lambda r: (r.repo_type, r.repo_id)):
        repos[repo.repo_id] = {
            "repo_type": repo.repo_type,
            "size_on_disk": repo.size_on_disk,
            "nb_files": repo.nb_files,
            "revisions": sorted(r.commit_hash for r in repo.revisions),
            "refs": sorted(repo.refs),
            "files": {
                f.file_name: {
                    "blob": f.blob_path.name,
                    "size_on_disk": f.size_on_disk,
                    "shared_store_target": (
                        str(t.relative_to(cache_dir))
                        if (t := _shared_blobs.shared_blob_target(f.blob_path, cache_dir))
                        else None
                    ),
                }
                for rev in repo.revisions
                for f in rev.files
            },
        }
    store_dir = _shared_blobs.shared_blobs_dir(cache_dir)
    store_blobs = []
    for path in sorted(_shared_blobs.shared_store_blob_paths(cache_dir)):
        manifest = _shared_blobs.shared_blob_manifest_path(cache_dir, path.name)
        try:
            lines = manifest.read_text().splitlines()
        except OSError:
            lines = None
        valid = _shared_blobs._read_valid_manifest_references(path, cache_dir)
        store_blobs.append(
            {
                "xet_hash": path.name,
                "size": path.lstat().st_size,
                "mode": oct(path.lstat().st_mode & 0o7777),
                "manifest": lines,  # raw lines of <xet hash>.refs; None if missing/unreadable
                "valid_references": None if valid is None else sorted(str(p.relative_to(cache_dir)) for p in valid),
            }
        )
    unreferenced = _shared_blobs.unreferenced_shared_blobs(cache_dir)
    out = {
        "huggingface_hub": huggingface_hub.__version__,
        "cache": str(cache_dir),
        "store_marked": _shared_blobs.is_shared_blobs_dir(store_dir),
        "cache_size_on_disk": info.size_on_disk,  # physical: each store blob counted once
        "repos": repos,
        "store_blobs": store_blobs,
        "unreferenced_store_blobs": sorted(p.name for p in unreferenced),
        "warnings": [str(w) for w in info.warnings],
    }
    if removed_repo is not None:
        out["removed_repo"] = removed_repo
        out["repo_present"] = removed_repo in repos
        out["repo_dir_exists"] = (cache_dir / repo_folder_name(repo_id=removed_repo, repo_type="model")).exists()
    return out


def library_rm(cache_dir: Path, repo_id: str) -> None:
    """What `hf cache rm model/<repo_id>` does for a whole repo: delete all its revisions (-> repo folder)."""
    info = scan_cache_dir(cache_dir)
    revs = [r.commit_hash for repo in info.repos if repo.repo_id == repo_id for r in repo.revisions]
    if not revs:
        raise SystemExit(f"{repo_id} not in cache")
    strategy = info.delete_revisions(*revs)
    sys.stderr.write(f"delete strategy: repos={sorted(map(str, strategy.repos))} "
                     f"expected_freed_size={strategy.expected_freed_size}\n")
    strategy.execute()


def library_prune(cache_dir: Path) -> None:
    """The shared-store half of `hf cache prune`."""
    cache_dir = scan_cache_dir(cache_dir).cache_dir
    for store_path, size in _shared_blobs.unreferenced_shared_blobs(cache_dir).items():
        freed = _shared_blobs.sweep_shared_blob(store_path, cache_dir=cache_dir)
        sys.stderr.write(f"swept {store_path.name}: {freed} of {size} bytes\n")


def main(argv: list[str]) -> int:
    if len(argv) == 1 and not argv[0].startswith("-"):
        result = build(Path(argv[0]))
    elif len(argv) == 3 and argv[0] == "--check-after-rm":
        result = inspect(Path(argv[1]), argv[2])
    elif len(argv) == 3 and argv[0] == "--library-rm":
        library_rm(Path(argv[1]), argv[2])
        result = inspect(Path(argv[1]), argv[2])
    elif len(argv) == 2 and argv[0] == "--library-prune":
        library_prune(Path(argv[1]))
        result = inspect(Path(argv[1]))
    else:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
