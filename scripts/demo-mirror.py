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
# Full config.json files reconstructed from public sources for the parameter-count tests; used where the
# snapshot only holds a few config values. Same architecture, so the sizes are the real ones.
CONFIGS = os.path.join(ROOT, "Tests", "HubScoutCoreTests", "Fixtures", "configs")
FULL_CONFIGS = {
    "meta-llama/Llama-3.1-8B-Instruct": "llama-3.1-8b", "meta-llama/Llama-3.1-8B": "llama-3.1-8b",
    "meta-llama/Llama-3.1-70B-Instruct": "llama-3.1-70b", "meta-llama/Llama-2-7b-hf": "llama-2-7b",
    "mistralai/Mistral-7B-v0.1": "mistral-7b-v0.1", "mistralai/Mixtral-8x7B-v0.1": "mixtral-8x7b",
    "mistralai/Mixtral-8x7B-Instruct-v0.1": "mixtral-8x7b", "Qwen/Qwen2.5-0.5B": "qwen2.5-0.5b",
    "Qwen/Qwen2.5-0.5B-Instruct": "qwen2.5-0.5b", "Qwen/Qwen2.5-7B": "qwen2.5-7b", "Qwen/Qwen2.5-7B-Instruct": "qwen2.5-7b",
    "Qwen/Qwen3-8B": "qwen3-8b", "Qwen/Qwen3-30B-A3B-Base": "qwen3-30b-a3b", "google/gemma-2-9b-it": "gemma-2-9b",
    "google/gemma-3-4b-it": "gemma-3-4b", "google/gemma-3-27b-it": "gemma-3-27b", "deepseek-ai/DeepSeek-V2-Lite": "deepseek-v2-lite",
    "deepseek-ai/DeepSeek-V2-Lite-Chat": "deepseek-v2-lite", "deepseek-ai/DeepSeek-V3": "deepseek-v3",
    "microsoft/Phi-3-mini-4k-instruct": "phi-3-mini-4k", "llava-hf/llava-1.5-7b-hf": "llava-1.5-7b",
    "Qwen/Qwen2-VL-7B-Instruct": "qwen2-vl-7b", "Qwen/Qwen2-7B": "qwen2-7b", "Qwen/Qwen2-7B-Instruct": "qwen2-7b",
    "openai-community/gpt2": "gpt2", "google-bert/bert-base-uncased": "bert-base-uncased", "google-t5/t5-small": "t5-small",
    "facebook/bart-base": "bart-base",
}


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
        full = FULL_CONFIGS.get(repo_id)
        config = json.load(open(os.path.join(CONFIGS, full + ".json"))) if full else dict(extra.get("config") or {})
        needed = ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size")
        if not full and not all(k in config for k in needed):
            config = {}   # a partial config would be sized with family defaults: better no estimate than a wrong one
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
