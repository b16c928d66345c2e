#!/usr/bin/env python3
"""Makes Fixtures/xla/layer_768: one real-size transformer layer for the speed benchmarks.

A pre-LayerNorm block: x + attention(LayerNorm(x)) with 12 heads, then
h + MLP(LayerNorm(h)) with a 4x GELU (tanh) MLP; sequence 128, d_model 768, f32,
the shape of one BERT-base / GPT-2-small layer. Only XLA CPU's pass-by-pass HLO
snapshots are kept (dump/): the benchmark samples its inputs, and at this size the
evaluator agreement is checked on the small models instead.

    pip install -r Fixtures/xla/requirements.txt
    python3 Fixtures/xla/layer_768/generate.py
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SEQ, D, HEADS, MLP = 128, 768, 12, 3072


def dump():
    import jax
    import jax.numpy as jnp

    def layernorm(x, scale, bias):
        mean = jnp.mean(x, axis=-1, keepdims=True)
        centered = x - mean
        var = jnp.mean(centered * centered, axis=-1, keepdims=True)
        return centered / jnp.sqrt(var + 1e-5) * scale + bias

    def layer(x, ln1_scale, ln1_bias, wq, wk, wv, wo, ln2_scale, ln2_bias, w1, b1, w2, b2):
        h = layernorm(x, ln1_scale, ln1_bias)
        q, k, v = (jnp.reshape(h @ w, (SEQ, HEADS, D // HEADS)) for w in (wq, wk, wv))
        scores = jnp.einsum("qhd,khd->hqk", q, k) / jnp.sqrt(jnp.float32(D // HEADS))
        attention = jax.nn.softmax(scores, axis=-1)
        context = jnp.reshape(jnp.einsum("hqk,khd->qhd", attention, v), (SEQ, D))
        x = x + context @ wo
        h = layernorm(x, ln2_scale, ln2_bias)
        return x + jax.nn.gelu(h @ w1 + b1, approximate=True) @ w2 + b2

    f32 = jnp.float32
    shapes = [(SEQ, D), (D,), (D,), (D, D), (D, D), (D, D), (D, D), (D,), (D,), (D, MLP), (MLP,), (MLP, D), (D,)]
    args = [jax.ShapeDtypeStruct(s, f32) for s in shapes]
    jax.jit(layer).lower(*args).compile()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        dump()
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, JAX_PLATFORMS="cpu",
                   XLA_FLAGS=f"--xla_dump_to={tmp} --xla_dump_hlo_pass_re=.* --xla_dump_hlo_as_text",
                   JAX_HLO_SOURCE_FILE_CANONICALIZATION_REGEX="^" + re.escape(REPO_ROOT + os.sep))
        subprocess.run([sys.executable, __file__, "--worker"], env=env, check=True, cwd=HERE)
        target = os.path.join(HERE, "dump")
        shutil.rmtree(target, ignore_errors=True)
        os.makedirs(target)
        for path in glob.glob(os.path.join(tmp, "*jit_layer*.txt")):
            name = os.path.basename(path)
            if any(k in name for k in ("buffer-assignment", "memory-usage", "live-range")):
                continue
            shutil.copy(path, target)


if __name__ == "__main__":
    main()
