#!/usr/bin/env python3
"""Print the side-by-side markdown table from the raw outputs peer-estimates.sh saved.

Usage: table.py RESULTS_DIR CONTEXT ORG/NAME=config.json [...]

RESULTS_DIR/<slug>/ holds hubscout-transformers.json, hubscout-vllm.json, hf-mem.json,
hf-mem-kv.json and accelerate.txt; a missing or unparsable file shows as "n/a" with the
reason taken from the matching .err file.
"""
import json
import os
import re
import sys

GIB = 2**30


def gib(n):
    return "n/a" if n is None else f"{n / GIB:.2f}"


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def accelerate_row(path, dtype):
    """(largest layer, total) in bytes from accelerate's table; its units are powers of 1024."""
    try:
        text = open(path).read()
    except OSError:
        return None
    units = {"bytes": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40, "PB": 2**50}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("│|").split("│")]
        if len(cells) >= 3 and cells[0] == dtype:
            vals = []
            for cell in cells[1:3]:
                m = re.fullmatch(r"([\d.]+) (\w+)", cell)
                if not m or m.group(2) not in units:
                    return None
                vals.append(float(m.group(1)) * units[m.group(2)])
            return tuple(vals)
    return None


def main():
    results, context, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    rows, failures = [], []
    for spec in specs:
        repo, config_path = spec.split("=", 1)
        cfg = json.load(open(config_path))
        d = os.path.join(results, repo.replace("/", "--"))
        hs = load_json(os.path.join(d, "hubscout-transformers.json"))
        hv = load_json(os.path.join(d, "hubscout-vllm.json"))
        hm = load_json(os.path.join(d, "hf-mem.json"))
        hk = load_json(os.path.join(d, "hf-mem-kv.json"))
        acc = accelerate_row(os.path.join(d, "accelerate.txt"), "float16")
        for name, stem, val in (("hubscout fit --engine transformers", "hubscout-transformers", hs),
                                ("hubscout fit --engine vllm", "hubscout-vllm", hv),
                                ("hf-mem", "hf-mem", hm), ("hf-mem --experimental", "hf-mem-kv", hk),
                                ("accelerate estimate-memory", "accelerate", acc)):
            if val is None:
                err = os.path.join(d, stem + ".err")
                reason = open(err).read().strip().splitlines()[-1:] if os.path.exists(err) else []
                failures.append(f"{repo}: {name} gave no figure" + (f" ({reason[0][:200]})" if reason else ""))

        nat = (hs or {}).get("memory", {}).get("native", {})
        w, kv, ov, tot = (nat.get(k) for k in ("weightsBytes", "kvCacheBytes", "overheadBytes", "totalBytes"))
        params = (hs or {}).get("parameters", {}).get("total")
        vtot = (hv or {}).get("memory", {}).get("native", {}).get("totalBytes")
        hm_w = (hm or {}).get("memory")
        hk_kv, hk_tot = (hk or {}).get("kv_cache"), (hk or {}).get("total_memory")
        acc_layer, acc_tot = acc if acc else (None, None)

        notes = []
        if w is not None and hm_w is not None:
            notes.append("weights: same bytes" if w == hm_w else f"weights differ by {gib(abs(w - hm_w))} GiB")
        if kv is not None and hk_kv is not None:
            notes.append("KV: same bytes" if kv == hk_kv else f"KV differs by {gib(abs(kv - hk_kv))} GiB")
        lm_head = cfg["vocab_size"] * cfg["hidden_size"] * 2
        if w is not None and acc_tot is not None:
            gap = w - acc_tot
            if abs(gap - lm_head) < 0.006 * GIB:
                notes.append(f"accelerate {gib(gap)} GiB lower = lm_head (AutoModel has no LM head)")
            elif abs(gap) < 0.006 * GIB:
                notes.append("accelerate = weights" + (" (tied lm_head)" if cfg.get("tie_word_embeddings") else ""))
            else:
                notes.append(f"accelerate {gib(gap)} GiB lower")
        moe = (hk or {}).get("moe")
        if moe:
            notes.append(f"hf-mem active per token: base {gib(moe['base_model']['bytes'])} + "
                         f"{moe['active_expert_count']} of {moe['expert_count']} experts {gib(moe['experts']['bytes'])} GiB")
        rows.append([repo, f"{params / 1e9:.2f} B" if params else "n/a", gib(w), gib(kv), gib(ov), gib(tot),
                     gib(vtot), gib(hm_w), gib(hk_kv), gib(hk_tot), gib(acc_tot), gib(acc_layer), "; ".join(notes)])

    head = ["model", "params", "hubscout weights", f"hubscout KV @{context}", "hubscout overhead",
            "hubscout total (transformers)", "hubscout total (vllm)", "hf-mem weights",
            f"hf-mem KV @{context}", "hf-mem weights+KV", "accelerate fp16 total", "accelerate fp16 largest layer",
            "notes"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print(f"All sizes GiB (2^30 bytes), BF16/FP16 weights, batch 1, {context}-token context where a tool takes one.")
    print()
    print("- hubscout: `fit --json` bf16 row (`memory.native`): weights from the safetensors headers, "
          "f16 KV cache, and overhead (GPU runtime, activations, process RAM) for the named engine.")
    print("- hf-mem: weights = bytes of every tensor in the safetensors headers, nothing else; "
          f"`--experimental --max-model-len {context}` adds its KV-cache estimate. No runtime or activations.")
    print("- accelerate estimate-memory: parameters + buffers of `AutoModel.from_config` built on the meta "
          "device in fp32, halved for float16 (its \"GB\" are GiB). AutoModel is the base model, so an untied "
          "lm_head is left out. Weights only: no KV cache, no activations, no runtime.")
    if failures:
        print()
        print("Missing figures:")
        for f in failures:
            print(f"- {f}")


if __name__ == "__main__":
    main()
