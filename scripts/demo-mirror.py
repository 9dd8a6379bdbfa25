"""Builds a Hugging Face cache that mirrors the metadata of the shipped snapshot (cache/models.jsonl):
for every model a README with its card facts, a config.json with its known config values, and a
hubscout-server.json sidecar with downloads, likes, gating and the API's safetensors counts.
No weights are written. `hubscout serve` over the result behaves like the Hub for search/info/fit.

usage: python3 scripts/demo-mirror.py OUT_DIR
"""
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def git_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def write_repo(out, repo_id, files):
    folder = os.path.join(out, "models--" + repo_id.replace("/", "--"))
    listing = "".join(f"{p} {git_sha1(d)}\n" for p, d in sorted(files.items()))
    commit = hashlib.sha1(("commit " + repo_id + "\n" + listing).encode()).hexdigest()
    os.makedirs(os.path.join(folder, "blobs"), exist_ok=True)
    os.makedirs(os.path.join(folder, "refs"), exist_ok=True)
    for path, data in files.items():
        etag = git_sha1(data)
        with open(os.path.join(folder, "blobs", etag), "wb") as f:
            f.write(data)
        target = os.path.join(folder, "snapshots", commit, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.path.relpath(os.path.join(folder, "blobs", etag), os.path.dirname(target)), target)
    with open(os.path.join(folder, "refs", "main"), "w") as f:
        f.write(commit)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sidecar = {"repos": {}}
    for line in open(os.path.join(ROOT, "cache", "models.jsonl")):
        model = json.loads(line)
        repo_id = model["id"]
        extra = model.get("hubscout", {})
        front = []
        license_id = (model.get("cardData") or {}).get("license")
        if license_id:
            front.append(f"license: {license_id}")
        if model.get("pipeline_tag"):
            front.append(f"pipeline_tag: {model['pipeline_tag']}")
        if model.get("library_name"):
            front.append(f"library_name: {model['library_name']}")
        tags = [t for t in model.get("tags", []) if ":" not in t]
        if tags:
            front.append("tags:\n" + "\n".join(f"- {t}" for t in tags))
        readme = "---\n" + "\n".join(front) + "\n---\n# " + repo_id + "\n\nMetadata mirror of " + repo_id + \
            " from hubscout's shipped snapshot (no weights).\n"
        files = {"README.md": readme.encode()}
        config = dict(extra.get("config") or {})
        summary = model.get("config") or {}
        if summary.get("architectures"):
            config.setdefault("architectures", summary["architectures"])
        if summary.get("model_type"):
            config.setdefault("model_type", summary["model_type"])
        if config:
            files["config.json"] = json.dumps(config, indent=2).encode()
        write_repo(out, repo_id, files)
        facts = {k: model[k] for k in ("downloads", "likes", "gated", "pipeline_tag", "library_name", "createdAt",
                                        "lastModified", "safetensors") if model.get(k) not in (None, False)}
        st = facts.get("safetensors")
        if st is not None and not (isinstance(st.get("parameters"), dict) and isinstance(st.get("total"), int)):
            del facts["safetensors"]   # the server's sidecar needs both keys, as the Hub sends them
        if model.get("tags"):
            facts["tags"] = model["tags"]
        sidecar["repos"][repo_id] = facts
    with open(os.path.join(out, "hubscout-server.json"), "w") as f:
        json.dump(sidecar, f, indent=1)
    print(f"wrote {len(sidecar['repos'])} repos to {out}")


if __name__ == "__main__":
    main()
