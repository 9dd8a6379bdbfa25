#!/usr/bin/env python3
"""Build a Hugging Face cache of real-shaped models whose weights are sparse zeros.

Usage: make_cache.py CACHE_DIR ORG/NAME=path/to/config.json [...]

Each model gets models--ORG--NAME/{blobs,refs/main,snapshots/<commit>} with config.json,
a README.md (library_name: transformers) and safetensors files whose headers list every
tensor a transformers checkpoint of that config holds (BF16), sharded like save_pretrained
(5 GB shards + model.safetensors.index.json) when bigger than one shard. The tensor data is
a hole (the file is only extended), so a 90 GB model takes a few kilobytes of disk.

Blob names: small files use their git blob sha1, as the Hub does. Weight files are named by a
sha256 of their header and size, NOT of their (all-zero) content: hashing tens of GB of zeros
would take minutes and no tool here downloads weights.
"""
import hashlib
import json
import os
import struct
import sys

SHARD_BYTES = 5 * 10**9  # save_pretrained's default max_shard_size ("5GB")
BF16 = 2


def llama_family_tensors(c):
    """(name, shape) in the order transformers' state_dict lists them."""
    h = c["hidden_size"]
    nh = c["num_attention_heads"]
    nkv = c.get("num_key_value_heads") or nh
    hd = c.get("head_dim") or h // nh
    v = c["vocab_size"]
    arch = c["architectures"][0]
    qkv_bias = c.get("model_type") in ("qwen2", "qwen2_moe") or bool(c.get("attention_bias"))
    out = [("model.embed_tokens.weight", [v, h])]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        for proj, rows in (("q_proj", nh * hd), ("k_proj", nkv * hd), ("v_proj", nkv * hd)):
            out.append((p + f"self_attn.{proj}.weight", [rows, h]))
            if qkv_bias:
                out.append((p + f"self_attn.{proj}.bias", [rows]))
        out.append((p + "self_attn.o_proj.weight", [h, nh * hd]))
        if arch == "MixtralForCausalLM":
            e, inter = c["num_local_experts"], c["intermediate_size"]
            out.append((p + "block_sparse_moe.gate.weight", [e, h]))
            for j in range(e):
                q = p + f"block_sparse_moe.experts.{j}."
                out += [(q + "w1.weight", [inter, h]), (q + "w2.weight", [h, inter]), (q + "w3.weight", [inter, h])]
        elif arch == "Qwen2MoeForCausalLM":
            e, inter = c["num_experts"], c["moe_intermediate_size"]
            out.append((p + "mlp.gate.weight", [e, h]))
            for j in range(e):
                q = p + f"mlp.experts.{j}."
                out += [(q + "gate_proj.weight", [inter, h]), (q + "up_proj.weight", [inter, h]),
                        (q + "down_proj.weight", [h, inter])]
            si = c["shared_expert_intermediate_size"]
            q = p + "mlp.shared_expert."
            out += [(q + "gate_proj.weight", [si, h]), (q + "up_proj.weight", [si, h]),
                    (q + "down_proj.weight", [h, si]), (p + "mlp.shared_expert_gate.weight", [1, h])]
        else:
            inter = c["intermediate_size"]
            out += [(p + "mlp.gate_proj.weight", [inter, h]), (p + "mlp.up_proj.weight", [inter, h]),
                    (p + "mlp.down_proj.weight", [h, inter])]
        out += [(p + "input_layernorm.weight", [h]), (p + "post_attention_layernorm.weight", [h])]
    out.append(("model.norm.weight", [h]))
    if not c.get("tie_word_embeddings", False):
        out.append(("lm_head.weight", [v, h]))
    return out


SUPPORTED = {"LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "MixtralForCausalLM", "Qwen2MoeForCausalLM"}


def nbytes(shape):
    n = BF16
    for d in shape:
        n *= d
    return n


def safetensors_header(tensors):
    header, off = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in tensors:
        size = nbytes(shape)
        header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [off, off + size]}
        off += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw, off


def git_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def add_model(cache, repo_id, config_path):
    with open(config_path, "rb") as f:
        config_bytes = f.read()
    c = json.loads(config_bytes)
    arch = c["architectures"][0]
    if arch not in SUPPORTED:
        raise SystemExit(f"{repo_id}: {arch} is not one of {sorted(SUPPORTED)}")
    tensors = llama_family_tensors(c)

    shards, cur, cur_size = [], [], 0
    for t in tensors:
        if cur and cur_size + nbytes(t[1]) > SHARD_BYTES:
            shards.append(cur)
            cur, cur_size = [], 0
        cur.append(t)
        cur_size += nbytes(t[1])
    shards.append(cur)

    root = os.path.join(cache, "models--" + repo_id.replace("/", "--"))
    blobs = os.path.join(root, "blobs")
    os.makedirs(blobs, exist_ok=True)
    commit = hashlib.sha1(("peer-estimates:" + repo_id).encode() + config_bytes).hexdigest()
    snap = os.path.join(root, "snapshots", commit)
    os.makedirs(snap, exist_ok=True)
    os.makedirs(os.path.join(root, "refs"), exist_ok=True)
    with open(os.path.join(root, "refs", "main"), "w") as f:
        f.write(commit)

    def link(name, blob_id):
        os.symlink(os.path.join("..", "..", "blobs", blob_id), os.path.join(snap, name))

    def small(name, data):
        blob_id = git_sha1(data)
        with open(os.path.join(blobs, blob_id), "wb") as f:
            f.write(data)
        link(name, blob_id)

    small("config.json", config_bytes)
    small("README.md", b"---\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n\n"
          b"Stand-in for " + repo_id.encode() + b": real config.json and safetensors headers, sparse zero weights.\n")

    names = (["model.safetensors"] if len(shards) == 1 else
             [f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors" for i in range(len(shards))])
    weight_map, total = {}, 0
    for name, shard in zip(names, shards):
        head, data_len = safetensors_header(shard)
        size = len(head) + data_len
        blob_id = hashlib.sha256(head + str(size).encode()).hexdigest()
        path = os.path.join(blobs, blob_id)
        with open(path, "wb") as f:
            f.write(head)
            f.truncate(size)  # sparse: the data section is a hole
        link(name, blob_id)
        total += data_len
        for t, _ in shard:
            weight_map[t] = name
    if len(shards) > 1:
        index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
        small("model.safetensors.index.json", json.dumps(index, indent=2).encode() + b"\n")
    params = total // BF16
    print(f"  {repo_id}: {arch}, {len(tensors)} tensors, {params:,} params, "
          f"{total / 2**30:.2f} GiB BF16 in {len(shards)} file(s)", file=sys.stderr)
    return params


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    for spec in sys.argv[2:]:
        repo_id, config_path = spec.split("=", 1)
        add_model(sys.argv[1], repo_id, config_path)


if __name__ == "__main__":
    main()
