#!/usr/bin/env python3
"""Builds the inventory benchmark's machine: MODELS local models across the four tools' layouts, as sparse files
(no disk space used), totalling about TOTAL_TIB. Most files have sizes of their own, as real quantizations do;
PAIRS pairs of loose GGUFs (LM Studio and llama.cpp, no digest in their names) share a size and content, so a first
scan must hash them, and a few Ollama blobs are the same pull as an HF cache blob (same stated sha256).

Usage: inventory-tree.py HOME [MODELS=500] [TOTAL_TIB=2] [PAIRS=20] [PAIR_MIB=256]
"""
import hashlib, json, os, random, sys

home = sys.argv[1]
models = int(sys.argv[2]) if len(sys.argv) > 2 else 500
total = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 20
pair_bytes = (int(sys.argv[5]) if len(sys.argv) > 5 else 256) << 20
rng = random.Random(7)

hub = f"{home}/.cache/huggingface/hub"
ollama = f"{home}/.ollama/models"
lmstudio = f"{home}/.lmstudio/models"
llama = f"{home}/.cache/llama.cpp"
quants = ["Q4_K_M", "Q5_K_M", "Q8_0", "Q6_K", "IQ4_XS", "Q3_K_M", "F16"]

def sparse(path, size, head=b""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)

def fake_sha(i):
    return hashlib.sha256(f"model-{i}".encode()).hexdigest()

# Sizes: distinct, about total/models each (0.5x–1.5x), rounded to distinct byte counts.
distinct = models - 2 * pairs
mean = total * (1 << 40) / max(distinct, 1)
sizes = [int(mean * (0.5 + rng.random())) // 4096 * 4096 + i for i in range(distinct)]
n_hub, n_ollama = int(distinct * 0.4), int(distinct * 0.3)
n_lm = (distinct - n_hub - n_ollama) // 2
written = 0
i = 0
for k in range(n_hub):
    org, name, q = f"org{k % 40}", f"model{k}-GGUF", quants[k % len(quants)]
    folder = f"{hub}/models--{org}--{name}"
    sha, commit = fake_sha(i), hashlib.sha1(f"c{k}".encode()).hexdigest()
    sparse(f"{folder}/blobs/{sha}", sizes[i]); written += sizes[i]
    snap = f"{folder}/snapshots/{commit}"
    os.makedirs(snap, exist_ok=True)
    os.symlink(f"../../blobs/{sha}", f"{snap}/{name}-{q}.gguf")
    os.makedirs(f"{folder}/refs", exist_ok=True)
    open(f"{folder}/refs/main", "w").write(commit)
    i += 1
for k in range(n_ollama):
    # One in ten is the same hf.co pull as an HF cache blob: the same stated sha256 (the size must match too).
    same = k % 10 == 0 and k // 10 < n_hub
    sha = fake_sha(k // 10) if same else fake_sha(i)
    size = sizes[k // 10] if same else sizes[i]
    blob = f"{ollama}/blobs/sha256-{sha}"
    if not os.path.exists(blob):
        sparse(blob, size); written += size
    config = json.dumps({"model_format": "gguf", "model_family": "llama", "file_type": quants[k % len(quants)]}).encode()
    config_sha = hashlib.sha256(config).hexdigest()
    with open(f"{ollama}/blobs/sha256-{config_sha}", "wb") as f: f.write(config)
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": f"sha256:{config_sha}", "size": len(config)},
                "layers": [{"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{sha}", "size": size}]}
    path = f"{ollama}/manifests/registry.ollama.ai/library/model{k}/latest"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f: json.dump(manifest, f)
    if not same: i += 1
for k in range(n_lm):
    sparse(f"{lmstudio}/pub{k % 30}/repo{k}-GGUF/repo{k}-{quants[k % len(quants)]}.gguf", sizes[i]); written += sizes[i]; i += 1
while i < distinct:
    sparse(f"{llama}/own{i}_repo{i}-GGUF_repo{i}-{quants[i % len(quants)]}.gguf", sizes[i]); written += sizes[i]; i += 1
for p in range(pairs):
    size = pair_bytes + p * 4096
    head = f"pair {p}".encode()   # the same content in both copies, a different content per pair
    sparse(f"{lmstudio}/pairs/pair{p}-GGUF/pair{p}-Q4_K_M.gguf", size, head)
    sparse(f"{llama}/pairs_pair{p}-GGUF_pair{p}-Q4_K_M.gguf", size, head)
    written += 2 * size
print(json.dumps({"models": models, "apparent_bytes": written, "hashed_pairs": pairs, "pair_bytes": pair_bytes}))
