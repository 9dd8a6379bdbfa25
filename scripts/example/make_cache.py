"""Writes the small Hugging Face cache `scripts/run-example.sh` serves: a model that fits, one too large and
one that cannot be sized (no config.json), with download counts so a search sorted by downloads meets them
in that order: too large, unsized, fits."""
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from make_cache import add_repo  # noqa: E402  (the interop check's cache writer)

TINY = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 172,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 128,
        "max_position_embeddings": 2048, "tie_word_embeddings": False, "torch_dtype": "float16"}
LLAMA_70B = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 8192, "intermediate_size": 28672,
             "num_hidden_layers": 80, "num_attention_heads": 64, "num_key_value_heads": 8, "vocab_size": 128256,
             "max_position_embeddings": 131072, "tie_word_embeddings": False, "torch_dtype": "bfloat16"}


def safetensors(config):
    """A valid F16 safetensors file with the tensors of a Llama config, filled with a fixed pattern."""
    h, i, v = config["hidden_size"], config["intermediate_size"], config["vocab_size"]
    shapes = {"model.embed_tokens.weight": [v, h], "model.norm.weight": [h], "lm_head.weight": [v, h]}
    for layer in range(config["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            shapes[p + f"self_attn.{name}.weight"] = [h, h]
        shapes[p + "mlp.gate_proj.weight"] = [i, h]
        shapes[p + "mlp.up_proj.weight"] = [i, h]
        shapes[p + "mlp.down_proj.weight"] = [h, i]
        shapes[p + "input_layernorm.weight"] = [h]
        shapes[p + "post_attention_layernorm.weight"] = [h]
    header, offset = {}, 0
    for name, shape in sorted(shapes.items()):
        count = 1
        for n in shape:
            count *= n
        header[name] = {"dtype": "F16", "shape": shape, "data_offsets": [offset, offset + 2 * count]}
        offset += 2 * count
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + bytes((k * 7 + 3) % 251 for k in range(offset))


def card(extra=""):
    return f"---\nlicense: apache-2.0\npipeline_tag: text-generation\nlibrary_name: transformers\n{extra}---\n# Example\n".encode()


def main():
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    add_repo(root, "hubscout-example/tiny-llama", "c" * 40, {
        "README.md": card(), "config.json": json.dumps(TINY).encode(), "model.safetensors": safetensors(TINY),
        "tokenizer.json": b'{"version":"1.0","model":{"type":"BPE"}}', "notes.txt": b"not downloaded by the example\n",
    })
    add_repo(root, "hubscout-example/big-llama", "d" * 40, {
        "README.md": card(), "config.json": json.dumps(LLAMA_70B).encode(),
    })
    add_repo(root, "hubscout-example/no-config", "e" * 40, {"README.md": card()})
    sidecar = {"repos": {
        "hubscout-example/big-llama": {"downloads": 3000},
        "hubscout-example/no-config": {"downloads": 2000},
        "hubscout-example/tiny-llama": {"downloads": 1000},
    }}
    with open(os.path.join(root, "hubscout-server.json"), "w") as f:
        json.dump(sidecar, f)


if __name__ == "__main__":
    main()
