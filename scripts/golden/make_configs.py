#!/usr/bin/env python3
"""Writes the input configs of the parameter-count golden file.

Output: Tests/HubScoutCoreTests/Fixtures/golden/params/configs/*.json and
        Tests/HubScoutCoreTests/Fixtures/golden/params/sources.json (file name -> where it came from).

Three kinds of config (see scripts/golden/README.md):
  <name>.json                 real Hub config.json, copied byte for byte from Tests/HubScoutCoreTests/Fixtures/configs/
  defaults--<model_type>.json {"model_type", "architectures"} only, so every other value is the config class default
  <base>--no-<key>.json       a real config with one key removed (a dotted key is nested: text_config.head_dim)

Run with the golden virtualenv's python (it asks transformers which model_types exist):
  .venv-golden-params/bin/python scripts/golden/make_configs.py
The committed configs are the source of truth; param-counts.sh does not rerun this unless asked (--regen-configs).
"""
import collections
import json
import os
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REAL_DIR = os.path.join(ROOT, "Tests", "HubScoutCoreTests", "Fixtures", "configs")
SNAPSHOT = os.path.join(ROOT, "cache", "models.jsonl")
OUT_ROOT = os.path.join(ROOT, "Tests", "HubScoutCoreTests", "Fixtures", "golden", "params")
OUT_DIR = os.path.join(OUT_ROOT, "configs")

# Model types that are not in the shipped snapshot but that the golden data should cover (multimodal
# wrappers mostly). Their architectures are transformers' own class names; all other keys are defaults.
EXTRA_DEFAULTS = {
    "qwen2_5_vl": ["Qwen2_5_VLForConditionalGeneration"],
    "llava_next": ["LlavaNextForConditionalGeneration"],
    "mllama": ["MllamaForConditionalGeneration"],
    "pixtral": ["PixtralVisionModel"],
    "phi4_multimodal": ["Phi4MultimodalForCausalLM"],
    "gemma3n": ["Gemma3nForConditionalGeneration"],
    "llama4": ["Llama4ForConditionalGeneration"],
    "qwen2_audio": ["Qwen2AudioForConditionalGeneration"],
    "paligemma": ["PaliGemmaForConditionalGeneration"],
    "smolvlm": ["SmolVLMForConditionalGeneration"],
}

# A composite config that transformers cannot build without its parts: the snapshot's model
# (naver-clova-ix/donut-base-finetuned-docvqa) is a Donut Swin encoder + an MBart decoder, so the parts'
# model_types are given and nothing else.
NESTED_DEFAULTS = {
    "vision-encoder-decoder": {"encoder": {"model_type": "donut-swin"}, "decoder": {"model_type": "mbart"}},
}

# (base real config, key to remove). A dotted key removes a nested key.
VARIANTS = [
    ("llama-3.1-8b", "num_key_value_heads"),
    ("llama-3.1-8b", "intermediate_size"),
    ("llama-3.1-8b", "vocab_size"),
    ("llama-3.1-8b", "model_type"),
    ("mistral-7b-v0.1", "num_key_value_heads"),
    ("phi-3-mini-4k", "num_key_value_heads"),
    ("qwen2.5-0.5b", "tie_word_embeddings"),
    ("gemma-2b", "num_key_value_heads"),
    ("qwen3-8b", "tie_word_embeddings"),
    ("qwen2-7b", "vocab_size"),
    ("gemma-2-9b", "head_dim"),
    ("qwen3-30b-a3b", "head_dim"),
    ("qwen3-30b-a3b", "moe_intermediate_size"),
    ("mixtral-8x7b", "num_local_experts"),
    ("deepseek-v2-lite", "q_lora_rank"),
    ("llava-1.5-7b", "text_config"),
    ("llava-1.5-7b", "text_config.vocab_size"),
    ("llava-1.5-7b", "vision_config"),
    ("gemma-3-4b", "text_config"),
    ("gemma-3-4b", "text_config.head_dim"),
    ("gemma-3-4b", "text_config.num_key_value_heads"),
    ("gemma-3-4b", "model_type"),
    ("qwen2-vl-7b", "intermediate_size"),
    ("qwen2-vl-7b", "num_key_value_heads"),
    ("qwen2-vl-7b", "vision_config"),
    ("qwen2-vl-7b", "model_type"),
    ("t5-small", "model_type"),
]


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    os.makedirs(OUT_DIR)
    sources = {}

    real = {}
    for name in sorted(os.listdir(REAL_DIR)):
        if not name.endswith(".json"):
            continue
        shutil.copyfile(os.path.join(REAL_DIR, name), os.path.join(OUT_DIR, name))
        with open(os.path.join(REAL_DIR, name), encoding="utf-8") as f:
            real[name[:-5]] = json.load(f)
        sources[name] = {"kind": "real", "from": "Tests/HubScoutCoreTests/Fixtures/configs/" + name}
    covered = {c.get("model_type") for c in real.values()}

    archs = collections.defaultdict(collections.Counter)
    ids = collections.defaultdict(list)
    with open(SNAPSHOT, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            cfg = rec.get("config")
            if not cfg or not cfg.get("model_type"):
                continue
            t = cfg["model_type"]
            ids[t].append(rec["id"])
            a = tuple(cfg.get("architectures") or ())
            if a:
                archs[t][a] += 1
            else:
                archs[t]  # the type is known even with no architectures

    skipped = {}
    for t in sorted(archs):
        if t in covered:
            continue
        if t not in CONFIG_MAPPING_NAMES:
            skipped[t] = "not a model_type of this transformers version (snapshot models: %s)" % ", ".join(sorted(ids[t]))
            continue
        cfg = {"model_type": t}
        arch_note = "no snapshot record of this type names architectures"
        if archs[t]:
            # most frequent architectures list among the snapshot's records of this type; ties: sorted order
            best = sorted(archs[t].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            cfg["architectures"] = list(best)
            arch_note = "architectures from %d of %d snapshot records" % (archs[t][best], len(ids[t]))
        if t in NESTED_DEFAULTS:
            cfg.update(NESTED_DEFAULTS[t])
            arch_note += "; nested part model_types given (transformers needs them to build this composite)"
        name = "defaults--%s.json" % t
        dump(cfg, os.path.join(OUT_DIR, name))
        sources[name] = {"kind": "defaults", "from": "cache/models.jsonl", "models": sorted(ids[t]), "note": arch_note}

    for t, a in sorted(EXTRA_DEFAULTS.items()):
        if t in archs or t in covered:
            continue
        if t not in CONFIG_MAPPING_NAMES:
            skipped[t] = "extra type not known to this transformers version"
            continue
        name = "defaults--%s.json" % t
        dump({"model_type": t, "architectures": a}, os.path.join(OUT_DIR, name))
        sources[name] = {"kind": "defaults", "from": "added (not in the snapshot)", "note": "architectures: transformers' class name"}

    for base, key in VARIANTS:
        cfg = json.loads(json.dumps(real[base]))
        parts = key.split(".")
        holder = cfg
        for p in parts[:-1]:
            holder = holder[p]
        if parts[-1] not in holder:
            sys.exit("variant %s--no-%s: the base config has no such key" % (base, key))
        removed = holder.pop(parts[-1])
        name = "%s--no-%s.json" % (base, key)
        dump(cfg, os.path.join(OUT_DIR, name))
        sources[name] = {"kind": "variant", "from": base + ".json", "removed": key, "removed_value": removed}

    dump({"configs": sources, "snapshot_model_types_skipped": skipped}, os.path.join(OUT_ROOT, "sources.json"))
    print("wrote %d configs to %s; skipped types: %s" % (len(sources), OUT_DIR, ", ".join(sorted(skipped)) or "none"))


if __name__ == "__main__":
    main()
