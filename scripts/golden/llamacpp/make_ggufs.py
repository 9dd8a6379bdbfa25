#!/usr/bin/env python3
"""Write small GGUF files in the shapes of real architectures, then quantize them
with llama.cpp itself.

Each model is written in F16 with gguf.GGUFWriter, using the tensor names from
the `gguf` package (gguf.TENSOR_NAMES / gguf.MODEL_TENSORS) and the metadata
keys that llama.cpp's convert_hf_to_gguf.py writes for that architecture. The
dimensions are scaled down from a real member of the family (named in each
spec), keeping the real head_dim, GQA ratio, vocab size and layer pattern
where possible, with the other dims multiples of 256 so that k-quants and
IQ4_XS apply. Weights are small random numbers: content does not matter for
memory accounting.

Then each F16 file is quantized to Q8_0, Q4_K_M and IQ4_XS with
llama_cpp.llama_model_quantize (no imatrix).

Usage: make_ggufs.py OUT_DIR [--only name,name] [--force]
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import gguf
from gguf import MODEL_ARCH, MODEL_TENSOR, GGMLQuantizationType as QT, TokenType

# llama_ftype ids, checked against the bindings in main()
QUANTS = [("F16", 1), ("Q8_0", 7), ("Q4_K_M", 15), ("IQ4_XS", 30)]

_rng = np.random.default_rng(1234)
_POOL = (_rng.standard_normal(1 << 22, dtype=np.float32) * 0.02)


def _data(shape_ggml: list[int], f32: bool) -> np.ndarray:
    """Random data; shape given in ggml order (ne0 first), numpy gets it reversed."""
    shape_np = tuple(reversed(shape_ggml))
    arr = np.resize(_POOL, shape_np)
    return arr.astype(np.float32 if f32 else np.float16)


# ---------------------------------------------------------------------------
# tokenizers (synthetic, but in the format llama.cpp's loader expects)
# ---------------------------------------------------------------------------

def _bytes_to_unicode() -> list[str]:
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + list(range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


@dataclass
class Tok:
    model: str                      # "llama" (SPM) or "gpt2" (BPE)
    n_vocab: int
    pre: str | None = None          # BPE pre-tokenizer name
    specials: dict[int, str] = field(default_factory=dict)  # id -> text (CONTROL)
    n_regular: int | None = None    # BPE: ids >= n_regular and not special are padding
    bos: int | None = None
    eos: int | None = None
    unk: int | None = None
    pad: int | None = None
    add_bos: bool | None = None
    add_eos: bool | None = None

    def write(self, w: gguf.GGUFWriter) -> None:
        w.add_tokenizer_model(self.model)
        if self.pre is not None:
            w.add_tokenizer_pre(self.pre)
        tokens: list[str] = []
        types: list[int] = []
        if self.model == "llama":
            scores: list[float] = []
            byte_start = max(self.specials) + 1 if self.specials else 0
            for i in range(self.n_vocab):
                if i in self.specials:
                    tokens.append(self.specials[i])
                    types.append(TokenType.UNKNOWN if i == self.unk else TokenType.CONTROL)
                    scores.append(0.0)
                elif byte_start <= i < byte_start + 256:
                    tokens.append(f"<0x{i - byte_start:02X}>")
                    types.append(TokenType.BYTE)
                    scores.append(0.0)
                else:
                    tokens.append(f"\u2581t{i}")
                    types.append(TokenType.NORMAL)
                    scores.append(-float(i))
            w.add_token_list(tokens)
            w.add_token_scores(scores)
            w.add_token_types(types)
        else:
            byte_chars = _bytes_to_unicode()
            n_regular = self.n_regular if self.n_regular is not None else self.n_vocab
            merges = ["\u0120 t", "t o", "to k"]
            extra = ["\u0120t", "to", "tok"]
            for i in range(self.n_vocab):
                if i in self.specials:
                    tokens.append(self.specials[i])
                    types.append(TokenType.CONTROL)
                elif i < 256:
                    tokens.append(byte_chars[i])
                    types.append(TokenType.NORMAL)
                elif i < 256 + len(extra):
                    tokens.append(extra[i - 256])
                    types.append(TokenType.NORMAL)
                elif i < n_regular:
                    tokens.append(f"t{i}")
                    types.append(TokenType.NORMAL)
                else:
                    tokens.append(f"[PAD{i}]")
                    types.append(TokenType.UNUSED)
            w.add_token_list(tokens)
            w.add_token_types(types)
            w.add_token_merges(merges)
        if self.bos is not None:
            w.add_bos_token_id(self.bos)
        if self.eos is not None:
            w.add_eos_token_id(self.eos)
        if self.unk is not None:
            w.add_unk_token_id(self.unk)
        if self.pad is not None:
            w.add_pad_token_id(self.pad)
        if self.add_bos is not None:
            w.add_add_bos_token(self.add_bos)
        if self.add_eos is not None:
            w.add_add_eos_token(self.add_eos)


def tok_llama3() -> Tok:
    sp = {128000: "<|begin_of_text|>", 128001: "<|end_of_text|>"}
    for i in range(128002, 128256):
        sp[i] = f"<|reserved_special_token_{i - 128002}|>"
    sp[128009] = "<|eot_id|>"
    return Tok("gpt2", 128256, pre="llama-bpe", specials=sp, bos=128000, eos=128009, add_bos=True)


def tok_qwen(n_vocab: int, n_regular: int, pre: str) -> Tok:
    names = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
             "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>",
             "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"]
    sp = {n_regular + i: s for i, s in enumerate(names)}
    return Tok("gpt2", n_vocab, pre=pre, specials=sp, n_regular=n_regular + len(names),
               bos=n_regular, eos=n_regular + 2, pad=n_regular, add_bos=False)


def tok_spm_llama(n_vocab: int) -> Tok:
    sp = {0: "<unk>", 1: "<s>", 2: "</s>"}
    return Tok("llama", n_vocab, specials=sp, bos=1, eos=2, unk=0, add_bos=True, add_eos=False)


def tok_gemma(n_vocab: int) -> Tok:
    sp = {0: "<pad>", 1: "<eos>", 2: "<bos>", 3: "<unk>"}
    return Tok("llama", n_vocab, specials=sp, bos=2, eos=1, unk=3, pad=0, add_bos=True, add_eos=False)


# ---------------------------------------------------------------------------
# model specs
# ---------------------------------------------------------------------------

@dataclass
class Spec:
    name: str
    arch: MODEL_ARCH
    like: str                          # the real model whose shape this scales down
    tok: Callable[[], Tok]
    meta: Callable[[gguf.GGUFWriter], None]
    tensors: Callable[[], list[tuple[str, list[int]]]]   # (name, ggml shape)
    note: str = ""


def tn(t: MODEL_TENSOR, bid: int | None = None, suffix: str | None = "weight") -> str:
    base = gguf.TENSOR_NAMES[t]
    if bid is not None:
        base = base.format(bid=bid)
    return base + ("." + suffix if suffix else "")


def is_f32(name: str, shape: list[int]) -> bool:
    """convert_hf_to_gguf.py's rule for which tensors stay F32 in an F16 conversion."""
    if len(shape) <= 1 or name.endswith("_norm.weight"):
        return True
    if not name.endswith(".weight"):
        return True
    for key in (".ffn_gate_inp.", ".ssm_conv1d.", ".ffn_gate_inp_shexp."):
        if key in name:
            return True
    return False


def common_meta(w: gguf.GGUFWriter, *, n_layer: int, n_ctx: int, n_embd: int, n_ff: int | None,
                n_head: int | None, n_head_kv: int | None, rope_base: float | None, rms_eps: float,
                head_dim: int | None = None, n_expert: int | None = None, n_expert_used: int | None = None) -> None:
    w.add_block_count(n_layer)
    w.add_context_length(n_ctx)
    w.add_embedding_length(n_embd)
    if n_ff is not None:
        w.add_feed_forward_length(n_ff)
    if n_head is not None:
        w.add_head_count(n_head)
    if n_head_kv is not None:
        w.add_head_count_kv(n_head_kv)
    if rope_base is not None:
        w.add_rope_freq_base(rope_base)
    w.add_layer_norm_rms_eps(rms_eps)
    if n_expert is not None:
        w.add_expert_count(n_expert)
    if n_expert_used is not None:
        w.add_expert_used_count(n_expert_used)
    if head_dim is not None:
        w.add_key_length(head_dim)
        w.add_value_length(head_dim)


def attn_tensors(i: int, n_embd: int, q_dim: int, kv_dim: int, *, bias: bool = False, qk_norm_dim: int | None = None,
                 fused: bool = False) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    if fused:
        out.append((tn(MODEL_TENSOR.ATTN_QKV, i), [n_embd, q_dim + 2 * kv_dim]))
    else:
        out += [(tn(MODEL_TENSOR.ATTN_Q, i), [n_embd, q_dim]),
                (tn(MODEL_TENSOR.ATTN_K, i), [n_embd, kv_dim]),
                (tn(MODEL_TENSOR.ATTN_V, i), [n_embd, kv_dim])]
        if bias:
            out += [(tn(MODEL_TENSOR.ATTN_Q, i, "bias"), [q_dim]),
                    (tn(MODEL_TENSOR.ATTN_K, i, "bias"), [kv_dim]),
                    (tn(MODEL_TENSOR.ATTN_V, i, "bias"), [kv_dim])]
    if qk_norm_dim is not None:
        out += [(tn(MODEL_TENSOR.ATTN_Q_NORM, i), [qk_norm_dim]),
                (tn(MODEL_TENSOR.ATTN_K_NORM, i), [qk_norm_dim])]
    out.append((tn(MODEL_TENSOR.ATTN_OUT, i), [q_dim, n_embd]))
    return out


def ffn_tensors(i: int, n_embd: int, n_ff: int) -> list[tuple[str, list[int]]]:
    return [(tn(MODEL_TENSOR.FFN_GATE, i), [n_embd, n_ff]),
            (tn(MODEL_TENSOR.FFN_UP, i), [n_embd, n_ff]),
            (tn(MODEL_TENSOR.FFN_DOWN, i), [n_ff, n_embd])]


def head_tensors(n_embd: int, n_vocab: int, tied: bool) -> tuple[list, list]:
    first = [(tn(MODEL_TENSOR.TOKEN_EMBD), [n_embd, n_vocab])]
    last = [(tn(MODEL_TENSOR.OUTPUT_NORM), [n_embd])]
    if not tied:
        last.append((tn(MODEL_TENSOR.OUTPUT), [n_embd, n_vocab]))
    return first, last


# --- llama 3 (Llama-3.1-8B shape: GQA 4:1, head_dim 128 -> here 64 like Llama-3.2-1B, rope llama3 with rope_freqs)
def spec_llama3() -> Spec:
    E, L, H, KV, HD, FF, V = 1024, 8, 16, 4, 64, 3584, 128256

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=131072, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=500000.0, rms_eps=1e-5)
        w.add_vocab_size(V)
        w.add_rope_dimension_count(HD)

    def tensors():
        a, b = head_tensors(E, V, tied=False)
        out = a + [(tn(MODEL_TENSOR.ROPE_FREQS), [HD // 2])]
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
        return out + b
    return Spec("llama3", MODEL_ARCH.LLAMA, "Llama-3.1-8B / Llama-3.2-1B", tok_llama3, meta, tensors)


# --- mistral (Mistral-7B-v0.1 shape: GQA 4:1, head_dim 128, vocab 32000, HF sliding_window 4096).
# convert_hf_to_gguf.py maps MistralForCausalLM to the llama arch and writes no sliding-window key.
def spec_mistral() -> Spec:
    E, L, H, KV, HD, FF, V = 1024, 8, 8, 2, 128, 3584, 32000

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=32768, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=10000.0, rms_eps=1e-5)
        w.add_vocab_size(V)
        w.add_rope_dimension_count(HD)

    def tensors():
        a, b = head_tensors(E, V, tied=False)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
        return out + b
    return Spec("mistral", MODEL_ARCH.LLAMA, "Mistral-7B-v0.1", lambda: tok_spm_llama(V), meta, tensors,
                note="written as the llama arch with no sliding-window key, as convert_hf_to_gguf.py does for MistralForCausalLM; llama.cpp therefore keeps a full-context KV cache")


# --- qwen2 (Qwen2.5-0.5B shape: tied embeddings, q/k/v bias, head_dim 64, GQA 6:1 (real 7:1))
def spec_qwen2() -> Spec:
    E, L, H, KV, HD, FF, V = 768, 6, 12, 2, 64, 4096, 151936

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=32768, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=1000000.0, rms_eps=1e-6)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD, bias=True)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
        return out + b
    return Spec("qwen2", MODEL_ARCH.QWEN2, "Qwen2.5-0.5B", lambda: tok_qwen(V, 151643, "qwen2"), meta, tensors)


# --- qwen3 (Qwen3-0.6B shape: head_dim 128 with q dim 2048 > hidden 1024, GQA 2:1, q/k norm, tied)
def spec_qwen3() -> Spec:
    E, L, H, KV, HD, FF, V = 1024, 6, 16, 8, 128, 3072, 151936

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=40960, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=1000000.0, rms_eps=1e-6, head_dim=HD)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD, qk_norm_dim=HD)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
        return out + b
    return Spec("qwen3", MODEL_ARCH.QWEN3, "Qwen3-0.6B", lambda: tok_qwen(V, 151643, "qwen2"), meta, tensors)


# --- qwen3moe (Qwen3-30B-A3B shape: 128 experts/8 used -> 16/4, expert ffn 768, head_dim 128, GQA 8:1)
def spec_qwen3moe() -> Spec:
    E, L, H, KV, HD, FF, FFE, NE, NU, V = 1024, 4, 16, 2, 128, 3072, 768, 16, 4, 151936

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=40960, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=1000000.0, rms_eps=1e-6,
                    n_expert=NE, n_expert_used=NU, head_dim=HD)
        w.add_expert_feed_forward_length(FFE)

    def tensors():
        a, b = head_tensors(E, V, tied=False)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD, qk_norm_dim=HD)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += [(tn(MODEL_TENSOR.FFN_GATE_INP, i), [E, NE]),
                    (tn(MODEL_TENSOR.FFN_GATE_EXP, i), [E, FFE, NE]),
                    (tn(MODEL_TENSOR.FFN_UP_EXP, i), [E, FFE, NE]),
                    (tn(MODEL_TENSOR.FFN_DOWN_EXP, i), [FFE, E, NE])]
        return out + b
    return Spec("qwen3moe", MODEL_ARCH.QWEN3MOE, "Qwen3-30B-A3B", lambda: tok_qwen(V, 151643, "qwen2"), meta, tensors)


# --- gemma2 (gemma-2-2b shape: head_dim 256, GQA 2:1, alternating local(4096)/global, softcaps, tied)
def spec_gemma2() -> Spec:
    E, L, H, KV, HD, FF, V = 768, 6, 8, 4, 256, 3072, 256000

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=8192, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=None, rms_eps=1e-6)
        w.add_key_length(HD)
        w.add_value_length(HD)
        w.add_attn_logit_softcapping(50.0)
        w.add_final_logit_softcapping(30.0)
        w.add_sliding_window(4096)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD)
            out.append((tn(MODEL_TENSOR.ATTN_POST_NORM, i), [E]))
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
            out.append((tn(MODEL_TENSOR.FFN_POST_NORM, i), [E]))
        return out + b
    return Spec("gemma2", MODEL_ARCH.GEMMA2, "gemma-2-2b", lambda: tok_gemma(V), meta, tensors)


# --- gemma3 (gemma-3-1b shape: head_dim 256, 1 KV head, 5 local (window 512) : 1 global, q/k norm, tied)
def spec_gemma3() -> Spec:
    E, L, H, KV, HD, FF, V = 1024, 12, 4, 1, 256, 6144, 262144

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=32768, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=1000000.0, rms_eps=1e-6, head_dim=HD)
        w.add_rope_freq_base_swa(10000.0)
        w.add_sliding_window(512)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD, qk_norm_dim=HD)
            out.append((tn(MODEL_TENSOR.ATTN_POST_NORM, i), [E]))
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
            out.append((tn(MODEL_TENSOR.FFN_POST_NORM, i), [E]))
        return out + b
    return Spec("gemma3", MODEL_ARCH.GEMMA3, "gemma-3-1b", lambda: tok_gemma(V), meta, tensors)


# --- phi3 (Phi-3-mini-4k shape: head_dim 96, no GQA, fused qkv, fused gate/up, HF sliding_window 2047)
def spec_phi3() -> Spec:
    E, L, H, KV, HD, FF, V = 768, 6, 8, 8, 96, 2048, 32064

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=4096, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=10000.0, rms_eps=1e-5)
        w.add_rope_dimension_count(HD)
        w.add_sliding_window(2047)

    def tensors():
        a, b = head_tensors(E, V, tied=False)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            out += attn_tensors(i, E, H * HD, KV * HD, fused=True)
            out.append((tn(MODEL_TENSOR.FFN_NORM, i), [E]))
            out += [(tn(MODEL_TENSOR.FFN_UP, i), [E, 2 * FF]), (tn(MODEL_TENSOR.FFN_DOWN, i), [FF, E])]
        return out + b

    def tok():
        t = Tok("llama", V, specials={0: "<unk>", 1: "<s>", 2: "</s>", **{32000 + k: s for k, s in enumerate(
            ["<|endoftext|>", "<|assistant|>", "<|placeholder1|>", "<|placeholder2|>", "<|placeholder3|>",
             "<|placeholder4|>", "<|system|>", "<|end|>", "<|placeholder5|>", "<|placeholder6|>", "<|user|>"])}},
                bos=1, eos=32000, unk=0, pad=32000, add_bos=False, add_eos=False)
        return t
    return Spec("phi3", MODEL_ARCH.PHI3, "Phi-3-mini-4k-instruct", tok, meta, tensors,
                note="phi3.attention.sliding_window is written (as convert does); llama.cpp disables SWA for phi3 and logs a warning")


# --- deepseek2 (DeepSeek-V2 shape: MLA with q_lora, kv_lora 512, rope 64, nope 128, v 128; 1 dense lead layer; MoE with shared experts)
def spec_deepseek2() -> Spec:
    E, L, H, QLORA, KVLORA, ROPE, NOPE, VD, FF, FFE, NE, NU, NS, V = 1024, 4, 8, 512, 512, 64, 128, 128, 2816, 512, 16, 4, 2, 102400

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=163840, n_embd=E, n_ff=FF, n_head=H, n_head_kv=1, rope_base=10000.0, rms_eps=1e-6,
                    n_expert=NE, n_expert_used=NU)
        w.add_leading_dense_block_count(1)
        w.add_vocab_size(V)
        w.add_q_lora_rank(QLORA)
        w.add_kv_lora_rank(KVLORA)
        w.add_key_length(KVLORA + ROPE)
        w.add_value_length(KVLORA)
        w.add_key_length_mla(NOPE + ROPE)
        w.add_value_length_mla(VD)
        w.add_expert_feed_forward_length(FFE)
        w.add_expert_shared_count(NS)
        w.add_expert_weights_scale(16.0)
        w.add_rope_dimension_count(ROPE)

    def tensors():
        a, b = head_tensors(E, V, tied=False)
        out = a
        for i in range(L):
            out += [(tn(MODEL_TENSOR.ATTN_NORM, i), [E]),
                    (tn(MODEL_TENSOR.ATTN_Q_A, i), [E, QLORA]),
                    (tn(MODEL_TENSOR.ATTN_Q_A_NORM, i), [QLORA]),
                    (tn(MODEL_TENSOR.ATTN_Q_B, i), [QLORA, H * (NOPE + ROPE)]),
                    (tn(MODEL_TENSOR.ATTN_KV_A_MQA, i), [E, KVLORA + ROPE]),
                    (tn(MODEL_TENSOR.ATTN_KV_A_NORM, i), [KVLORA]),
                    (tn(MODEL_TENSOR.ATTN_K_B, i), [NOPE, KVLORA, H]),
                    (tn(MODEL_TENSOR.ATTN_V_B, i), [KVLORA, VD, H]),
                    (tn(MODEL_TENSOR.ATTN_OUT, i), [H * VD, E]),
                    (tn(MODEL_TENSOR.FFN_NORM, i), [E])]
            if i < 1:
                out += ffn_tensors(i, E, FF)
            else:
                out += [(tn(MODEL_TENSOR.FFN_GATE_INP, i), [E, NE]),
                        (tn(MODEL_TENSOR.FFN_GATE_EXP, i), [E, FFE, NE]),
                        (tn(MODEL_TENSOR.FFN_UP_EXP, i), [E, FFE, NE]),
                        (tn(MODEL_TENSOR.FFN_DOWN_EXP, i), [FFE, E, NE]),
                        (tn(MODEL_TENSOR.FFN_GATE_SHEXP, i), [E, FFE * NS]),
                        (tn(MODEL_TENSOR.FFN_UP_SHEXP, i), [E, FFE * NS]),
                        (tn(MODEL_TENSOR.FFN_DOWN_SHEXP, i), [FFE * NS, E])]
        return out + b

    def tok():
        return Tok("gpt2", V, pre="deepseek-llm", specials={100000: "<\uff5cbegin\u2581of\u2581sentence\uff5c>", 100001: "<\uff5cend\u2581of\u2581sentence\uff5c>"},
                   bos=100000, eos=100001, pad=100001, add_bos=True, add_eos=False)
    return Spec("deepseek2", MODEL_ARCH.DEEPSEEK2, "DeepSeek-V2 (MLA)", tok, meta, tensors)


# --- mamba (mamba-130m shape: d_model 768, d_inner 1536, d_state 16, d_conv 4, dt_rank 48, tied)
def spec_mamba() -> Spec:
    E, L, DI, DS, DC, DTR, V = 768, 6, 1536, 16, 4, 48, 50280

    def meta(w):
        w.add_context_length(2 ** 20)
        w.add_embedding_length(E)
        w.add_feed_forward_length(0)
        w.add_head_count(0)
        w.add_block_count(L)
        w.add_ssm_conv_kernel(DC)
        w.add_ssm_inner_size(DI)
        w.add_ssm_state_size(DS)
        w.add_ssm_time_step_rank(DTR)
        w.add_layer_norm_rms_eps(1e-5)
        w.add_ssm_dt_b_c_rms(False)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out += [(tn(MODEL_TENSOR.ATTN_NORM, i), [E]),
                    (tn(MODEL_TENSOR.SSM_IN, i), [E, 2 * DI]),
                    (tn(MODEL_TENSOR.SSM_CONV1D, i), [DC, DI]),
                    (tn(MODEL_TENSOR.SSM_CONV1D, i, "bias"), [DI]),
                    (tn(MODEL_TENSOR.SSM_X, i), [DI, DTR + 2 * DS]),
                    (tn(MODEL_TENSOR.SSM_DT, i), [DTR, DI]),
                    (tn(MODEL_TENSOR.SSM_DT, i, "bias"), [DI]),
                    (tn(MODEL_TENSOR.SSM_A, i, None), [DS, DI]),
                    (tn(MODEL_TENSOR.SSM_D, i, None), [DI]),
                    (tn(MODEL_TENSOR.SSM_OUT, i), [DI, E])]
        return out + b

    def tok():
        return Tok("gpt2", V, pre="gpt-2", specials={0: "<|endoftext|>", 1: "<|padding|>"}, bos=0, eos=0, pad=1, unk=0)
    return Spec("mamba", MODEL_ARCH.MAMBA, "mamba-130m", tok, meta, tensors)


# --- qwen35 (Qwen3.5 small dense shape: hybrid, 3 gated-delta-net layers : 1 full-attention layer,
# attention head_dim 256 GQA 4:1 with output gate (q proj is 2x), partial rope 64, linear heads 16x128)
def spec_qwen35() -> Spec:
    E, L, H, KV, HD, FF, V = 1024, 8, 8, 2, 256, 3584, 248320
    NK, NV, DK, DV, DC = 16, 16, 128, 128, 4
    key_dim, value_dim = NK * DK, NV * DV

    def meta(w):
        common_meta(w, n_layer=L, n_ctx=262144, n_embd=E, n_ff=FF, n_head=H, n_head_kv=KV, rope_base=10000000.0, rms_eps=1e-6, head_dim=HD)
        w.add_rope_dimension_sections([11, 11, 10, 0])
        w.add_ssm_conv_kernel(DC)
        w.add_ssm_state_size(DK)
        w.add_ssm_group_count(NK)
        w.add_ssm_time_step_rank(NV)
        w.add_ssm_inner_size(value_dim)
        w.add_full_attention_interval(4)
        w.add_rope_dimension_count(HD // 4)

    def tensors():
        a, b = head_tensors(E, V, tied=True)
        out = a
        for i in range(L):
            out.append((tn(MODEL_TENSOR.ATTN_NORM, i), [E]))
            if (i + 1) % 4 == 0:
                out += attn_tensors(i, E, H * HD * 2, KV * HD, qk_norm_dim=HD)
                # attn_output takes n_head*head_dim (the gate half is not projected back)
                out[-1] = (tn(MODEL_TENSOR.ATTN_OUT, i), [H * HD, E])
            else:
                out += [(tn(MODEL_TENSOR.ATTN_QKV, i), [E, key_dim * 2 + value_dim]),
                        (tn(MODEL_TENSOR.ATTN_GATE, i), [E, value_dim]),
                        (tn(MODEL_TENSOR.SSM_CONV1D, i), [DC, key_dim * 2 + value_dim]),
                        (tn(MODEL_TENSOR.SSM_DT, i, "bias"), [NV]),
                        (tn(MODEL_TENSOR.SSM_A, i, None), [NV]),
                        (tn(MODEL_TENSOR.SSM_BETA, i), [E, NV]),
                        (tn(MODEL_TENSOR.SSM_ALPHA, i), [E, NV]),
                        (tn(MODEL_TENSOR.SSM_NORM, i), [DV]),
                        (tn(MODEL_TENSOR.SSM_OUT, i), [value_dim, E])]
            out.append((tn(MODEL_TENSOR.ATTN_POST_NORM, i), [E]))
            out += ffn_tensors(i, E, FF)
        return out + b
    return Spec("qwen35", MODEL_ARCH.QWEN35, "Qwen3.5 (small dense, hybrid Gated DeltaNet + attention)",
                lambda: tok_qwen(V, 248044, "qwen35"), meta, tensors)


SPECS: list[Callable[[], Spec]] = [spec_llama3, spec_mistral, spec_qwen2, spec_qwen3, spec_qwen3moe, spec_gemma2,
                                   spec_gemma3, spec_phi3, spec_deepseek2, spec_mamba, spec_qwen35]


def check_names(spec: Spec, names: list[str]) -> None:
    """Every tensor name must be one the gguf package lists for this arch."""
    allowed = set()
    for t in gguf.MODEL_TENSORS[spec.arch]:
        allowed.add(gguf.TENSOR_NAMES[t])
    for n in names:
        base = n.rsplit(".", 1)[0] if n.endswith((".weight", ".bias")) else n
        parts = base.split(".")
        if parts[0] == "blk":
            base = "blk.{bid}." + ".".join(parts[2:])
        if base not in allowed:
            raise SystemExit(f"{spec.name}: tensor {n} is not in gguf.MODEL_TENSORS[{spec.arch.name}]")


def write_f16(spec: Spec, path: str) -> None:
    arch_name = gguf.MODEL_ARCH_NAMES[spec.arch]
    w = gguf.GGUFWriter(path, arch_name)
    w.add_type(gguf.GGUFType.MODEL)
    w.add_name(f"hubscout-golden-{spec.name}")
    spec.meta(w)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    spec.tok().write(w)
    tensors = spec.tensors()
    names = [n for n, _ in tensors]
    if len(set(names)) != len(names):
        raise SystemExit(f"{spec.name}: duplicate tensor names")
    check_names(spec, names)
    for name, shape in tensors:
        w.add_tensor(name, _data(shape, is_f32(name, shape)))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def quantize(src: str, dst: str, ftype: int) -> None:
    import llama_cpp
    params = llama_cpp.llama_model_quantize_default_params()
    params.nthread = int(os.environ.get("GOLDEN_THREADS", "2"))
    params.ftype = ftype
    rc = llama_cpp.llama_model_quantize(src.encode(), dst.encode(), ctypes.byref(params))
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize({src} -> {dst}, ftype={ftype}) returned {rc}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--only", default="")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    import llama_cpp

    # llama-cpp-python's default log callback decodes strictly and can raise on a
    # token text cut mid-character; log llama.cpp's quantize output leniently instead.
    @llama_cpp.llama_log_callback
    def _log(level, text, user_data):
        sys.stderr.write(text.decode("utf-8", "replace"))
    llama_cpp.llama_log_set(_log, ctypes.c_void_p(0))
    global _LOG_CB
    _LOG_CB = _log  # keep a reference for the lifetime of the process

    for qname, fid in QUANTS:
        assert getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{qname}") == fid, (qname, fid)
    llama_cpp.llama_backend_init()

    only = set(filter(None, args.only.split(",")))
    index = []
    for mk in SPECS:
        spec = mk()
        f16 = os.path.join(args.out_dir, f"{spec.name}-f16.gguf")
        entry = {"name": spec.name, "arch": gguf.MODEL_ARCH_NAMES[spec.arch], "like": spec.like, "note": spec.note, "files": {}}
        for qname, fid in QUANTS:
            path = os.path.join(args.out_dir, f"{spec.name}-{qname.lower()}.gguf")
            entry["files"][qname] = path
            if (only and spec.name not in only) or (os.path.exists(path) and not args.force):
                continue
            t0 = time.time()
            if fid == 1:
                write_f16(spec, path)
            else:
                quantize(f16, path, fid)
            print(f"[make_ggufs] {os.path.basename(path)}: {os.path.getsize(path)} bytes in {time.time() - t0:.1f}s", flush=True)
        index.append(entry)
    with open(os.path.join(args.out_dir, "index.json"), "w") as f:
        json.dump(index, f, indent=1)


if __name__ == "__main__":
    main()
