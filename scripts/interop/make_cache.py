"""Writes a small Hugging Face cache (models--org--name/{blobs,snapshots,refs}) for the interop check."""
import hashlib
import json
import os
import sys


def git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def add_repo(root, repo_id, commit, files, lfs_suffixes=(".safetensors", ".bin", ".gguf")):
    folder = os.path.join(root, "models--" + repo_id.replace("/", "--"))
    os.makedirs(os.path.join(folder, "blobs"), exist_ok=True)
    os.makedirs(os.path.join(folder, "refs"), exist_ok=True)
    snapshot = os.path.join(folder, "snapshots", commit)
    for path, data in files.items():
        lfs = path.endswith(lfs_suffixes)
        etag = hashlib.sha256(data).hexdigest() if lfs else git_sha1(data)
        with open(os.path.join(folder, "blobs", etag), "wb") as f:
            f.write(data)
        target = os.path.join(snapshot, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        rel = os.path.relpath(os.path.join(folder, "blobs", etag), os.path.dirname(target))
        os.symlink(rel, target)
    with open(os.path.join(folder, "refs", "main"), "w") as f:
        f.write(commit)


def main():
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    card = b"---\nlicense: apache-2.0\npipeline_tag: text-generation\nlibrary_name: transformers\ntags:\n- interop\n---\n# Tiny\n\nA tiny model for interop tests.\n"
    config = json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
                         "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 128}).encode()
    weights = bytes((i * 31 + 7) % 251 for i in range(3 * 1024 * 1024 + 17))
    add_repo(root, "hubscout-test/tiny-llama", "a" * 40, {
        "README.md": card, "config.json": config, "model.safetensors": weights,
        "tokenizer/vocab.txt": b"hello\nworld\n", "empty.txt": b"",
    })
    add_repo(root, "hubscout-test/other-model", "b" * 40, {
        "README.md": b"---\nlicense: mit\npipeline_tag: feature-extraction\n---\nOther.\n", "config.json": b"{}",
    })


if __name__ == "__main__":
    main()
