#!/usr/bin/env python3
"""Build hubscout's shipped catalog snapshot from the seed file of real Hub facts.

Reads  ../shared/hub-samples/seed-models.jsonl  (or the path given with --seed)
Writes cache/models.jsonl   one JSON object per model, in the Hub API's own field names,
                            plus a `hubscout` object with config facts, parameter counts and sources
       cache/SNAPSHOT.md    the snapshot date, where the facts came from, how to rebuild

Every key of every seed record is mapped somewhere; an unknown key stops the build
(so a new seed field is never dropped silently). Fields a record lacks stay absent.
Python 3 standard library only.

Usage: python3 scripts/build-snapshot.py [--seed PATH] [--out DIR] [--date YYYY-MM-DD]
"""
import argparse
import collections
import datetime
import json
import os
import sys

# seed key -> where it goes. Keys in CONFIG_KEYS go to hubscout.config under the same name.
TOP_LEVEL = {"id", "author", "pipeline_tag", "library_name", "tags", "gated", "downloads", "likes"}
CONFIG_KEYS = [
    "max_position_embeddings", "hidden_size", "num_hidden_layers", "num_attention_heads",
    "num_key_value_heads", "vocab_size", "torch_dtype", "is_moe", "num_experts",
    "num_experts_per_tok", "rope_scaling", "config_extra",
]
HANDLED = TOP_LEVEL | set(CONFIG_KEYS) | {
    "license", "params_total", "params_by_dtype", "architecture", "model_type",
    "last_modified", "created_at", "inference_provider_tasks", "as_of", "source",
}


def parameter_source(record):
    """The trust level of params_total, named as hubscout's ParameterSource."""
    for line in record.get("source", []):
        if line.startswith("params:") and "parse-safetensors-metadata" in line:
            return "tensorHeaders"  # counted from the repo's safetensors headers
    return "hubAPI"  # the Hub's safetensors.total (recorded API body or llmfit's scrape of it)


def convert(record, line_no):
    unknown = set(record) - HANDLED
    if unknown:
        raise SystemExit(f"seed line {line_no}: unmapped key(s) {sorted(unknown)}; map them in build-snapshot.py")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise SystemExit(f"seed line {line_no}: record without an id")

    out = collections.OrderedDict()
    for key in ["id", "author", "pipeline_tag", "library_name", "tags", "gated", "downloads", "likes"]:
        if key in record:
            out[key] = record[key]
    if "created_at" in record:
        out["createdAt"] = record["created_at"]
    if "last_modified" in record:
        out["lastModified"] = record["last_modified"]
    if "license" in record:
        out["cardData"] = {"license": record["license"]}
    if "params_total" in record:
        safetensors = {}
        # The Hub sends both keys; only the per-dtype split the seed really has is written.
        if "params_by_dtype" in record:
            safetensors["parameters"] = record["params_by_dtype"]
        safetensors["total"] = record["params_total"]
        out["safetensors"] = safetensors
    elif "params_by_dtype" in record:
        raise SystemExit(f"seed line {line_no}: params_by_dtype without params_total")
    config = collections.OrderedDict()
    if "architecture" in record:
        config["architectures"] = [record["architecture"]]
    if "model_type" in record:
        config["model_type"] = record["model_type"]
    if config:
        out["config"] = config

    hubscout = collections.OrderedDict()
    facts = collections.OrderedDict((k, record[k]) for k in CONFIG_KEYS if k in record)
    if facts:
        hubscout["config"] = facts
    if "params_total" in record:
        hubscout["parameters"] = {"total": record["params_total"], "source": parameter_source(record)}
    if "inference_provider_tasks" in record:
        # Not the pipeline_tag (the seed README says so): kept apart, never used as the task.
        hubscout["inference_provider_tasks"] = record["inference_provider_tasks"]
    if "as_of" in record:
        hubscout["as_of"] = record["as_of"]
    hubscout["sources"] = record.get("source", [])
    out["hubscout"] = hubscout
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", default=os.path.join(root, "..", "shared", "hub-samples", "seed-models.jsonl"))
    parser.add_argument("--out", default=os.path.join(root, "cache"))
    parser.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
                        help="snapshot date written to SNAPSHOT.md (default: today, UTC)")
    args = parser.parse_args()

    records, seen = [], set()
    with open(args.seed, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            key = record.get("id", "").lower()
            if key in seen:
                raise SystemExit(f"seed line {line_no}: duplicate id {record.get('id')}")
            seen.add(key)
            records.append(convert(record, line_no))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "models.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) + "\n")

    tasks = collections.Counter(r.get("pipeline_tag", "(unknown)") for r in records)
    as_of = collections.Counter(r["hubscout"].get("as_of", "(no date)") for r in records)
    origins = collections.Counter()
    for r in records:
        kinds = set()
        for s in r["hubscout"]["sources"]:
            if s.startswith("api:") or "recorded" in s:
                kinds.add("recorded Hub API responses (huggingface_hub / huggingface.js test cassettes, 2023-2026)")
            if "llmfit" in s:
                kinds.add("AlexsJones/llmfit hf_models.json (weekly scrape of /api/models + config.json, 2026-03..05)")
            if "TensorRT-LLM" in s or "WhisperConfig" in s:
                kinds.add("verbatim config.json copies (NVIDIA/TensorRT-LLM unit tests, transformers printout)")
            if "maxtext" in s:
                kinds.add("AI-Hypercomputer/maxtext hf_model_configs.py (transcribed configs)")
            if "parse-safetensors-metadata" in s:
                kinds.add("huggingface.js parse-safetensors-metadata.spec.ts (header parameter counts)")
        for k in kinds:
            origins[k] += 1
    count = lambda key: sum(1 for r in records if key(r))
    dated = sorted(k for k in as_of if k != "(no date)")

    lines = [
        "# hubscout catalog snapshot",
        "",
        f"- **Snapshot built:** {args.date}",
        f"- **Facts dated:** {dated[0]} .. {dated[-1]} (per-record `hubscout.as_of`; {as_of.get('(no date)', 0)} records carry no date)"
        if dated else "- **Facts dated:** unknown",
        f"- **Models:** {len(records)}",
        "- **Built from:** `shared/hub-samples/seed-models.jsonl` (164 real models; every value there carries its source).",
        "",
        "hubscout imports `models.jsonl` into an empty catalog on first run, so offline search",
        "(`hubscout search --offline --task text-generation --fits 16GB`) answers on a fresh machine.",
        "The catalog records the latest `as_of` date as the time of this data, never the import time.",
        "",
        "## Format",
        "",
        "One JSON object per line, in the Hub API's own field names (`id`, `author`, `pipeline_tag`, `library_name`,",
        "`tags`, `gated`, `downloads`, `likes`, `lastModified`, `cardData.license`, `safetensors.{parameters,total}`,",
        "`config.{architectures,model_type}`), so `ModelInfo` decodes each line as it decodes an API body. A field the",
        "sources did not give is absent, never null or zero. The extra `hubscout` object holds:",
        "",
        "- `config`: config.json facts (`max_position_embeddings`, `hidden_size`, `num_hidden_layers`, `num_attention_heads`,",
        "  `num_key_value_heads`, `vocab_size`, `torch_dtype`, `is_moe`, `num_experts`, `num_experts_per_tok`, and where",
        "  present `rope_scaling` and `config_extra`) — what the memory estimates need;",
        "- `parameters`: `{total, source}`, source `hubAPI` (the Hub's `safetensors.total`) or `tensorHeaders`;",
        "- `inference_provider_tasks`: tasks of inference providers — NOT the pipeline tag, so never used as one;",
        "- `as_of`: date of the downloads/likes figures; `sources`: one line per source the seed record used.",
        "",
        "## Where the facts came from",
        "",
        "Records per origin (a record may use several):",
        "",
    ]
    for k, v in origins.most_common():
        lines.append(f"- {v:3d} records: {k}")
    lines += [
        "",
        "See `shared/hub-samples/README.md` for the order of preference between sources, the cross-checks run, and",
        "the known gaps (mixed dates; license/tags/gated only for models with a recorded full API body).",
        "",
        "## Coverage",
        "",
        f"- task (`pipeline_tag`) known: {count(lambda r: 'pipeline_tag' in r)}; parameter count: {count(lambda r: 'safetensors' in r)};",
        f"  layers+hidden+heads (KV cache computable): {count(lambda r: all(k in r['hubscout'].get('config', {}) for k in ('num_hidden_layers', 'hidden_size', 'num_attention_heads')))};",
        f"  license: {count(lambda r: 'cardData' in r)}; downloads: {count(lambda r: 'downloads' in r)}.",
        "- Tasks: " + ", ".join(f"{k} {v}" for k, v in tasks.most_common()),
        "",
        "## Rebuild",
        "",
        "```",
        "python3 scripts/build-snapshot.py            # reads ../shared/hub-samples/seed-models.jsonl",
        "python3 scripts/build-snapshot.py --seed PATH --out cache --date YYYY-MM-DD",
        "```",
        "",
    ]
    with open(os.path.join(args.out, "SNAPSHOT.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"wrote {len(records)} models to {os.path.join(args.out, 'models.jsonl')}", file=sys.stderr)


if __name__ == "__main__":
    main()
