#!/usr/bin/env python3
"""Load every GGUF written by make_ggufs.py with llama.cpp (via llama-cpp-python's
low-level bindings, CPU only) at several context sizes and KV cache types, and
record what llama.cpp itself reports it allocates.

Each load runs in its own subprocess (`measure.py --child FILE N_CTX KV_TYPE`),
which installs a llama_log_set callback, loads the model and creates a context
with llama_context_default_params() (so n_batch / n_ubatch / n_seq_max /
flash_attn are llama.cpp's defaults), changing only n_ctx, type_k/type_v and
the thread count (threads do not change any buffer size), and prints a JSON
object with every log line and the API figures. The parent parses the lines.

Usage: measure.py GGUF_DIR OUT_JSON MODELS_DIR
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import time

N_CTXS = [512, 4096, 16384, 32768]
KV_TYPES = ["f16", "q8_0"]
GGML_TYPE_IDS = {"f16": 1, "q8_0": 8}
BIG_TOKENIZER_KEYS = {"tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.ggml.merges"}


# ---------------------------------------------------------------------------
# child: one load
# ---------------------------------------------------------------------------

def child(path: str, n_ctx: int, kv_type: str, swa_full: str) -> None:
    import llama_cpp

    lines: list[str] = []
    partial = [""]

    @llama_cpp.llama_log_callback
    def cb(level, text, user_data):
        s = partial[0] + text.decode("utf-8", "replace")
        parts = s.split("\n")
        partial[0] = parts.pop()
        lines.extend(parts)

    llama_cpp.llama_log_set(cb, ctypes.c_void_p(0))
    llama_cpp.llama_backend_init()

    result: dict = {"ok": False}
    mparams = llama_cpp.llama_model_default_params()
    mparams.n_gpu_layers = 0
    model = llama_cpp.llama_model_load_from_file(path.encode(), mparams)
    if not model:
        result["error"] = "llama_model_load_from_file returned NULL"
    else:
        result["model_size_bytes"] = int(llama_cpp.llama_model_size(model))
        result["model_n_params"] = int(llama_cpp.llama_model_n_params(model))
        buf = ctypes.create_string_buffer(256)
        llama_cpp.llama_model_desc(model, buf, 256)
        result["model_desc"] = buf.value.decode()
        cparams = llama_cpp.llama_context_default_params()
        result["defaults"] = {
            "n_ctx": cparams.n_ctx, "n_batch": cparams.n_batch, "n_ubatch": cparams.n_ubatch,
            "n_seq_max": cparams.n_seq_max, "flash_attn_type": cparams.flash_attn_type,
            "type_k": cparams.type_k, "type_v": cparams.type_v, "swa_full": bool(cparams.swa_full),
            "kv_unified": bool(cparams.kv_unified), "n_threads": cparams.n_threads,
        }
        cparams.n_ctx = n_ctx
        cparams.n_threads = 2
        cparams.n_threads_batch = 2
        cparams.type_k = GGML_TYPE_IDS[kv_type]
        cparams.type_v = GGML_TYPE_IDS[kv_type]
        if swa_full != "default":
            cparams.swa_full = swa_full == "1"
        result["swa_full"] = bool(cparams.swa_full)
        ctx = llama_cpp.llama_init_from_model(model, cparams)
        if not ctx:
            result["error"] = "llama_init_from_model returned NULL"
        else:
            result["ok"] = True
            result["n_ctx"] = int(llama_cpp.llama_n_ctx(ctx))
            result["n_batch"] = int(llama_cpp.llama_n_batch(ctx))
            result["n_ubatch"] = int(llama_cpp.llama_n_ubatch(ctx))
            result["n_seq_max"] = int(llama_cpp.llama_n_seq_max(ctx))
            llama_cpp.llama_free(ctx)
        llama_cpp.llama_model_free(model)
    if partial[0]:
        lines.append(partial[0])
    result["log"] = lines
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# parent: parse llama.cpp's log lines
# ---------------------------------------------------------------------------

RE_MODEL_BUF = re.compile(r"^\S+: +(\S+) model buffer size = +([\d.]+) MiB")
RE_KV_BUF = re.compile(r"^llama_kv_cache: +(\S+) KV buffer size = +([\d.]+) MiB")
RE_KV_SIZE = re.compile(r"^llama_kv_cache: size = +([\d.]+) MiB \( *(\d+) cells, +(\d+) layers, +(\d+)/ *(\d+) seqs\), "
                        r"K \((\w+)\): +([\d.]+) MiB, V \((\w+)\): +([\d.]+) MiB")
RE_ISWA = re.compile(r"creating +(non-SWA|SWA) KV cache, size = (\d+) cells")
RE_RS_BUF = re.compile(r"^llama_memory_recurrent: +(\S+) RS buffer size = +([\d.]+) MiB")
RE_RS_SIZE = re.compile(r"^llama_memory_recurrent: size = +([\d.]+) MiB \( *(\d+) cells, +(\d+) layers, +(\d+) seqs +(\d+) rs_seq\), "
                        r"R \((\w+)\): +([\d.]+) MiB, S \((\w+)\): +([\d.]+) MiB(?:, P \((\w+)\): +([\d.]+) MiB)?")
RE_OUT_BUF = re.compile(r"^llama_context: +(\S+) +output buffer size = +([\d.]+) MiB")
RE_COMPUTE_BUF = re.compile(r"^\S+: +(\S+) compute buffer size = +([\d.]+) MiB")
RE_COMPUTE_PRECISE = re.compile(r"^~llama_context: +(\S+) compute buffer size is +([\d.]+) MiB")
RE_CPARAM = re.compile(r"^llama_context: (n_seq_max|n_ctx|n_ctx_seq|n_batch|n_ubatch|causal_attn|flash_attn|kv_unified|n_rs_seq|n_outputs_max|n_outputs_max_per_seq) += (\S+)$")
RE_FA = re.compile(r"flash[_ ]att(?!n_ext)", re.I)
# lines about the model (the same for every load of a file): kept once per model
MODEL_KEEP = [re.compile(r"^print_info: (file type|file size|n_swa|n_ctx_train|n_layer|n_head|n_embd|n_vocab|n_expert|is_swa_any|model params|n_rot|ssm_|n_ff)"),
              re.compile(r"assigned to device"), re.compile(r"cannot be used with preferred buffer type"),
              re.compile(r"^load_arch_hparams:"), re.compile(r"^load_tensors: loading model tensors")]
# lines about this load
KEEP = [RE_COMPUTE_PRECISE, RE_MODEL_BUF, RE_KV_BUF, RE_KV_SIZE, RE_ISWA, RE_RS_BUF, RE_RS_SIZE, RE_OUT_BUF, RE_COMPUTE_BUF, RE_CPARAM, RE_FA,
        re.compile(r"^llama_kv_cache_iswa:"), re.compile(r"n_ctx_seq \("), re.compile(r"^sched_reserve: worst-case")]


def parse(log: list[str]) -> dict:
    out: dict = {
        "model_buffer_mib": {}, "kv_buffer_mib": None, "kv_k_mib": None, "kv_v_mib": None,
        "kv_cells": None, "kv_layers": None, "kv_k_type": None, "kv_v_type": None,
        "swa_kv_buffer_mib": None, "swa_kv_k_mib": None, "swa_kv_v_mib": None, "swa_kv_cells": None, "swa_kv_layers": None,
        "rs_buffer_mib": None, "rs_r_mib": None, "rs_s_mib": None, "rs_p_mib": None, "rs_cells": None, "rs_layers": None,
        "compute_buffer_mib": {}, "compute_buffer_mib_4dp": {}, "output_buffer_mib": None, "reported": {}, "flash_attn_lines": [], "raw_log_lines": [],
        "model_log_lines": [],
    }
    section = "kv"   # for iSWA caches: "kv" (non-SWA) or "swa"
    kv_buf: dict[str, float] = {}
    for line in log:
        line = line.rstrip()
        if any(r.search(line) for r in MODEL_KEEP):
            out["model_log_lines"].append(line.strip())
        elif any(r.search(line) for r in KEEP):
            out["raw_log_lines"].append(line.strip())
        if m := RE_MODEL_BUF.search(line):
            out["model_buffer_mib"][m.group(1)] = out["model_buffer_mib"].get(m.group(1), 0.0) + float(m.group(2))
        elif m := RE_ISWA.search(line):
            section = "swa" if m.group(1) == "SWA" else "kv"
        elif m := RE_KV_BUF.search(line):
            key = "swa_kv_buffer_mib" if section == "swa" else "kv_buffer_mib"
            out[key] = (out[key] or 0.0) + float(m.group(2))
        elif m := RE_KV_SIZE.search(line):
            pre = "swa_kv" if section == "swa" else "kv"
            out[f"{pre}_k_mib"] = float(m.group(7))
            out[f"{pre}_v_mib"] = float(m.group(9))
            out[f"{pre}_cells"] = int(m.group(2))
            out[f"{pre}_layers"] = int(m.group(3))
            if pre == "kv":
                out["kv_k_type"], out["kv_v_type"] = m.group(6), m.group(8)
        elif m := RE_RS_BUF.search(line):
            out["rs_buffer_mib"] = (out["rs_buffer_mib"] or 0.0) + float(m.group(2))
        elif m := RE_RS_SIZE.search(line):
            out["rs_cells"], out["rs_layers"] = int(m.group(2)), int(m.group(3))
            out["rs_r_mib"], out["rs_s_mib"] = float(m.group(7)), float(m.group(9))
            if m.group(11) is not None:
                out["rs_p_mib"] = float(m.group(11))
        elif m := RE_OUT_BUF.search(line):
            out["output_buffer_mib"] = (out["output_buffer_mib"] or 0.0) + float(m.group(2))
        elif m := RE_COMPUTE_PRECISE.search(line):
            out["compute_buffer_mib_4dp"][m.group(1)] = float(m.group(2))
        elif m := RE_COMPUTE_BUF.search(line):
            out["compute_buffer_mib"][m.group(1)] = float(m.group(2))
        elif m := RE_CPARAM.search(line):
            v = m.group(2)
            out["reported"][m.group(1)] = int(v) if v.isdigit() else v
        if RE_FA.search(line):
            out["flash_attn_lines"].append(line.strip())
    return out


def flash_attn_effective(parsed: dict) -> str | None:
    """'enabled'/'disabled' as llama.cpp resolved it (auto is resolved during context creation)."""
    for line in parsed["flash_attn_lines"]:
        low = line.lower()
        if "enabling flash_attn" in low:
            return "enabled"
    for line in reversed(parsed["flash_attn_lines"]):
        low = line.lower()
        if "flash attn" in low or "flash_attn" in low or "flash attention" in low:
            if "not supported" in low or "disabled" in low or "set to disabled" in low:
                return "disabled"
            if low.endswith("enabled"):
                return "enabled"
    return None


def run_load(path: str, n_ctx: int, kv_type: str, swa_full: str = "default") -> dict:
    t0 = time.time()
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", path, str(n_ctx), kv_type, swa_full],
                       capture_output=True, text=True, timeout=600)
    dt = time.time() - t0
    try:
        res = json.loads(p.stdout)
    except json.JSONDecodeError:
        res = {"ok": False, "error": f"child exited {p.returncode}", "log": (p.stdout + p.stderr).splitlines()[-40:]}
    if p.returncode != 0 and res.get("ok"):
        res["ok"] = False
        res["error"] = f"child exited {p.returncode}"
    if p.stderr.strip():
        res.setdefault("stderr_tail", p.stderr.strip().splitlines()[-20:])
    res["wall_s"] = round(dt, 2)
    return res


# ---------------------------------------------------------------------------
# GGUF header description (read back with gguf.GGUFReader)
# ---------------------------------------------------------------------------

def describe_gguf(path: str) -> dict:
    import gguf
    import numpy as np
    r = gguf.GGUFReader(path, "r")
    meta: dict = {}
    for name, field in r.fields.items():
        if name.startswith("GGUF."):
            continue
        if name in BIG_TOKENIZER_KEYS:
            meta[f"{name}#count"] = len(field.data)
            continue
        val = field.contents()
        if isinstance(val, float):
            val = float(str(np.float32(val)))  # the f32 value, written as its shortest decimal
        meta[name] = val
    tensors = []
    data_bytes = 0
    n_params = 0
    for t in r.tensors:
        dims = [int(d) for d in t.shape]
        tensors.append([t.name, t.tensor_type.name, dims, int(t.data_offset - r.data_offset), int(t.n_bytes)])
        data_bytes += int(t.n_bytes)
        n_params += int(t.n_elements)
    align_field = r.fields.get("general.alignment")
    alignment = int(align_field.contents()) if align_field is not None else 32
    return {"metadata": meta, "tensors": tensors, "alignment": alignment, "tensor_data_offset": int(r.data_offset),
            "_tensor_data_bytes": data_bytes, "_n_params": n_params}


def collect_versions() -> dict:
    import importlib.metadata as md
    import platform
    import llama_cpp
    lib = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml-base.so"))
    for fn in ("ggml_commit", "ggml_version"):
        getattr(lib, fn).restype = ctypes.c_char_p
    return {
        "llama_cpp_python": md.version("llama_cpp_python"),
        "llama_cpp_commit_or_build": lib.ggml_commit().decode(),
        "llama_cpp_commit_note": "ggml_commit() of the compiled library; llama-cpp-python 0.3.36's CHANGELOG: 'update llama.cpp to ggml-org/llama.cpp@0c1e57098'",
        "ggml": lib.ggml_version().decode(),
        "gguf": md.version("gguf"),
        "numpy": md.version("numpy"),
        "python": platform.python_version(),
        "system_info": llama_cpp.llama_print_system_info().decode().strip(),
    }


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "default")
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf_dir")
    ap.add_argument("out_json")
    ap.add_argument("models_dir")
    ap.add_argument("--only", default="")
    args = ap.parse_args()

    with open(os.path.join(args.gguf_dir, "index.json")) as f:
        index = json.load(f)
    only = set(filter(None, args.only.split(",")))
    os.makedirs(args.models_dir, exist_ok=True)

    models = []
    t_start = time.time()
    for entry in index:
        if only and entry["name"] not in only:
            continue
        for quant, path in entry["files"].items():
            name = f"{entry['name']}-{quant.lower()}"
            desc = describe_gguf(path)
            data_bytes, n_params = desc.pop("_tensor_data_bytes"), desc.pop("_n_params")
            with open(os.path.join(args.models_dir, f"{name}.json"), "w") as f:
                json.dump(desc, f, separators=(",", ":"), ensure_ascii=False)
                f.write("\n")
            model = {"name": name, "arch": entry["arch"], "quant": quant, "shape_of": entry["like"],
                     "file": {"size_bytes": os.path.getsize(path), "tensor_data_bytes": data_bytes, "n_params": n_params,
                              "tensor_data_offset": desc["tensor_data_offset"], "n_tensors": len(desc["tensors"])},
                     "loads": []}
            if entry.get("note"):
                model["note"] = entry["note"]
            plan = [(kv, n, "default") for kv in KV_TYPES for n in N_CTXS]
            i = 0
            while i < len(plan):
                kv_type, n_ctx, swa_mode = plan[i]
                i += 1
                if True:
                    res = run_load(path, n_ctx, kv_type, swa_mode)
                    parsed = parse(res.get("log", []))
                    load = {"n_ctx_requested": n_ctx, "kv_type": kv_type, "swa_full": res.get("swa_full"), "ok": bool(res.get("ok"))}
                    if swa_mode == "default" and parsed["swa_kv_buffer_mib"] is not None and not any(p[2] != "default" for p in plan):
                        # iSWA model: also measure the small SWA cache that llama-cli/llama-server use
                        # (common_params.swa_full = false; llama_context_default_params() has swa_full = true)
                        plan += [(kv, n, "0") for kv in KV_TYPES for n in N_CTXS]
                    if not res.get("ok"):
                        load["error"] = res.get("error")
                        load["error_log_tail"] = [l for l in res.get("log", []) if l.strip()][-15:] + res.get("stderr_tail", [])
                    else:
                        if "llama_model_size_bytes" not in model["file"]:
                            model["file"]["llama_model_size_bytes"] = res["model_size_bytes"]
                            model["file"]["llama_model_n_params"] = res["model_n_params"]
                            model["file"]["llama_model_desc"] = res["model_desc"]
                            model["context_defaults"] = res["defaults"]
                            model["model_log_lines"] = parsed["model_log_lines"]
                        fa = flash_attn_effective(parsed)
                        load.update({
                            "n_ctx": res["n_ctx"], "n_ctx_seq": parsed["reported"].get("n_ctx_seq"),
                            "n_batch": res["n_batch"], "n_ubatch": res["n_ubatch"], "n_seq_max": res["n_seq_max"],
                            "flash_attn_requested": parsed["reported"].get("flash_attn"),
                            "flash_attn": fa,
                            "set_by_script": {"n_ctx": n_ctx, "type_k": kv_type, "type_v": kv_type, "n_threads": 2,
                                              **({"swa_full": False} if swa_mode == "0" else {})},
                            "model_buffer_mib": parsed["model_buffer_mib"],
                            "kv_buffer_mib": parsed["kv_buffer_mib"], "kv_k_mib": parsed["kv_k_mib"], "kv_v_mib": parsed["kv_v_mib"],
                            "kv_cells": parsed["kv_cells"], "kv_layers": parsed["kv_layers"],
                            "kv_k_type": parsed["kv_k_type"], "kv_v_type": parsed["kv_v_type"],
                            "swa_kv_buffer_mib": parsed["swa_kv_buffer_mib"], "swa_kv_k_mib": parsed["swa_kv_k_mib"],
                            "swa_kv_v_mib": parsed["swa_kv_v_mib"], "swa_kv_cells": parsed["swa_kv_cells"],
                            "swa_kv_layers": parsed["swa_kv_layers"],
                            "rs_buffer_mib": parsed["rs_buffer_mib"], "rs_r_mib": parsed["rs_r_mib"], "rs_s_mib": parsed["rs_s_mib"],
                            "rs_p_mib": parsed["rs_p_mib"], "rs_cells": parsed["rs_cells"], "rs_layers": parsed["rs_layers"],
                            "compute_buffer_mib": sum(parsed["compute_buffer_mib"].values()) if parsed["compute_buffer_mib"] else None,
                            "compute_buffer_mib_by_type": parsed["compute_buffer_mib"],
                            "compute_buffer_mib_4dp": parsed["compute_buffer_mib_4dp"] or None,
                            "output_buffer_mib": parsed["output_buffer_mib"],
                            "raw_log_lines": parsed["raw_log_lines"],
                        })
                    model["loads"].append(load)
                    status = "ok" if load["ok"] else f"FAILED ({load.get('error')})"
                    print(f"[measure] {name} n_ctx={n_ctx} kv={kv_type} swa_full={res.get('swa_full')}: {status} {res['wall_s']}s", flush=True)
            models.append(model)

    doc = {
        "generated_by": "scripts/golden/llamacpp/measure.sh",
        "versions": collect_versions(),
        "settings": {
            "device": "CPU only (llama-cpp-python built without GPU backends); n_gpu_layers = 0",
            "n_ctx": N_CTXS, "kv_types": KV_TYPES,
            "context_params": "llama_context_default_params() with n_ctx, type_k, type_v and n_threads(_batch)=2 changed; flash_attn_type left at its default (auto; llama.cpp switches it to enabled itself for a quantized V cache). llama_context_default_params() has swa_full = true (full-size SWA cache); for models with an iSWA cache the loads are repeated with swa_full = false, the llama-cli/llama-server default (common_params.swa_full = false)",
            "model_params": "llama_model_default_params() with n_gpu_layers = 0 (mmap on)",
            "units": "*_mib fields are llama.cpp's own log figures (MiB, 2 decimals); *_bytes fields are exact",
        },
        "models": models,
        "runtime_s": round(time.time() - t_start, 1),
    }
    with open(args.out_json, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
