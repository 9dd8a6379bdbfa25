#!/usr/bin/env python3
"""Builds the Hugging Face cache that the latency bench serves with `hubscout serve`.

usage: make-fixtures.py OUT_DIR [--big-bytes N] [--no-big]

Writes, next to a metadata mirror of the shipped snapshot (scripts/demo-mirror.py: ~160 real model ids with cards,
configs and download counts, so `search --task text-generation [--fits 16GB] --limit 10` has real answers):

  latency/tinyllama-4shard   TinyLlama-1.1B's real config.json, a model card, model.safetensors.index.json and four
                             shards with the real safetensors headers (BF16, 1.1B parameters); tensor data is sparse
                             (zeros), the blob names are the real sha256 of each shard, so a download would verify
  latency/qwen2.5-onefile    Qwen2.5-0.5B's real config.json, a card and one model.safetensors (real header, sparse)
  latency/qwen2-gguf         two small but real GGUF files written with the `gguf` package (Qwen2 architecture,
                             Qwen2's 151,936-entry vocabulary and merges, so the header is ~5 MB as in real Qwen GGUFs;
                             2 layers of width 64), Q8_0 and Q4_0, plus a card
  latency/small200           200 random files of 4-64 KiB (regular git files, served without a redirect) and a card
  latency/big2g              one 2 GiB file of random bytes (LFS: a redirect to the file host)

LFS files are stored as blobs/<sha256> (what hubscout serve treats as LFS), the others as blobs/<git sha1>.
The `gguf` package is needed for the GGUF repo (run this with a venv that has it; bench.sh does).
A stamp file makes a second run with the same options a no-op; the 2 GiB file is generated once and reused.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONFIGS = os.path.join(ROOT, "Tests", "HubScoutCoreTests", "Fixtures", "configs")
VERSION = "latency-fixtures-v1"
ZEROS = bytes(8 << 20)

TINYLLAMA_CONFIG = {
    "architectures": ["LlamaForCausalLM"], "attention_bias": False, "bos_token_id": 1, "eos_token_id": 2,
    "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 5632,
    "max_position_embeddings": 2048, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 22,
    "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": None,
    "rope_theta": 10000.0, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
    "transformers_version": "4.35.0", "use_cache": True, "vocab_size": 32000,
}


def git_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Repo:
    """One models--ORG--NAME folder; files are added as bytes, as sparse safetensors, or as an existing file."""

    def __init__(self, out, repo_id):
        self.repo_id = repo_id
        self.folder = os.path.join(out, "models--" + repo_id.replace("/", "--"))
        if os.path.exists(self.folder):
            shutil.rmtree(self.folder)
        os.makedirs(os.path.join(self.folder, "blobs"))
        os.makedirs(os.path.join(self.folder, "refs"))
        self.entries = {}  # path -> blob name

    def _link(self, path, blob):
        self.entries[path] = blob

    def add_bytes(self, path, data, lfs=False):
        blob = hashlib.sha256(data).hexdigest() if lfs else git_sha1(data)
        with open(os.path.join(self.folder, "blobs", blob), "wb") as f:
            f.write(data)
        self._link(path, blob)

    def add_sparse(self, path, head, total):
        """An LFS file of `total` bytes: `head`, then zeros (a sparse file), named by its real sha256."""
        h = hashlib.sha256(head)
        left = total - len(head)
        while left > 0:
            n = min(left, len(ZEROS))
            h.update(ZEROS[:n] if n < len(ZEROS) else ZEROS)
            left -= n
        blob = h.hexdigest()
        target = os.path.join(self.folder, "blobs", blob)
        with open(target, "wb") as f:
            f.write(head)
            f.truncate(total)
        self._link(path, blob)

    def add_file(self, path, source, sha256):
        """An LFS file that already exists (hard-linked, so a 2 GiB file is stored once)."""
        target = os.path.join(self.folder, "blobs", sha256)
        os.link(source, target)
        self._link(path, sha256)

    def finish(self):
        listing = "".join(f"{p} {b}\n" for p, b in sorted(self.entries.items()))
        commit = hashlib.sha1(("commit " + self.repo_id + "\n" + listing).encode()).hexdigest()
        snapshot = os.path.join(self.folder, "snapshots", commit)
        for path, blob in self.entries.items():
            target = os.path.join(snapshot, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(os.path.relpath(os.path.join(self.folder, "blobs", blob), os.path.dirname(target)), target)
        with open(os.path.join(self.folder, "refs", "main"), "w") as f:
            f.write(commit)
        return commit


def card(title, **front):
    lines = ["---"]
    for key, value in front.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"- {v}" for v in value]
        else:
            lines.append(f"{key}: {value}")
    lines += ["---", f"# {title}", "", "Fixture for hubscout's latency bench (scripts/latency). Weights are zeros.", ""]
    return "\n".join(lines).encode()


def safetensors_header(tensors, dtype="BF16", itemsize=2):
    """tensors: list of (name, shape). Returns (header bytes incl. the 8-byte length, data size)."""
    meta = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape in tensors:
        n = itemsize
        for d in shape:
            n *= d
        meta[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    body = json.dumps(meta, separators=(",", ":")).encode()
    body += b" " * (-len(body) % 8)
    return struct.pack("<Q", len(body)) + body, offset


def llama_tensors(cfg):
    h, i, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = h // heads
    bias = cfg.get("model_type") == "qwen2"
    out = [("model.embed_tokens.weight", (cfg["vocab_size"], h))]
    for n in range(layers):
        p = f"model.layers.{n}."
        out += [(p + "self_attn.q_proj.weight", (heads * hd, h)), (p + "self_attn.k_proj.weight", (kv * hd, h)),
                (p + "self_attn.v_proj.weight", (kv * hd, h))]
        if bias:
            out += [(p + "self_attn.q_proj.bias", (heads * hd,)), (p + "self_attn.k_proj.bias", (kv * hd,)),
                    (p + "self_attn.v_proj.bias", (kv * hd,))]
        out += [(p + "self_attn.o_proj.weight", (h, heads * hd)), (p + "mlp.gate_proj.weight", (i, h)),
                (p + "mlp.up_proj.weight", (i, h)), (p + "mlp.down_proj.weight", (h, i)),
                (p + "input_layernorm.weight", (h,)), (p + "post_attention_layernorm.weight", (h,))]
    out.append(("model.norm.weight", (h,)))
    if not cfg.get("tie_word_embeddings"):
        out.append(("lm_head.weight", (cfg["vocab_size"], h)))
    return out


def nbytes(shape, itemsize=2):
    n = itemsize
    for d in shape:
        n *= d
    return n


def build_4shard(out):
    repo = Repo(out, "latency/tinyllama-4shard")
    cfg = TINYLLAMA_CONFIG
    tensors = llama_tensors(cfg)
    total = sum(nbytes(s) for _, s in tensors)
    shards, current, size = [], [], 0
    target = total / 4
    for t in tensors:
        if current and size + nbytes(t[1]) > target * 1.02 and len(shards) < 3:
            shards.append(current)
            current, size = [], 0
        current.append(t)
        size += nbytes(t[1])
    shards.append(current)
    assert len(shards) == 4, len(shards)
    weight_map = {}
    for k, shard in enumerate(shards, 1):
        name = f"model-{k:05d}-of-00004.safetensors"
        head, data = safetensors_header(shard)
        repo.add_sparse(name, head, len(head) + data)
        weight_map.update({t: name for t, _ in shard})
    index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    repo.add_bytes("model.safetensors.index.json", json.dumps(index, indent=2).encode())
    repo.add_bytes("config.json", json.dumps(cfg, indent=2).encode())
    repo.add_bytes("generation_config.json", json.dumps({"bos_token_id": 1, "eos_token_id": 2, "max_length": 2048,
                                                         "pad_token_id": 0}, indent=2).encode())
    repo.add_bytes("README.md", card("TinyLlama 1.1B, four shards", license="apache-2.0", pipeline_tag="text-generation",
                                     library_name="transformers", language=["en"],
                                     datasets=["cerebras/SlimPajama-627B"], tags=["llama", "latency-fixture"]))
    repo.finish()


def build_onefile(out):
    repo = Repo(out, "latency/qwen2.5-onefile")
    cfg = json.load(open(os.path.join(CONFIGS, "qwen2.5-0.5b.json")))
    head, data = safetensors_header(llama_tensors(cfg))
    repo.add_sparse("model.safetensors", head, len(head) + data)
    repo.add_bytes("config.json", json.dumps(cfg, indent=2).encode())
    repo.add_bytes("README.md", card("Qwen2.5 0.5B, one file", license="apache-2.0", pipeline_tag="text-generation",
                                     library_name="transformers", base_model="Qwen/Qwen2.5-0.5B",
                                     tags=["qwen2", "latency-fixture"]))
    repo.finish()


def write_gguf(path, qtype_name):
    import numpy as np
    import gguf
    qtype = getattr(gguf.GGMLQuantizationType, qtype_name)
    vocab, hidden, layers, ffn, heads, kv = 151936, 64, 2, 192, 4, 2
    hd = hidden // heads
    rng = np.random.default_rng(1)
    w = gguf.GGUFWriter(path, "qwen2")
    w.add_name("Tiny Qwen2 (latency fixture)")
    w.add_context_length(32768)
    w.add_embedding_length(hidden)
    w.add_block_count(layers)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_rope_freq_base(1000000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type({"Q8_0": 7, "Q4_0": 2, "F16": 1}[qtype_name])
    w.add_quantization_version(2)
    # Qwen2's tokenizer shape: 151,936 tokens (gpt2 BPE) and ~151k merges, which is what makes a real header MBs long.
    letters = "abcdefghijklmnopqrstuvwxyzĠ"
    r = random.Random(7)
    tokens = [f"<|tok{i}|>" if i >= 151643 else "".join(r.choice(letters) for _ in range(2 + i % 7)) + str(i)
              for i in range(vocab)]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types([1] * 151643 + [3] * (vocab - 151643))
    w.add_token_merges([f"{tokens[i % 5000]} {tokens[5000 + i // 5000]}" for i in range(151387)])
    w.add_eos_token_id(151645)
    w.add_pad_token_id(151643)
    w.add_bos_token_id(151643)
    w.add_add_bos_token(False)
    w.add_chat_template("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
                        " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
                        "{% endif %}")

    def add(name, shape, quantize=True):
        data = (rng.standard_normal(shape) * 0.02).astype(np.float32)
        if quantize and len(shape) == 2 and qtype_name != "F16":
            w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)
        elif quantize and len(shape) == 2:
            w.add_tensor(name, data.astype(np.float16))
        else:
            w.add_tensor(name, data)

    add("token_embd.weight", (vocab, hidden))
    for n in range(layers):
        p = f"blk.{n}."
        add(p + "attn_norm.weight", (hidden,), False)
        add(p + "attn_q.weight", (heads * hd, hidden))
        add(p + "attn_q.bias", (heads * hd,), False)
        add(p + "attn_k.weight", (kv * hd, hidden))
        add(p + "attn_k.bias", (kv * hd,), False)
        add(p + "attn_v.weight", (kv * hd, hidden))
        add(p + "attn_v.bias", (kv * hd,), False)
        add(p + "attn_output.weight", (hidden, heads * hd))
        add(p + "ffn_norm.weight", (hidden,), False)
        add(p + "ffn_gate.weight", (ffn, hidden))
        add(p + "ffn_up.weight", (ffn, hidden))
        add(p + "ffn_down.weight", (hidden, ffn))
    add("output_norm.weight", (hidden,), False)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def build_gguf(out, scratch):
    repo = Repo(out, "latency/qwen2-gguf")
    for q in ("Q8_0", "Q4_0"):
        path = os.path.join(scratch, f"tiny-qwen2-{q.lower()}.gguf")
        write_gguf(path, q)
        data = open(path, "rb").read()
        repo.add_bytes(os.path.basename(path), data, lfs=True)
        os.remove(path)
    repo.add_bytes("README.md", card("Tiny Qwen2 GGUF", license="apache-2.0", pipeline_tag="text-generation",
                                     library_name="gguf", base_model="Qwen/Qwen2-0.5B",
                                     tags=["gguf", "qwen2", "latency-fixture"]))
    repo.finish()


def build_small200(out):
    repo = Repo(out, "latency/small200")
    r = random.Random(200)
    for n in range(200):
        size = r.randint(4 * 1024, 64 * 1024)
        repo.add_bytes(f"chunks/chunk-{n:03d}.dat", r.randbytes(size))
    repo.add_bytes("README.md", card("200 small files", license="mit", tags=["latency-fixture"]))
    repo.finish()


def build_big(out, big_bytes, store):
    """The 2 GiB random file is made once under `store` (head -c from /dev/urandom) and hard-linked in."""
    os.makedirs(store, exist_ok=True)
    data = os.path.join(store, f"random-{big_bytes}.bin")
    sha_file = data + ".sha256"
    if not (os.path.exists(data) and os.path.exists(sha_file) and os.path.getsize(data) == big_bytes):
        print(f"make-fixtures: writing {big_bytes} random bytes (once)", file=sys.stderr)
        with open(data + ".tmp", "wb") as f:
            subprocess.run(["head", "-c", str(big_bytes), "/dev/urandom"], stdout=f, check=True)
        sha = subprocess.run(["sha256sum", data + ".tmp"], capture_output=True, text=True, check=True).stdout.split()[0]
        os.replace(data + ".tmp", data)
        with open(sha_file, "w") as f:
            f.write(sha + "\n")
    sha = open(sha_file).read().strip()
    repo = Repo(out, "latency/big2g")
    repo.add_file("data.bin", data, sha)
    repo.add_bytes("README.md", card("One 2 GiB file", license="mit", tags=["latency-fixture"]))
    repo.finish()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--big-bytes", type=int, default=2 << 30)
    ap.add_argument("--no-big", action="store_true", help="leave out latency/big2g")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    stamp = os.path.join(out, ".latency-fixtures")
    want = f"{VERSION} big={0 if args.no_big else args.big_bytes}\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        print(f"make-fixtures: {out} is up to date", file=sys.stderr)
        return
    os.makedirs(out, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "demo-mirror.py"), out], check=True,
                   stdout=subprocess.DEVNULL)
    build_4shard(out)
    build_onefile(out)
    build_gguf(out, out)
    build_small200(out)
    big_store = os.path.join(os.path.dirname(out), os.path.basename(out) + "-data")
    if not args.no_big:
        build_big(out, args.big_bytes, big_store)
    elif os.path.exists(os.path.join(out, "models--latency--big2g")):
        shutil.rmtree(os.path.join(out, "models--latency--big2g"))
    with open(stamp, "w") as f:
        f.write(want)
    print(f"make-fixtures: wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
