#!/usr/bin/env python3
"""Regenerates the XLA HLO fixtures in this directory.

    pip install -r Fixtures/xla/requirements.txt
    python3 Fixtures/xla/generate.py            # every model
    python3 Fixtures/xla/generate.py softmax    # only the named ones

For each model it writes, under Fixtures/xla/<model>/:

  inputs/set{0,1,2}.json       three fixed, seeded input sets (fpaudit values format)
  outputs/set{0,1,2}.json      what JAX (XLA CPU) computed for them
  outputs_f64/set{0,1,2}.json  the same function under jax_enable_x64 with every
                               input upcast to float64 (and no bf16 casts)
  dump/*.txt                   the HLO text snapshots XLA dumped for the model's
                               jitted module: before_optimizations, the numbered
                               per-pass snapshots, cpu_after_optimizations

Every JAX run happens in a fresh subprocess (this script re-invoked with
`--worker`), so each dump directory holds one model and x64 mode never leaks
from one model into another. The subprocess is started with this directory as
its working directory, and with JAX's source-file canonicalization regex set
so that the source file recorded in the HLO metadata (FileNames) is
`Fixtures/xla/generate.py` wherever the repo is cloned.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections import OrderedDict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
NUM_SETS = 3

# The flags used for every dump. --xla_dump_hlo_pass_re=.* is what produces the
# numbered per-pass snapshots; without it only before_optimizations and
# cpu_after_optimizations are written. Text is XLA's default dump format when
# no format flag is given, but --xla_dump_hlo_as_text says so explicitly.
def dump_flags(dump_dir: str) -> str:
    return f"--xla_dump_to={dump_dir} --xla_dump_hlo_pass_re=.* --xla_dump_hlo_as_text"


# --------------------------------------------------------------------------
# Models. Each is a plain function whose parameter names are what the HLO
# metadata calls them (op_name="x", ...); jax.jit names the module
# jit_<function name>. JAX is imported lazily, only in the workers.
# --------------------------------------------------------------------------

def _models():
    import jax
    import jax.numpy as jnp

    def _layernorm(x, scale, bias, eps=1e-5):
        mean = jnp.mean(x, axis=-1, keepdims=True)
        centered = x - mean
        var = jnp.mean(centered * centered, axis=-1, keepdims=True)
        return centered / jnp.sqrt(var + eps) * scale + bias

    def _mlp(x, w1, b1, w2, b2, compute_dtype=None):
        # compute_dtype=bf16: activations, weights and biases are cast to bf16
        # and the dots use JAX's default for bf16 operands (no
        # preferred_element_type), so each dot's result type is bf16.
        if compute_dtype is not None:
            x, w1, b1, w2, b2 = (a.astype(compute_dtype) for a in (x, w1, b1, w2, b2))
        hidden = jax.nn.gelu(jnp.dot(x, w1) + b1, approximate=True)
        return jnp.dot(hidden, w2) + b2

    def softmax(x):
        return jax.nn.softmax(x, axis=-1)

    def layernorm(x, scale, bias):
        return _layernorm(x, scale, bias)

    def gelu_tanh(x):
        return jax.nn.gelu(x, approximate=True)

    def mlp(x, w1, b1, w2, b2):
        return _mlp(x, w1, b1, w2, b2)

    def softmax_f64(x):
        return jax.nn.softmax(x, axis=-1)

    def mlp_bf16(x, w1, b1, w2, b2):
        y = _mlp(x, w1, b1, w2, b2, compute_dtype=jnp.bfloat16)
        return y.astype(jnp.float32)

    def mlp_bf16_in_f64(x, w1, b1, w2, b2):
        # The float64 reference for mlp_bf16: the same math without the casts.
        return _mlp(x, w1, b1, w2, b2)

    def divide_by_16(x, y):
        return x / 16.0, x / y

    def transformer_block(x, wq, wk, wv, wo, ln_scale, ln_bias, w1, b1, w2, b2):
        # single-head self-attention, residual, layernorm, MLP, residual
        q = x @ wq
        k = x @ wk
        v = x @ wv
        scores = (q @ k.T) / math.sqrt(q.shape[-1])
        attn = jax.nn.softmax(scores, axis=-1)
        h = x + (attn @ v) @ wo
        normed = _layernorm(h, ln_scale, ln_bias)
        return normed + _mlp(normed, w1, b1, w2, b2)

    def scan_cumsum(xs):
        def step(total, x):
            total = total + x
            return total, total
        _, sums = jax.lax.scan(step, jnp.zeros((), xs.dtype), xs)
        return sums

    def cond_abs(x):
        return jax.lax.cond(jnp.sum(x) > 0, lambda v: v, lambda v: -v, x)

    # The flax models (lm_loss, lm_train_step). flax is imported only when one
    # of them is traced, so the other models do not need it.
    def _tiny_lm():
        import flax.linen as nn

        class TinyLM(nn.Module):
            """Decoder-only LM: token + learned position embeddings, one block
            (causal single-head attention, residual, LayerNorm, tanh-gelu MLP,
            residual), final LayerNorm, logits tied to the embedding."""

            @nn.compact
            def __call__(self, tokens):
                embed = nn.Embed(LM_VOCAB, LM_DIM, name="embed")
                pos = self.param("pos_embedding", nn.initializers.zeros, (LM_SEQ, LM_DIM))
                x = embed(tokens) + pos
                # bias-free attention projections (a key bias would get an
                # identically zero gradient: softmax ignores a per-row shift)
                q = nn.Dense(LM_DIM, use_bias=False, name="query")(x)
                k = nn.Dense(LM_DIM, use_bias=False, name="key")(x)
                v = nn.Dense(LM_DIM, use_bias=False, name="value")(x)
                scores = jnp.einsum("bqd,bkd->bqk", q, k) / math.sqrt(LM_DIM)
                causal = jnp.tril(jnp.ones((LM_SEQ, LM_SEQ), dtype=bool))
                scores = jnp.where(causal, scores, jnp.finfo(scores.dtype).min)
                attn = jnp.einsum("bqk,bkd->bqd", jax.nn.softmax(scores, axis=-1), v)
                x = nn.LayerNorm(name="ln")(x + nn.Dense(LM_DIM, use_bias=False, name="out")(attn))
                hidden = nn.gelu(nn.Dense(LM_HIDDEN, name="mlp_in")(x))  # tanh gelu
                x = nn.LayerNorm(name="ln_f")(x + nn.Dense(LM_DIM, name="mlp_out")(hidden))
                return embed.attend(x)

        return TinyLM()

    def _lm_loss(weights, tokens, targets):
        assert len(weights) == len(LM_PARAMS)
        params = {}
        for (_, _, path), w in zip(LM_PARAMS, weights):
            node = params
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = w
        logits = _tiny_lm().apply({"params": params}, tokens)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), targets[..., None], axis=-1))

    def lm_loss(embedding, pos_embedding, query_kernel, key_kernel, value_kernel, out_kernel,
                ln_scale, ln_bias, mlp_in_kernel, mlp_in_bias, mlp_out_kernel, mlp_out_bias,
                ln_f_scale, ln_f_bias, tokens, targets):
        weights = (embedding, pos_embedding, query_kernel, key_kernel, value_kernel, out_kernel,
                   ln_scale, ln_bias, mlp_in_kernel, mlp_in_bias, mlp_out_kernel, mlp_out_bias,
                   ln_f_scale, ln_f_bias)
        return _lm_loss(weights, tokens, targets)

    def lm_train_step(embedding, pos_embedding, query_kernel, key_kernel, value_kernel, out_kernel,
                      ln_scale, ln_bias, mlp_in_kernel, mlp_in_bias, mlp_out_kernel, mlp_out_bias,
                      ln_f_scale, ln_f_bias, tokens, targets):
        # the gradient with respect to the 14 weights (not tokens/targets)
        weights = (embedding, pos_embedding, query_kernel, key_kernel, value_kernel, out_kernel,
                   ln_scale, ln_bias, mlp_in_kernel, mlp_in_bias, mlp_out_kernel, mlp_out_bias,
                   ln_f_scale, ln_f_bias)
        loss, grads = jax.value_and_grad(_lm_loss)(weights, tokens, targets)
        return (loss, *grads)


    # jax.lax.top_k next to jnp.sort / jnp.argsort (sort with comparators, topk).
    def topk_sort(x):
        values, indices = jax.lax.top_k(x, 4)
        return values, indices, jnp.sort(x, axis=-1), jnp.argsort(x, axis=0)

    # Prefix scans: JAX lowers them to reduce-window on CPU.
    def cumsum(x):
        return (jnp.cumsum(x, axis=-1), jax.lax.cumlogsumexp(x, axis=1),
                jax.lax.cummax(x, axis=0))

    # A small flax CNN: convolution, BatchNorm in inference mode, max and average
    # pooling, a depthwise convolution, Dense. Weights are entry parameters.
    def _tiny_cnn():
        import flax.linen as nn

        class TinyCNN(nn.Module):
            @nn.compact
            def __call__(self, images):
                x = nn.Conv(CNN_CHANNELS, (3, 3), name="conv")(images)
                x = nn.BatchNorm(use_running_average=True, name="bn")(x)
                x = nn.relu(x)
                x = nn.max_pool(x, (2, 2), strides=(2, 2))
                x = nn.Conv(CNN_CHANNELS, (3, 3), feature_group_count=CNN_CHANNELS, padding="VALID",
                            name="depthwise")(x)
                x = nn.avg_pool(x, (2, 2), strides=(1, 1), padding="SAME")
                x = x.reshape((x.shape[0], -1))
                return nn.Dense(CNN_CLASSES, name="dense")(x)

        return TinyCNN()

    def _cnn_variables(weights):
        params, stats = {}, {}
        for (_, _, path), w in zip(CNN_PARAMS, weights):
            tree = stats if path[0] == "batch_stats" else params
            node = tree
            for key in path[1:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = w
        return {"params": params, "batch_stats": stats}

    def cnn(conv_kernel, conv_bias, bn_scale, bn_bias, bn_mean, bn_var, depthwise_kernel,
            depthwise_bias, dense_kernel, dense_bias, images):
        weights = (conv_kernel, conv_bias, bn_scale, bn_bias, bn_mean, bn_var, depthwise_kernel,
                   depthwise_bias, dense_kernel, dense_bias)
        return _tiny_cnn().apply(_cnn_variables(weights), images)

    def _cnn_loss(trainable, stats, images, labels):
        weights = (*trainable[:4], *stats, *trainable[4:])
        logits = _tiny_cnn().apply(_cnn_variables(weights), images)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=-1))

    def cnn_train_step(conv_kernel, conv_bias, bn_scale, bn_bias, bn_mean, bn_var, depthwise_kernel,
                       depthwise_bias, dense_kernel, dense_bias, images, labels):
        # the loss and its gradient with respect to the 8 trainable weights
        trainable = (conv_kernel, conv_bias, bn_scale, bn_bias, depthwise_kernel, depthwise_bias,
                     dense_kernel, dense_bias)
        loss, grads = jax.value_and_grad(_cnn_loss)(trainable, (bn_mean, bn_var), images, labels)
        return (loss, *grads)

    # flax Dropout in training mode: jax.random's threefry on the u32[2] key,
    # the mask from the random bits, inputs scaled by 1/keep.
    def _dropout_model(keep_dtype):
        import flax.linen as nn

        class F32KeepDropout(nn.Module):
            """flax's Dropout with the keep probability as an f32: under x64 a
            Python float would make jax.random draw 64-bit uniforms (another
            mask). The float64 reference uses it under Dropout's own name, so
            make_rng derives the same key."""

            @nn.compact
            def __call__(self, h):
                keep = 1.0 - DROPOUT_RATE
                mask = jax.random.bernoulli(self.make_rng("dropout"), np.float32(keep), h.shape)
                return jax.lax.select(mask, h / keep, jnp.zeros_like(h))

        class DropoutDense(nn.Module):
            @nn.compact
            def __call__(self, x, w):
                h = jnp.tanh(x @ w)
                if keep_dtype is None:
                    return nn.Dropout(DROPOUT_RATE, deterministic=False)(h)
                return F32KeepDropout(name="Dropout_0")(h)

        return DropoutDense()

    def dropout(x, w, key):
        return _dropout_model(None).apply({}, x, w, rngs={"dropout": key})

    def dropout_in_f64(x, w, key):
        return _dropout_model(np.float32).apply({}, x, w, rngs={"dropout": key})

    return {
        "softmax": (softmax, None),
        "layernorm": (layernorm, None),
        "gelu_tanh": (gelu_tanh, None),
        "mlp": (mlp, None),
        "softmax_f64": (softmax_f64, None),
        "mlp_bf16": (mlp_bf16, mlp_bf16_in_f64),
        "divide_by_16": (divide_by_16, None),
        "transformer_block": (transformer_block, None),
        "scan_cumsum": (scan_cumsum, None),
        "cond_abs": (cond_abs, None),
        "lm_loss": (lm_loss, None),
        "lm_train_step": (lm_train_step, None),
        "topk_sort": (topk_sort, None),
        "cumsum": (cumsum, None),
        "cnn": (cnn, None),
        "cnn_train_step": (cnn_train_step, None),
        "dropout": (dropout, dropout_in_f64),
    }


MODEL_NAMES = [
    "softmax", "layernorm", "gelu_tanh", "mlp", "softmax_f64", "mlp_bf16",
    "divide_by_16", "transformer_block", "scan_cumsum", "cond_abs",
    "lm_loss", "lm_train_step", "topk_sort", "cumsum", "cnn", "cnn_train_step", "dropout",
]
X64_MODELS = {"softmax_f64"}

# The flax models' sizes and weights. LM_PARAMS lists the weights in entry
# parameter order (tokens and targets follow them): name (the Python parameter
# name of lm_loss / lm_train_step), shape, path in the flax params tree.
LM_VOCAB, LM_DIM, LM_HIDDEN, LM_BATCH, LM_SEQ = 32, 16, 64, 2, 8
LM_PARAMS = [
    ("embedding", (LM_VOCAB, LM_DIM), ("embed", "embedding")),
    ("pos_embedding", (LM_SEQ, LM_DIM), ("pos_embedding",)),
    ("query_kernel", (LM_DIM, LM_DIM), ("query", "kernel")),
    ("key_kernel", (LM_DIM, LM_DIM), ("key", "kernel")),
    ("value_kernel", (LM_DIM, LM_DIM), ("value", "kernel")),
    ("out_kernel", (LM_DIM, LM_DIM), ("out", "kernel")),
    ("ln_scale", (LM_DIM,), ("ln", "scale")),
    ("ln_bias", (LM_DIM,), ("ln", "bias")),
    ("mlp_in_kernel", (LM_DIM, LM_HIDDEN), ("mlp_in", "kernel")),
    ("mlp_in_bias", (LM_HIDDEN,), ("mlp_in", "bias")),
    ("mlp_out_kernel", (LM_HIDDEN, LM_DIM), ("mlp_out", "kernel")),
    ("mlp_out_bias", (LM_DIM,), ("mlp_out", "bias")),
    ("ln_f_scale", (LM_DIM,), ("ln_f", "scale")),
    ("ln_f_bias", (LM_DIM,), ("ln_f", "bias")),
]
# Weight scale per set (kernels and pos_embedding): GPT-2's init, larger, "trained"-sized.
_LM_SIGMA = [0.02, 0.1, 0.3]

# The flax CNN (cnn, cnn_train_step): 8x8 single-channel images, 4 channels, 3
# classes. CNN_PARAMS lists the weights in entry parameter order (images and,
# for the training step, labels follow them): name, shape, path in the flax
# variables ("params" or "batch_stats" first).
CNN_BATCH, CNN_SIZE, CNN_CHANNELS, CNN_CLASSES = 2, 8, 4, 3
_CNN_FLAT = (CNN_SIZE // 2 - 2) ** 2 * CNN_CHANNELS
CNN_PARAMS = [
    ("conv_kernel", (3, 3, 1, CNN_CHANNELS), ("params", "conv", "kernel")),
    ("conv_bias", (CNN_CHANNELS,), ("params", "conv", "bias")),
    ("bn_scale", (CNN_CHANNELS,), ("params", "bn", "scale")),
    ("bn_bias", (CNN_CHANNELS,), ("params", "bn", "bias")),
    ("bn_mean", (CNN_CHANNELS,), ("batch_stats", "bn", "mean")),
    ("bn_var", (CNN_CHANNELS,), ("batch_stats", "bn", "var")),
    ("depthwise_kernel", (3, 3, 1, CNN_CHANNELS), ("params", "depthwise", "kernel")),
    ("depthwise_bias", (CNN_CHANNELS,), ("params", "depthwise", "bias")),
    ("dense_kernel", (_CNN_FLAT, CNN_CLASSES), ("params", "dense", "kernel")),
    ("dense_bias", (CNN_CLASSES,), ("params", "dense", "bias")),
]
DROPOUT_RATE = 0.25


def _cnn_inputs(model: str, set_index: int) -> "OrderedDict[str, np.ndarray]":
    # Both CNN models use the same weights and images (seeded as cnn).
    rng = _rng("cnn", set_index)
    d = OrderedDict()
    for name, shape, _ in CNN_PARAMS:
        if name == "bn_var":
            d[name] = rng.uniform(0.5, 2.0, shape)
        elif name == "bn_mean" or name.endswith("_bias"):
            d[name] = rng.normal(0.0, 0.2, shape)
        elif name == "bn_scale":
            d[name] = 1.0 + rng.normal(0.0, 0.1, shape)
        else:
            fan_in = int(np.prod(shape[:-1]))
            d[name] = rng.normal(0.0, 1.0 / math.sqrt(fan_in), shape)
    mu, sigma = _ACT[set_index]
    d["images"] = rng.normal(mu, sigma, (CNN_BATCH, CNN_SIZE, CNN_SIZE, 1))
    d = OrderedDict((k, np.asarray(v, dtype=np.float32)) for k, v in d.items())
    if model == "cnn_train_step":
        d["labels"] = np.asarray(rng.integers(0, CNN_CLASSES, (CNN_BATCH,)), dtype=np.int32)
    return d


def _lm_inputs(set_index: int) -> "OrderedDict[str, np.ndarray]":
    # Both flax models use the same inputs (seeded as lm_loss), so
    # lm_train_step's loss output can be compared with lm_loss's.
    rng = _rng("lm_loss", set_index)
    sigma = _LM_SIGMA[set_index]
    d = OrderedDict()
    for name, shape, _ in LM_PARAMS:
        if name == "embedding":
            d[name] = rng.normal(0.0, 1.0, shape)
        elif name.endswith("_scale"):
            d[name] = 1.0 + rng.normal(0.0, 0.1, shape)
        elif name.endswith("_bias"):
            d[name] = rng.normal(0.0, 0.1, shape)
        else:
            d[name] = rng.normal(0.0, sigma, shape)
    d = OrderedDict((k, np.asarray(v, dtype=np.float32)) for k, v in d.items())
    # a next-token task: targets are the tokens shifted by one. Set 2 uses only
    # the ids 0, 1, 30, 31 (the table's edges, many repeats: the scatter-add in
    # the embedding gradient accumulates duplicates).
    if set_index < 2:
        seq = rng.integers(0, LM_VOCAB, (LM_BATCH, LM_SEQ + 1))
    else:
        seq = rng.choice([0, 1, LM_VOCAB - 2, LM_VOCAB - 1], (LM_BATCH, LM_SEQ + 1))
    d["tokens"] = np.asarray(seq[:, :-1], dtype=np.int32)
    d["targets"] = np.asarray(seq[:, 1:], dtype=np.int32)
    return d


# --------------------------------------------------------------------------
# Inputs: pure numpy, seeded by (model name, set index). Keys are in the
# order of the Python parameters, which is the HLO entry parameter order
# (checked against the dump after it is written).
# --------------------------------------------------------------------------

def _rng(model: str, set_index: int) -> np.random.Generator:
    return np.random.default_rng([zlib.crc32(model.encode()), set_index])


def _loguniform(rng, lo, hi, shape, symmetric=False):
    mag = np.exp(rng.uniform(np.log(lo), np.log(hi), size=shape))
    if symmetric:
        mag = mag * rng.choice([-1.0, 1.0], size=shape)
    return mag


def _mlp_params(rng, d_in, d_hidden, d_out):
    return OrderedDict(
        w1=rng.normal(0.0, 1.0 / math.sqrt(d_in), (d_in, d_hidden)),
        b1=rng.normal(0.0, 0.1, (d_hidden,)),
        w2=rng.normal(0.0, 1.0 / math.sqrt(d_hidden), (d_hidden, d_out)),
        b2=rng.normal(0.0, 0.1, (d_out,)),
    )


# Activation scale per set: typical, wide, and shifted/large.
_ACT = [(0.0, 1.0), (0.0, 3.0), (2.0, 6.0)]


def make_inputs(model: str, set_index: int) -> "OrderedDict[str, np.ndarray]":
    if model in ("lm_loss", "lm_train_step"):
        return _lm_inputs(set_index)
    if model in ("cnn", "cnn_train_step"):
        return _cnn_inputs(model, set_index)
    if model == "dropout":
        rng = _rng(model, set_index)
        mu, sigma = _ACT[set_index]
        d = OrderedDict(x=np.asarray(rng.normal(mu, sigma, (4, 16)), dtype=np.float32),
                        w=np.asarray(rng.normal(0.0, 0.25, (16, 32)), dtype=np.float32))
        # a raw jax.random key (jax.random.PRNGKey(seed)): two u32 words
        d["key"] = np.asarray([0, 42 + 1000 * set_index], dtype=np.uint32)
        return d
    rng = _rng(model, set_index)
    mu, sigma = _ACT[set_index]
    if model in ("softmax", "softmax_f64"):
        d = OrderedDict(x=rng.normal(mu, sigma, (4, 16)))
    elif model == "layernorm":
        d = OrderedDict(
            x=rng.normal(mu, sigma, (4, 32)),
            scale=1.0 + rng.normal(0.0, 0.1, (32,)),
            bias=rng.normal(0.0, 0.1, (32,)),
        )
    elif model == "gelu_tanh":
        x = rng.normal(mu, sigma, (64,)) if set_index < 2 else rng.uniform(-8.0, 8.0, (64,))
        d = OrderedDict(x=x)
    elif model in ("mlp", "mlp_bf16"):
        d = OrderedDict(x=rng.normal(mu, sigma, (8, 16)))
        d.update(_mlp_params(rng, 16, 32, 8))
    elif model == "divide_by_16":
        if set_index == 0:
            x = rng.normal(0.0, 1.0, (32,))
            y = rng.uniform(0.5, 4.0, (32,))
        elif set_index == 1:
            x = rng.normal(0.0, 100.0, (32,))
            y = _loguniform(rng, 1e-2, 1e2, (32,), symmetric=True)
        else:
            # tiny normal f32 values: x/16 and x/y are subnormal for many of
            # them (XLA CPU flushes subnormal results to zero)
            x = _loguniform(rng, 2.0 ** -126, 2.0 ** -119, (32,), symmetric=True)
            y = rng.uniform(0.5, 4.0, (32,))
        d = OrderedDict(x=x, y=y)
    elif model == "transformer_block":
        s = 1.0 / math.sqrt(16)
        d = OrderedDict(
            x=rng.normal(mu, sigma, (8, 16)),
            wq=rng.normal(0.0, s, (16, 16)),
            wk=rng.normal(0.0, s, (16, 16)),
            wv=rng.normal(0.0, s, (16, 16)),
            wo=rng.normal(0.0, s, (16, 16)),
            ln_scale=1.0 + rng.normal(0.0, 0.1, (16,)),
            ln_bias=rng.normal(0.0, 0.1, (16,)),
        )
        d.update(_mlp_params(rng, 16, 32, 16))
    elif model == "scan_cumsum":
        xs = rng.normal(mu, sigma, (8,)) if set_index < 2 else rng.uniform(0.0, 1000.0, (8,))
        d = OrderedDict(xs=xs)
    elif model == "topk_sort":
        x = rng.normal(mu, sigma, (4, 16))
        if set_index == 2:
            x = np.round(x)  # many ties: top_k and the sorts order equal keys by index
            x[0, :4] = [0.0, -0.0, 0.0, -0.0]
        d = OrderedDict(x=x)
    elif model == "cumsum":
        x = rng.normal(mu, sigma, (4, 32))
        if set_index == 2:
            x[1] = rng.uniform(50.0, 90.0, 32)  # exp overflows f32: cumlogsumexp must not
        d = OrderedDict(x=x)
    elif model == "cond_abs":
        x = rng.normal(0.0, 1.0, (8,))
        # set1 takes the true branch, set2 the false branch; set0 as drawn
        if (set_index == 1 and x.sum() <= 0) or (set_index == 2 and x.sum() > 0):
            x = -x
        d = OrderedDict(x=x)
    else:
        raise KeyError(model)
    dtype = np.float64 if model in X64_MODELS else np.float32
    return OrderedDict((k, np.asarray(v, dtype=dtype)) for k, v in d.items())


# --------------------------------------------------------------------------
# Values format (docs/values-format.md)
# --------------------------------------------------------------------------

_DTYPE_NAMES = {
    "float16": "f16", "bfloat16": "bf16", "float32": "f32", "float64": "f64",
    "bool": "pred", "int32": "s32", "int64": "s64", "uint8": "u8", "uint32": "u32", "uint64": "u64",
}
_NP_DTYPES = {"f32": np.float32, "f64": np.float64, "s32": np.int32, "u32": np.uint32}


def hex_float(v: float) -> str:
    """C99 hex float, shortest mantissa: 0x1.8p+1, 0x1p-149, -0x0p+0, inf, nan."""
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    s = float(v).hex()  # e.g. -0x1.8000000000000p+1
    m = re.fullmatch(r"(-?0x[01])\.([0-9a-f]+)(p[+-]\d+)", s)
    if not m:
        return s
    frac = m.group(2).rstrip("0")
    return m.group(1) + ("." + frac if frac else "") + m.group(3)


def _element(v, dtype_name: str):
    if dtype_name == "pred":
        return bool(v)
    if dtype_name in ("s32", "s64", "u8", "u32", "u64"):
        return int(v)
    return hex_float(float(v))


def tensor_json(a) -> dict:
    a = np.asarray(a)
    name = _DTYPE_NAMES[str(a.dtype)]
    flat = a.reshape(-1)
    if name in ("bf16", "f16"):
        flat = flat.astype(np.float64)  # exact
    return {"dtype": name, "shape": list(a.shape), "data": [_element(v, name) for v in flat]}


def write_values(path: str, tensors: "OrderedDict[str, object]") -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = ["{"]
    items = list(tensors.items())
    for i, (key, a) in enumerate(items):
        t = tensor_json(a)
        data = [json.dumps(e) for e in t["data"]]
        rows = [", ".join(data[j:j + 8]) for j in range(0, len(data), 8)] or [""]
        lines.append(f'  {json.dumps(key)}: {{ "dtype": "{t["dtype"]}", "shape": {json.dumps(t["shape"])}, "data": [')
        lines.extend("      " + r + ("," if j < len(rows) - 1 else "") for j, r in enumerate(rows))
        lines.append("  ] }" + ("," if i < len(items) - 1 else ""))
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def read_values(path: str) -> "OrderedDict[str, np.ndarray]":
    with open(path) as f:
        raw = json.load(f, object_pairs_hook=OrderedDict)
    out = OrderedDict()
    for key, t in raw.items():
        if t["dtype"] in ("s32", "u32"):
            out[key] = np.asarray(t["data"], dtype=_NP_DTYPES[t["dtype"]]).reshape(t["shape"])
            continue
        vals = [float.fromhex(e) if e not in ("inf", "-inf", "nan") else float(e) for e in t["data"]]
        out[key] = np.asarray(vals, dtype=_NP_DTYPES[t["dtype"]]).reshape(t["shape"])
    return out


# --------------------------------------------------------------------------
# Workers (run in a fresh subprocess)
# --------------------------------------------------------------------------

def worker(kind: str, model: str, out_dir: str) -> None:
    import jax
    import jax.numpy as jnp  # noqa: F401  (imported for the models)

    x64 = kind == "ref" or model in X64_MODELS
    jax.config.update("jax_enable_x64", x64)
    assert jax.default_backend() == "cpu", jax.default_backend()
    fn, ref_fn = _models()[model]
    if kind == "ref" and ref_fn is not None:
        fn = ref_fn
    jitted = jax.jit(fn)
    for s in range(NUM_SETS):
        inputs = read_values(os.path.join(HERE, model, "inputs", f"set{s}.json"))
        # the reference run upcasts the float inputs only (tokens stay s32)
        args = [a.astype(np.float64) if kind == "ref" and a.dtype.kind == "f" else a
                for a in inputs.values()]
        result = jitted(*args)
        leaves = [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(result)]
        if kind == "ref":
            for leaf in leaves:  # indices (top_k, argsort) stay integers
                assert leaf.dtype == np.float64 or leaf.dtype.kind in "iu", (model, leaf.dtype)
        write_values(os.path.join(out_dir, f"set{s}.json"),
                     OrderedDict((f"#{i}", leaf) for i, leaf in enumerate(leaves)))


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def _run_worker(kind: str, model: str, out_dir: str, dump_dir: str | None, pass_snapshots: bool = True) -> None:
    env = dict(os.environ)
    env.pop("XLA_FLAGS", None)
    env["JAX_PLATFORMS"] = "cpu"
    env["JAX_ENABLE_X64"] = "1" if (kind == "ref" or model in X64_MODELS) else "0"
    env["PYTHONHASHSEED"] = "0"
    # Python makes the script path absolute; record it relative to the repo
    # root ("Fixtures/xla/generate.py") so the dumps don't depend on the clone.
    env["JAX_HLO_SOURCE_FILE_CANONICALIZATION_REGEX"] = "^" + re.escape(REPO_ROOT + os.sep)
    if dump_dir is not None:
        env["XLA_FLAGS"] = dump_flags(dump_dir) if pass_snapshots else f"--xla_dump_to={dump_dir} --xla_dump_hlo_as_text"

    cmd = [sys.executable, os.path.basename(__file__), "--worker", kind, model, out_dir]
    subprocess.run(cmd, cwd=HERE, env=env, check=True)


_SNAPSHOT = re.compile(
    r"^(module_\d+)\.(jit_[A-Za-z0-9_]+)\."
    r"(before_optimizations|cpu_after_optimizations|\d{4}\.[^/]+)\.txt$"
)


def snapshot_kind(rest: str) -> str:
    if rest in ("before_optimizations", "cpu_after_optimizations"):
        return rest
    return "pass"


def keep_snapshots(model: str, dump_dir: str, dest: str) -> list[str]:
    """Copies the module's .txt HLO snapshots, nothing else."""
    wanted = f"jit_{model}"
    kept, groups = [], set()
    for name in sorted(os.listdir(dump_dir)):
        m = _SNAPSHOT.match(name)
        if not m or m.group(2) != wanted:
            continue
        rest = m.group(3)
        # numbered pass snapshots only; e.g. not "...cpu_after_optimizations-buffer-assignment.txt"
        if rest.startswith("cpu_after_optimizations") and rest != "cpu_after_optimizations":
            continue
        groups.add(m.group(1))
        kept.append(name)
    if len(groups) != 1:
        raise SystemExit(f"{model}: expected one module group named {wanted} in {dump_dir}, "
                         f"found {sorted(groups)}: {sorted(os.listdir(dump_dir))[:20]}")
    kinds = {snapshot_kind(_SNAPSHOT.match(n).group(3)) for n in kept}
    if kinds != {"before_optimizations", "cpu_after_optimizations", "pass"}:
        raise SystemExit(f"{model}: missing snapshot kinds, have {sorted(kinds)}")
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    for name in kept:
        shutil.copyfile(os.path.join(dump_dir, name), os.path.join(dest, name))
    return kept


_ENTRY_PARAM = re.compile(
    r"^\s*%?([\w.\-]+) = (\w+)\[([\d,]*)\]\S* parameter\((\d+)\).*?op_name=\"([^\"]*)\"")


def check_entry_parameters(model: str, dest: str, inputs: "OrderedDict[str, np.ndarray]") -> None:
    """The inputs' keys, dtypes and shapes are the HLO entry parameters', in order."""
    path = [os.path.join(dest, n) for n in os.listdir(dest) if n.endswith(".before_optimizations.txt")][0]
    params, in_entry = [], False
    with open(path) as f:
        for line in f:
            if line.startswith("ENTRY "):
                in_entry = True
            elif in_entry and line.startswith("}"):
                break
            elif in_entry:
                m = _ENTRY_PARAM.match(line)
                if m:
                    shape = [int(d) for d in m.group(3).split(",") if d]
                    params.append((int(m.group(4)), m.group(5), m.group(2), shape))
    params.sort()
    got = [(name, dt, shape) for _, name, dt, shape in params]
    want = [(k, _DTYPE_NAMES[str(a.dtype)], list(a.shape)) for k, a in inputs.items()]
    if got != want:
        raise SystemExit(f"{model}: HLO entry parameters {got} != inputs {want}")


def generate(model: str) -> list[str]:
    base = os.path.join(HERE, model)
    for s in range(NUM_SETS):
        write_values(os.path.join(base, "inputs", f"set{s}.json"), make_inputs(model, s))
    with tempfile.TemporaryDirectory(prefix=f"xla_dump_{model}_") as tmp:
        _run_worker("dump", model, os.path.join(base, "outputs"), tmp)
        kept = keep_snapshots(model, tmp, os.path.join(base, "dump"))
    check_entry_parameters(model, os.path.join(base, "dump"), make_inputs(model, 0))
    # The float64 reference run also keeps its unoptimised module, so the MPFR
    # truth can be checked against JAX's f64 outputs on the f64 graph itself
    # (the f32 graph's constants are rounded to f32; the f64 run's are not).
    with tempfile.TemporaryDirectory(prefix=f"xla_ref_{model}_") as tmp:
        _run_worker("ref", model, os.path.join(base, "outputs_f64"), tmp, pass_snapshots=False)
        keep_reference_module(tmp, os.path.join(base, "reference_f64"))
    return kept


def keep_reference_module(dump_dir: str, dest: str) -> None:
    """Copies the f64 reference run's before_optimizations module (there is exactly one jit_ module)."""
    found = sorted(n for n in os.listdir(dump_dir)
                   if ".jit_" in n and n.endswith(".before_optimizations.txt"))
    if len(found) != 1:
        raise SystemExit(f"expected one reference module in {dump_dir}, found {found}")
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    shutil.copyfile(os.path.join(dump_dir, found[0]), os.path.join(dest, found[0]))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--worker"]:
        kind, model, out_dir = argv[1:4]
        worker(kind, model, out_dir)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", metavar="MODEL",
                    help="models to regenerate (default: all): " + ", ".join(MODEL_NAMES))
    args = ap.parse_args(argv)
    unknown = [m for m in args.models if m not in MODEL_NAMES]
    if unknown:
        ap.error(f"unknown model(s) {unknown}; known: {MODEL_NAMES}")
    for model in args.models or MODEL_NAMES:
        kept = generate(model)
        print(f"{model}: {len(kept)} snapshots")


if __name__ == "__main__":
    main(sys.argv[1:])
