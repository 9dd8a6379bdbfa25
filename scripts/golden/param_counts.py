#!/usr/bin/env python3
"""Ground-truth parameter counts: how transformers reads each config.

For every Tests/HubScoutCoreTests/Fixtures/golden/params/configs/*.json this builds the model class that
transformers would instantiate, on the meta device (no weights are allocated), and counts its parameters.
Output: Tests/HubScoutCoreTests/Fixtures/golden/params/param-counts.json (see scripts/golden/README.md).

Run through scripts/golden/param-counts.sh, which sets up the pinned virtualenv.
"""
import gc
import json
import os
import platform
import re
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(ROOT, "Tests", "HubScoutCoreTests", "Fixtures", "golden", "params")
CONFIG_DIR = os.path.join(GOLDEN, "configs")
SOURCES = os.path.join(GOLDEN, "sources.json")
OUT = os.path.join(GOLDEN, "param-counts.json")

import torch  # noqa: E402
import transformers  # noqa: E402
from transformers.models.auto import modeling_auto  # noqa: E402
from transformers.models.auto.configuration_auto import CONFIG_MAPPING, CONFIG_MAPPING_NAMES  # noqa: E402

# When a config names no architectures (or one this transformers does not have), the class comes from the
# first of these auto mappings that has the model_type. Generative heads first, the bare model last.
FALLBACK_MAPPINGS = [
    "MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES",
    "MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES",
    "MODEL_FOR_SPEECH_SEQ_2_SEQ_MAPPING_NAMES",
    "MODEL_FOR_MASKED_LM_MAPPING_NAMES",
    "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES",
    "MODEL_MAPPING_NAMES",
]

# Sub-model classification of a parameter: the first segment of its dotted name that matches decides.
PROJECTOR_RE = re.compile(r"projector|connector|^enc_to_dec_proj$|^embed_vision$|^embed_audio$")
VISION_RE = re.compile(r"vision|visual|^image|^img")
AUDIO_RE = re.compile(r"audio|speech|^sound")


def mapping_names(attr):
    return getattr(modeling_auto, attr, {})


def all_model_mappings():
    for attr in sorted(dir(modeling_auto)):
        if attr.endswith("_MAPPING_NAMES") and attr != "CONFIG_MAPPING_NAMES":
            yield attr, getattr(modeling_auto, attr)


def class_names(value):
    return list(value) if isinstance(value, (tuple, list)) else [value]


def infer_model_type(arch):
    """The model_type a reader gets for an architecture class name: the auto mappings' keys that map to it."""
    found = {}
    for attr, mapping in all_model_mappings():
        for model_type, value in mapping.items():
            if arch in class_names(value):
                found.setdefault(model_type, []).append(attr)
    if not found:
        return None, "architecture %s is in no auto mapping" % arch
    if len(found) == 1:
        t = next(iter(found))
        return t, "auto mappings map %s only to model_type %s" % (arch, t)
    cls = getattr(transformers, arch, None)
    t = getattr(getattr(cls, "config_class", None), "model_type", None)
    if t in found:
        return t, "auto mappings map %s to %s; its config_class says %s" % (arch, sorted(found), t)
    return sorted(found)[0], "auto mappings map %s to %s; took the first" % (arch, sorted(found))


def pick_class(model_type, archs, notes):
    if archs:
        arch = archs[0]
        cls = getattr(transformers, arch, None)
        if cls is not None:
            return cls, "architectures[0]"
        notes.append("architecture %s is not a transformers class" % arch)
    for attr in FALLBACK_MAPPINGS:
        for name in class_names(mapping_names(attr).get(model_type) or ()):
            cls = getattr(transformers, name, None)
            if cls is not None:
                return cls, "auto mapping " + attr[: -len("_NAMES")]
    raise RuntimeError("no model class for model_type %s" % model_type)


def classify(param_name, class_name):
    parts = param_name.split(".")
    if class_name == "VisionEncoderDecoderModel" and parts[0] == "encoder":
        return "vision", "encoder"
    if class_name == "SpeechEncoderDecoderModel" and parts[0] == "encoder":
        return "audio", "encoder"
    for i, seg in enumerate(parts[:-1]):
        if seg.isdigit():
            continue
        for kind, rx in (("projector", PROJECTOR_RE), ("vision", VISION_RE), ("audio", AUDIO_RE)):
            if rx.search(seg):
                return kind, ".".join(parts[: i + 1])
    return "language", None


def owner_names(model):
    """id(param) -> the one name a shared parameter is attributed to, and the list of its other names.

    parameters() keeps the first name; for attribution a name outside the output-embedding module is preferred,
    so a tied embedding counts under the embeddings (model.embed_tokens), never under the head (lm_head)."""
    head = None
    try:
        out = model.get_output_embeddings()
    except Exception:
        out = None
    if out is not None:
        for mname, mod in model.named_modules():
            if mod is out:
                head = mname + "."
                break
    names = {}
    for name, p in model.named_parameters(remove_duplicate=False):
        names.setdefault(id(p), []).append(name)
    owner = {}
    for pid, ns in names.items():
        pick = ns[0]
        if head and len(ns) > 1 and pick.startswith(head):
            pick = next((n for n in ns if not n.startswith(head)), pick)
        owner[pid] = pick
    return owner


def count(model):
    class_name = type(model).__name__
    owner = owner_names(model)
    shared = []
    total = total_dup = 0
    top = {name: 0 for name, _ in model.named_children()}
    sub = {}
    kinds = {"vision": 0, "audio": 0, "projector": 0, "language": 0}
    kind_paths = {"vision": set(), "audio": set(), "projector": set()}
    for name, p in model.named_parameters(remove_duplicate=False):
        n = p.numel()
        total_dup += n
        if name != owner[id(p)]:
            shared.append("%s = %s" % (name, owner[id(p)]))
            continue
        total += n
        parts = name.split(".")
        key = parts[0] if len(parts) > 1 else "(own)"
        top[key] = top.get(key, 0) + n
        if len(parts) > 2:
            sk = parts[0] + "." + parts[1]
        elif len(parts) == 2:
            sk = parts[0] + ".(own)"
        else:
            sk = None
        if sk is not None:
            sub[sk] = sub.get(sk, 0) + n
        kind, path = classify(name, class_name)
        kinds[kind] += n
        if path is not None:
            kind_paths[kind].add(path)
    # a second level only where it says more than the first: more than one part, or parts of another name
    heads = {}
    for k in sub:
        heads[k.split(".")[0]] = heads.get(k.split(".")[0], 0) + 1
    subcomponents = {k: v for k, v in sub.items() if heads[k.split(".")[0]] > 1 or not k.endswith(".(own)")}
    result = {
        "total": total,
        "total_with_duplicates": total_dup,
        "components": top,
        "subcomponents": subcomponents,
    }
    if kinds["vision"] or kinds["audio"]:
        result["submodels"] = {k: v for k, v in kinds.items() if v or k == "language"}
        result["submodel_paths"] = {k: sorted(v) for k, v in kind_paths.items() if v}
    result["shared_parameters"] = shared
    return result


def tie_state(model, config):
    tied = False
    try:
        out, inp = model.get_output_embeddings(), model.get_input_embeddings()
        if out is not None and inp is not None and getattr(out, "weight", None) is not None:
            tied = out.weight is inp.weight
    except Exception:  # some models have no embeddings (vision encoders, speech models)
        tied = False
    flag = getattr(config, "tie_word_embeddings", None)
    try:
        text = config.get_text_config()
        if text is not config and getattr(text, "tie_word_embeddings", None) is not None and flag is None:
            flag = text.tie_word_embeddings
    except Exception:
        pass
    return tied, flag


def build_one(file_name, raw, source):
    entry = {"config": file_name}
    if source:
        entry["source"] = source
    notes = []
    model_type = raw.get("model_type")
    archs = raw.get("architectures") or []
    if not model_type:
        if not archs:
            raise RuntimeError("no model_type and no architectures")
        model_type, how = infer_model_type(archs[0])
        if model_type is None:
            raise RuntimeError(how)
        entry["model_type_inferred"] = {"from": "architectures[0]", "how": how}
    entry["model_type"] = model_type
    if model_type not in CONFIG_MAPPING_NAMES:
        raise RuntimeError("model_type %r is not known to transformers %s" % (model_type, transformers.__version__))
    if raw.get("auto_map"):
        notes.append("auto_map ignored: transformers' own classes are used")
    config_class = CONFIG_MAPPING[model_type]
    config = config_class.from_dict(dict(raw))  # what AutoConfig.from_pretrained does with a config.json
    cls, how = pick_class(model_type, archs, notes)
    entry["class"] = cls.__name__
    entry["class_from"] = how
    with torch.device("meta"):
        model = cls(config)
    if hasattr(model, "tie_weights"):
        model.tie_weights()  # from_pretrained ties after loading; the constructor already did in this version
    counted = count(model)
    if counted["total"] != sum(p.numel() for p in model.parameters()):
        raise RuntimeError("attribution lost parameters: %d != parameters() sum" % counted["total"])
    tied, flag = tie_state(model, config)
    entry["total"] = counted.pop("total")
    entry["total_with_duplicates"] = counted.pop("total_with_duplicates")
    entry["tied_embeddings"] = tied
    entry["config_tie_word_embeddings"] = flag
    entry.update(counted)
    if notes:
        entry["note"] = "; ".join(notes)
    del model, config
    return entry


def main():
    torch.set_num_threads(1)
    sources = {}
    skipped = {}
    if os.path.exists(SOURCES):
        with open(SOURCES, encoding="utf-8") as f:
            s = json.load(f)
        sources, skipped = s.get("configs", {}), s.get("snapshot_model_types_skipped", {})
    names = sorted(n for n in os.listdir(CONFIG_DIR) if n.endswith(".json"))
    if not names:
        sys.exit("no configs in " + CONFIG_DIR)
    models = []
    started = time.time()
    for name in names:
        with open(os.path.join(CONFIG_DIR, name), encoding="utf-8") as f:
            raw = json.load(f)
        t0 = time.time()
        try:
            entry = build_one(name, raw, sources.get(name))
        except Exception as e:  # recorded, never dropped
            entry = {"config": name}
            if sources.get(name):
                entry["source"] = sources[name]
            entry["model_type"] = raw.get("model_type")
            entry["error"] = ("%s: %s" % (type(e).__name__, " ".join(str(e).split())))[:600]
        gc.collect()
        models.append(entry)
        print("%-55s %8.2fs %s" % (name, time.time() - t0, entry.get("total", entry.get("error"))), flush=True)
    types = sorted({m["model_type"] for m in models if m.get("model_type")})
    out = {
        "generated_by": "scripts/golden/param-counts.sh",
        "versions": {
            "python": platform.python_version(),
            "transformers": transformers.__version__,
            "torch": torch.__version__,
        },
        "method": "config_class.from_dict(config.json) then the model class built under torch.device('meta'); "
        "total = sum(p.numel() for p in model.parameters()) (a tied parameter counted once); "
        "total_with_duplicates counts every name of a shared parameter; components/subcomponents/submodels "
        "attribute each parameter once: to the first name parameters() gives it, except that a parameter shared with the output embeddings (lm_head) is attributed to its other name (the input embeddings)",
        "summary": {
            "configs": len(models),
            "model_types": len(types),
            "errors": sum(1 for m in models if "error" in m),
        },
        "snapshot_model_types_skipped": skipped,
        "models": models,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print("wrote %s: %d configs, %d model_types, %d errors, %.1fs"
          % (os.path.relpath(OUT, ROOT), len(models), len(types), out["summary"]["errors"], time.time() - started))


if __name__ == "__main__":
    main()
