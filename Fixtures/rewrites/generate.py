#!/usr/bin/env python3
"""Regenerates the JAX rewrite-pair fixtures in this directory.

    pip install -r Fixtures/xla/requirements.txt
    python3 Fixtures/rewrites/generate.py                 # every pair
    python3 Fixtures/rewrites/generate.py log1p-restore   # only the named ones
    python3 Fixtures/rewrites/generate.py --list          # the pair names

Each pair is two plain Python functions with the same signature: the
ORIGINAL and a hand-REWRITTEN one. For every pair this script writes

  <pair>/original.hlo.txt    the HLO module XLA received for jax.jit(original)
  <pair>/rewritten.hlo.txt   the same for jax.jit(rewritten)

(the `*.before_optimizations.txt` file of `XLA_FLAGS=--xla_dump_to=DIR
--xla_dump_hlo_as_text`, i.e. JAX's lowering converted to HLO, before any
XLA pass), and `manifest.json` (every pair's class, one-line rewrite, input
distributions in fpaudit's `--input` spelling keyed by position, expected
default-policy verdict and a short numerical analysis). The expected verdicts
and figures are derived independently of fpaudit by derive_expectations.py.

Every function is jitted and compiled in a fresh subprocess (this script
re-invoked with `--worker`), from abstract arguments (jax.ShapeDtypeStruct),
so nothing is executed and the dump directory holds exactly one module. The
subprocess runs with this directory as its working directory and with JAX's
source-file canonicalization regex set to the repository root, so the source
file recorded in the HLO metadata is `Fixtures/rewrites/generate.py` wherever
the repository is cloned. Line numbers in the metadata point into this file,
so editing it changes the metadata (not the ops) of every dump.

Functions use explicit jnp/lax operations so the HLO op sequence is
predictable (derive_expectations.py interprets the HLO op by op and checks
it against a hand-written formula of its own).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))

# JAX is imported lazily (only the workers need it), so the pair table can be
# read (--list, the manifest) without initialising a backend.
try:
    import jax
    import jax.numpy as jnp
    from jax import lax
except ImportError:  # pragma: no cover - the driver re-checks in the workers
    jax = jnp = lax = None

F32 = np.float32


# --------------------------------------------------------------------------
# Shared building blocks
# --------------------------------------------------------------------------

def _softmax_stable(x):
    m = jnp.max(x, axis=-1, keepdims=True)
    e = jnp.exp(x - m)
    return e / jnp.sum(e, axis=-1, keepdims=True)


def _softmax_naive(x):
    e = jnp.exp(x)
    return e / jnp.sum(e, axis=-1, keepdims=True)


def _logsumexp_stable(x):
    m = jnp.max(x, axis=-1)
    return jnp.log(jnp.sum(jnp.exp(x - m[:, None]), axis=-1)) + m


def _logsumexp_naive(x):
    return jnp.log(jnp.sum(jnp.exp(x), axis=-1))


def _variance_two_pass(x):
    mean = jnp.sum(x, axis=-1) / 32.0
    d = x - mean[:, None]
    return jnp.sum(d * d, axis=-1) / 32.0


def _variance_one_pass(x):
    mean = jnp.sum(x, axis=-1) / 32.0
    return jnp.sum(x * x, axis=-1) / 32.0 - mean * mean


def _sqrt_diff_naive(x):
    return jnp.sqrt(x + 1.0) - jnp.sqrt(x)


def _sqrt_diff_stable(x):
    return 1.0 / (jnp.sqrt(x + 1.0) + jnp.sqrt(x))


def _gelu_tanh(x, c):
    # 0.5 x (1 + tanh(sqrt(2/pi) (x + c x^3))), as jax.nn.gelu(approximate=True) writes it
    inner = x + c * (x * x * x)
    return 0.5 * x * (1.0 + jnp.tanh(0.7978845608 * inner))


def const_product(a, b):
    """a * b, jitted on its own: JAX lowers a call to it as an HLO `call`, so
    the product of two constants survives into the HLO (a bare lax.mul of two
    constants is folded by JAX's StableHLO-to-HLO conversion)."""
    return lax.mul(a, b)


def _const_product(a, b):
    return jax.jit(const_product)(a, b)


# --------------------------------------------------------------------------
# The pairs. Parameter names are what the HLO metadata calls the parameters;
# both functions of a pair have the same signature.
# --------------------------------------------------------------------------

# improvement -> pass

def softmax_stabilize_original(x):
    return _softmax_naive(x)


def softmax_stabilize_rewritten(x):
    return _softmax_stable(x)


def logsumexp_stabilize_original(x):
    return _logsumexp_naive(x)


def logsumexp_stabilize_rewritten(x):
    return _logsumexp_stable(x)


def log1p_restore_original(x):
    return jnp.log(1.0 + x)


def log1p_restore_rewritten(x):
    return jnp.log1p(x)


def expm1_restore_original(x):
    return jnp.exp(x) - 1.0


def expm1_restore_rewritten(x):
    return jnp.expm1(x)


def variance_two_pass_original(x):
    return _variance_one_pass(x)


def variance_two_pass_rewritten(x):
    return _variance_two_pass(x)


def sqrt_diff_stabilize_original(x):
    return _sqrt_diff_naive(x)


def sqrt_diff_stabilize_rewritten(x):
    return _sqrt_diff_stable(x)


def hypot_scaled_original(x, y):
    return jnp.sqrt(x * x + y * y)


def hypot_scaled_rewritten(x, y):
    ax, ay = jnp.abs(x), jnp.abs(y)
    big = jnp.maximum(ax, ay)
    small = jnp.minimum(ax, ay)
    r = small / big
    return big * jnp.sqrt(1.0 + r * r)


def log_sigmoid_softplus_original(x):
    return jnp.log(1.0 / (1.0 + jnp.exp(-x)))


def log_sigmoid_softplus_rewritten(x):
    # log(sigmoid(x)) = -softplus(-x), softplus(z) = max(z, 0) + log1p(exp(-|z|))
    z = -x
    return -(jnp.maximum(z, 0.0) + jnp.log1p(jnp.exp(-jnp.abs(z))))


# rounding noise -> pass

def reassociate_add3_original(a, b, c):
    return (a + b) + c


def reassociate_add3_rewritten(a, b, c):
    return a + (b + c)


def reassociate_add4_original(a, b, c, d):
    return ((a + b) + c) + d


def reassociate_add4_rewritten(a, b, c, d):
    return (a + b) + (c + d)


def pairwise_sum16_original(x):
    return jnp.sum(x, axis=-1)


def pairwise_sum16_rewritten(x):
    # tree of halves: x[i] + x[i+8], then + [i+4], + [i+2], + [i+1]
    n = x.shape[0]
    for half in (8, 4, 2, 1):
        x = jnp.sum(x.reshape(n, 2, half), axis=1)
    return x.reshape(n)


def pairwise_sum64_original(x):
    return jnp.sum(x, axis=-1)


def pairwise_sum64_rewritten(x):
    n = x.shape[0]
    for half in (32, 16, 8, 4, 2, 1):
        x = jnp.sum(x.reshape(n, 2, half), axis=1)
    return x.reshape(n)


def dot_split_original(x, w):
    return jnp.dot(x, w)


def dot_split_rewritten(x, w):
    return jnp.dot(x[:, :8], w[:8, :]) + jnp.dot(x[:, 8:], w[8:, :])


def matmul_chain_reassociate_original(a, b, v):
    return jnp.dot(jnp.dot(a, b), v)


def matmul_chain_reassociate_rewritten(a, b, v):
    return jnp.dot(a, jnp.dot(b, v))


def div_pow2_original(x):
    return x / 8.0


def div_pow2_rewritten(x):
    return x * (1.0 / 8.0)


def mean_scale_inside_original(x):
    return jnp.sum(x, axis=-1) / 16.0


def mean_scale_inside_rewritten(x):
    return jnp.sum(x / 16.0, axis=-1)


def double_to_add_original(x):
    return x * 2.0


def double_to_add_rewritten(x):
    return x + x


def transpose_roundtrip_original(x):
    return jnp.exp(x)


def transpose_roundtrip_rewritten(x):
    return jnp.transpose(jnp.exp(jnp.transpose(x)))


def reshape_roundtrip_original(x):
    return jnp.tanh(x)


def reshape_roundtrip_rewritten(x):
    return jnp.tanh(x.reshape(64)).reshape(4, 16)


# bit-identical constant fold -> pass

def const_fold_product_original(x):
    return x * _const_product(F32(0.1), F32(3.0))


def const_fold_product_rewritten(x):
    return x * F32(F32(0.1) * F32(3.0))


def const_fold_residual_original(x):
    # a residual k*x - c*x (a gradient's "prediction - target" in its simplest form)
    # with k = 0.1*3 as a product of constants and c the f32 value nearest 0.3
    return x * _const_product(F32(0.1), F32(3.0)) - x * F32(0.3)


def const_fold_residual_rewritten(x):
    return x * F32(F32(0.1) * F32(3.0)) - x * F32(0.3)


def const_fold_grad_original(x):
    # d/dx sum(tanh(k*x)) = k*(1 - tanh(k*x)^2), k = lr * scale as a product of two constants
    k = _const_product(F32(0.003), F32(0.9))
    return jax.grad(lambda t: jnp.sum(jnp.tanh(k * t)))(x)


def const_fold_grad_rewritten(x):
    k = F32(F32(0.003) * F32(0.9))
    return jax.grad(lambda t: jnp.sum(jnp.tanh(k * t)))(x)


# regression -> fail

def log1p_naive_original(x):
    return jnp.log1p(x)


def log1p_naive_rewritten(x):
    return jnp.log(1.0 + x)


def expm1_naive_original(x):
    return jnp.expm1(x)


def expm1_naive_rewritten(x):
    return jnp.exp(x) - 1.0


def variance_one_pass_original(x):
    return _variance_two_pass(x)


def variance_one_pass_rewritten(x):
    return _variance_one_pass(x)


def softmax_naive_original(x):
    return _softmax_stable(x)


def softmax_naive_rewritten(x):
    return _softmax_naive(x)


def logsumexp_naive_original(x):
    return _logsumexp_stable(x)


def logsumexp_naive_rewritten(x):
    return _logsumexp_naive(x)


def bf16_before_exp_original(x):
    return jnp.exp(x)


def bf16_before_exp_rewritten(x):
    return jnp.exp(x.astype(jnp.bfloat16).astype(jnp.float32))


def bf16_dot_original(x, w):
    return jnp.dot(x, w)


def bf16_dot_rewritten(x, w):
    xb = x.astype(jnp.bfloat16).astype(jnp.float32)
    wb = w.astype(jnp.bfloat16).astype(jnp.float32)
    return jnp.dot(xb, wb)


def gelu_wrong_constant_original(x):
    return _gelu_tanh(x, 0.044715)


def gelu_wrong_constant_rewritten(x):
    return _gelu_tanh(x, 0.04715)


def sqrt_diff_naive_original(x):
    return _sqrt_diff_stable(x)


def sqrt_diff_naive_rewritten(x):
    return _sqrt_diff_naive(x)


def diff_of_squares_original(x, y):
    return (x - y) * (x + y)


def diff_of_squares_rewritten(x, y):
    return x * x - y * y


# small loss -> warn

def reciprocal_multiply_original(x, y):
    return x / y


def reciprocal_multiply_rewritten(x, y):
    return x * (1.0 / y)


def softmax_reciprocal_original(x):
    return _softmax_stable(x)


def softmax_reciprocal_rewritten(x):
    # What XLA's algebraic simplifier makes of the normalisation: a multiply by the reciprocal.
    m = jnp.max(x, axis=-1, keepdims=True)
    e = jnp.exp(x - m)
    return e * (1.0 / jnp.sum(e, axis=-1, keepdims=True))


def div_by_ten_original(x):
    return x / 10.0


def div_by_ten_rewritten(x):
    return x * F32(0.1)


# --------------------------------------------------------------------------
# The table: name, class, rewrite, parameter shapes (all f32), inputs by
# position, expected default-policy verdict, why.
# --------------------------------------------------------------------------

CLASS_VERDICT = {"improvement": "pass", "rounding-noise": "pass", "identical": "pass",
                 "regression": "fail", "small-loss": "warn"}


def P(name, cls, rewrite, shapes, inputs, why, verdict=None):
    fn = name.replace("-", "_")
    return dict(name=name, cls=cls, rewrite=rewrite, shapes=[list(s) for s in shapes], inputs=inputs,
                verdict=verdict or CLASS_VERDICT[cls], why=why,
                original=fn + "_original", rewritten=fn + "_rewritten")


PAIRS = [
    # ---------------- improvements
    P("softmax-stabilize", "improvement", "exp(x)/sum(exp(x)) -> exp(x-max(x))/sum(exp(x-max(x)))",
      [(4, 8)], ["uniform(60,120)"],
      "expf overflows for x > 88.72, so the naive original's row sums are inf on almost every row and its outputs "
      "are NaN (inf/inf) or 0 instead of values down to e^-60; subtracting the row maximum keeps every exponent "
      "<= 0 and the result within a few ulps."),
    P("logsumexp-stabilize", "improvement", "log(sum(exp(x))) -> m + log(sum(exp(x-m))), m = max(x)",
      [(4, 8)], ["uniform(60,120)"],
      "The naive original overflows (expf(x) = inf for x > 88.72) on almost every row and returns inf for a "
      "result near 120; with the maximum factored out every exponent is <= 0, the sum is in [1,8] and the "
      "result is within an ulp or two."),
    P("log1p-restore", "improvement", "log(1+x) -> log1p(x)", [(16,)], ["loguniform(1e-10,1e-3)"],
      "1+x rounds with an absolute error up to 2^-24, so log(1+x) keeps only ~log2(x/2^-24) correct bits and is "
      "0 for x <= 2^-24; log1pf is within an ulp (correctly rounded on all but ~1e-5 of these inputs)."),
    P("expm1-restore", "improvement", "exp(x)-1 -> expm1(x)", [(16,)], ["loguniform(1e-10,1e-3,symmetric)"],
      "expf(x) near 1 has an absolute error up to 2^-24, so exp(x)-1 keeps only ~log2(|x|/2^-24) bits and is 0 "
      "for |x| below ~6e-8; expm1f is within an ulp."),
    P("variance-two-pass", "improvement", "sum(x*x)/n - mean^2 -> sum((x-mean)^2)/n", [(4, 32)],
      ["normal(1000,1)"],
      "With x ~ 1000 +- 1 the one-pass form subtracts two f32 values near 1e6 (ulp 0.0625) to get ~1: about 20 "
      "of 24 bits cancel; the two-pass form rounds deviations of size ~1 only and stays within the budget of "
      "its 31-term sums."),
    P("sqrt-diff-stabilize", "improvement", "sqrt(x+1)-sqrt(x) -> 1/(sqrt(x+1)+sqrt(x))", [(16,)],
      ["loguniform(1e3,1e7)"],
      "sqrt(x+1) and sqrt(x) agree to ~log2(4x) bits, so their difference keeps ~24-log2(4x) of them (none left "
      "near 1e7); the conjugate form has no cancellation: a few roundings, ~1 ulp."),
    P("hypot-scaled", "improvement", "sqrt(x*x+y*y) -> M*sqrt(1+(m/M)^2), M = max(|x|,|y|), m = min(|x|,|y|)",
      [(16,), (16,)], ["loguniform(1e15,1e25,symmetric)", "loguniform(1e15,1e25,symmetric)"],
      "x*x overflows to inf for |x| > 1.84e19 (most samples), so the naive original returns inf for a finite "
      "hypot; the scaled form never squares anything above 1 and is within ~2 ulps."),
    P("log-sigmoid-softplus", "improvement", "log(1/(1+exp(-x))) -> -(max(-x,0) + log1p(exp(-|x|)))", [(16,)],
      ["uniform(-120,40)"],
      "The naive original gives -inf once expf(-x) overflows (x < -88.7), 0 instead of -e^-x once 1+e^-x "
      "rounds to 1 (x > 16.6), and loses bits to the log of a number near 1 in between; the softplus form is "
      "within ~1 ulp everywhere."),
    # ---------------- rounding noise
    P("reassociate-add3", "rounding-noise", "(a+b)+c -> a+(b+c)", [(16,)] * 3,
      ["uniform(1,2)", "uniform(1,2)", "uniform(1,2)"],
      "Same real function, two roundings in either order; with i.i.d. positive terms the two error "
      "distributions are the same, so each order is better about as often as it is worse."),
    P("reassociate-add4", "rounding-noise", "((a+b)+c)+d -> (a+b)+(c+d)", [(16,)] * 4,
      ["uniform(1,2)", "uniform(1,2)", "uniform(1,2)", "uniform(1,2)"],
      "Same real function, three roundings in either shape; the balanced shape rounds smaller partial sums, so "
      "it is slightly better on average and worse at some points."),
    P("pairwise-sum16", "rounding-noise", "sum of 16 (sequential reduce) -> tree of halves (reshape + sum of halves)",
      [(4, 16)], ["uniform(0,1)"],
      "Same real function; the tree's error (4 levels) is below the sequential loop's (15 roundings) on "
      "average and both are far inside the budget of a 16-term sum (7.5 ulps)."),
    P("pairwise-sum64", "rounding-noise", "sum of 64 (sequential reduce) -> tree of halves (reshape + sum of halves)",
      [(4, 64)], ["normal(1,1)"],
      "Same real function; 6 tree levels against 63 sequential roundings, both inside the budget of a 64-term "
      "sum (31.5 ulps)."),
    P("dot-split", "rounding-noise", "dot(x,w) over K=16 -> dot(x[:, :8],w[:8]) + dot(x[:, 8:],w[8:])",
      [(4, 16), (16, 4)], ["uniform(0,1)", "uniform(0,1)"],
      "Same real function; the split accumulates two 8-term halves and adds them instead of one 16-term "
      "sequential sum: different rounding, inside the budget of a K=16 dot (8 ulps)."),
    P("matmul-chain-reassociate", "rounding-noise", "(a@b)@v -> a@(b@v)", [(4, 16), (16, 16), (16,)],
      ["uniform(0,1)", "uniform(0,1)", "uniform(0,1)"],
      "Same real function (matrix products are associative); with non-negative entries nothing cancels and "
      "both orders stay inside the budget of two chained K=16 dots (16 ulps)."),
    P("div-pow2", "rounding-noise", "x/8 -> x*0.125", [(16,)], ["ieee"],
      "x/8 and x*0.125 are the same real number, each correctly rounded (subnormal results included), so the "
      "outputs are bit-identical."),
    P("mean-scale-inside", "rounding-noise", "sum(x)/16 -> sum(x/16)", [(4, 16)], ["uniform(0,1)"],
      "Scaling by a power of two commutes with every rounding of the sum (no subnormals here), so both graphs "
      "give bit-identical results."),
    P("double-to-add", "rounding-noise", "x*2 -> x+x", [(16,)], ["loguniform(1e-44,1e38,symmetric)"],
      "x*2 and x+x are both exact for every f32 that does not overflow, subnormals included: bit-identical."),
    P("transpose-roundtrip", "rounding-noise", "exp(x) -> transpose(exp(transpose(x)))", [(4, 8)], ["normal(0,3)"],
      "A layout change: the same expf on the same elements, put back in place; bit-identical outputs."),
    P("reshape-roundtrip", "rounding-noise", "tanh(x) -> reshape(tanh(reshape(x, [64])), [4,16])", [(4, 16)],
      ["normal(0,2)"],
      "A layout change: the same tanhf on the same elements, reshaped back; bit-identical outputs."),
    # ---------------- identical (constant folding)
    P("const-fold-product", "identical", "x*(0.1*3) with the constant product in the graph -> x*fl(0.1*3)",
      [(16,)], ["uniform(-4,4)"],
      "The original multiplies two f32 constants (through a call, so JAX keeps the product) and rounds the "
      "product to f32 before using it; the rewritten graph holds that rounded product as one constant. The f32 "
      "outputs are bit-identical; the real function moved by the rounding of 0.1f*3 (relative 2.5e-8), at "
      "most 1 ulp, no more than the original's own error."),
    P("const-fold-residual", "identical", "x*(0.1*3) - x*0.3 with the constant product in the graph -> x*fl(0.1*3) - x*0.3",
      [(16,)], ["uniform(-4,4)"],
      "fl(0.1f*3) is exactly 0.3f, so both graphs compute x*0.3f - x*0.3f = 0 bit for bit; the original's real "
      "function is x*(0.1f*3 - 0.3f) = -7.45e-9*x, the rewritten's is 0: the constant's rounding moves the real "
      "function by ~2^30 ulps near zero, yet every f32 output is unchanged (and the original is just as far "
      "from its own truth)."),
    P("const-fold-grad", "identical", "grad of sum(tanh(k*x)), k = 0.003*0.9 in the graph -> k folded to fl(0.003*0.9)",
      [(16,)], ["normal(0,1500)"],
      "jax.grad gives k*(1 - tanh(k*x)^2); with k a product of two f32 constants the original rounds k first, "
      "exactly as the folded constant does, so the f32 outputs are bit-identical, while the real function moved "
      "by the rounding of k (0.49 ulp), magnified ~2k|x| times where 1 - tanh^2 is small: up to ~20 ulps, still far less than the original's own error there (1 - tanh^2 cancels)."),
    # ---------------- regressions
    P("log1p-naive", "regression", "log1p(x) -> log(1+x)", [(16,)], ["loguniform(1e-10,1e-3)"],
      "1+x rounds with an absolute error up to 2^-24: ~10 of 24 bits are lost at x = 1e-3 and all of them "
      "(log(1) = 0 instead of ~x) for x <= 2^-24, about 40% of the samples."),
    P("expm1-naive", "regression", "expm1(x) -> exp(x)-1", [(16,)], ["loguniform(1e-10,1e-3,symmetric)"],
      "expf(x) near 1 carries an absolute error up to 2^-24, so exp(x)-1 keeps only ~log2(|x|/2^-24) bits and "
      "is exactly 0 for |x| below ~3e-8..6e-8."),
    P("variance-one-pass", "regression", "sum((x-mean)^2)/n -> sum(x*x)/n - mean^2", [(4, 32)], ["normal(1000,1)"],
      "E[x^2] ~ 1e6 and E[x]^2 ~ 1e6 are each rounded in f32 (ulp 0.0625) and subtracted to give ~1: about 20 of "
      "the 24 bits are lost, far beyond the budget of the original's 31-term sums."),
    P("softmax-naive", "regression", "exp(x-max(x))/sum(exp(x-max(x))) -> exp(x)/sum(exp(x))", [(4, 8)],
      ["uniform(60,120)"],
      "expf overflows for x > 88.72, the row sum becomes inf and the elements that overflowed become inf/inf = "
      "NaN: new non-finite outputs on about half of the points."),
    P("logsumexp-naive", "regression", "m + log(sum(exp(x-m))) -> log(sum(exp(x)))", [(4, 8)], ["uniform(60,120)"],
      "Without the maximum factored out expf overflows on almost every row and the result is inf instead of a "
      "value near 120: new non-finite outputs."),
    P("bf16-before-exp", "regression", "exp(x) -> exp(f32(bf16(x)))", [(16,)], ["normal(0,2)"],
      "The convert pair is the identity in the truth, but rounding x to 8 significant bits is an absolute error "
      "up to |x|*2^-9, which exp turns into a relative error of the same size: ~2^14 ulps at |x| ~ 2."),
    P("bf16-dot", "regression", "dot(x,w) -> dot(f32(bf16(x)), f32(bf16(w)))", [(4, 16), (16, 4)],
      ["uniform(0,1)", "uniform(0,1)"],
      "Rounding both operands to bf16 (relative error up to 2^-9 each) gives every product an error up to "
      "~2^-8; with non-negative terms nothing cancels and the sum (~4) is off by ~2^10..2^15 ulps."),
    P("gelu-wrong-constant", "regression", "tanh-GELU with 0.044715 -> 0.04715", [(16,)], ["normal(0,2)"],
      "The typo changes the real function: the cubic coefficient is 5.4% too large, which moves the result by "
      "~1e-3 relative at |x| ~ 2 (~13 of 24 bits) and far more in the negative tail."),
    P("sqrt-diff-naive", "regression", "1/(sqrt(x+1)+sqrt(x)) -> sqrt(x+1)-sqrt(x)", [(16,)], ["loguniform(1e3,1e7)"],
      "sqrt(x+1) and sqrt(x) agree to ~log2(4x) bits, so their f32 difference keeps ~24-log2(4x) of them: ~11 "
      "bits lost at x = 1e3 and everything near 1e7."),
    P("diff-of-squares", "regression", "(x-y)*(x+y) -> x*x-y*y", [(16,), (16,)],
      ["uniform(1,1.001)", "uniform(1,1.001)"],
      "x-y is exact for close x, y (Sterbenz), so the factored form is within ~1 ulp; x*x and y*y each round "
      "with an absolute error up to 2^-24 and their difference (~6e-4) loses ~10 of the 24 bits on average."),
    # ---------------- small losses
    P("reciprocal-multiply", "small-loss", "x/y -> x*(1/y)", [(16,), (16,)], ["uniform(1,2)", "uniform(0.5,4)"],
      "Same real function; x/y is correctly rounded, x*(1/y) rounds twice (< 2 ulps of the quotient): about a "
      "quarter of the results are 1 ulp off and none is better."),
    P("softmax-reciprocal", "small-loss", "exp(x-m)/s -> exp(x-m)*(1/s) in a softmax (XLA's algsimp)", [(4, 8)],
      ["normal(0,1)"],
      "Same real function; the division by the row sum becomes a multiply by its rounded reciprocal: a second "
      "rounding. The original is already a few ulps off (exp and the 8-term sum), so no quantile moves, but the "
      "rewrite is worse at clearly more points than it is better and the mean error grows: a small systematic loss."),
    P("div-by-ten", "small-loss", "x/10 -> x*0.1f", [(16,)], ["uniform(1,100)"],
      "x/10 is correctly rounded; x*fl(0.1) carries the constant's relative error 1.5e-9 plus a second "
      "rounding: about a fifth of the results are 1 ulp off and none is better."),
]

PAIR_NAMES = [p["name"] for p in PAIRS]
BY_NAME = {p["name"]: p for p in PAIRS}


def manifest():
    out = []
    for p in PAIRS:
        out.append({
            "name": p["name"],
            "class": p["cls"],
            "rewrite": p["rewrite"],
            "inputs": {f"#{i}": d for i, d in enumerate(p["inputs"])},
            "shapes": {f"#{i}": "f32[" + ",".join(str(d) for d in s) + "]" for i, s in enumerate(p["shapes"])},
            "verdict": p["verdict"],
            "why": p["why"],
        })
    return out


def write_manifest():
    text = json.dumps(manifest(), indent=2, ensure_ascii=False)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        f.write(text + "\n")


# --------------------------------------------------------------------------
# Workers and driver
# --------------------------------------------------------------------------

def worker(fn_name: str, shapes_json: str) -> None:
    assert jax is not None, "jax is not installed"
    jax.config.update("jax_enable_x64", False)
    assert jax.default_backend() == "cpu", jax.default_backend()
    fn = globals()[fn_name]
    specs = [jax.ShapeDtypeStruct(tuple(s), jnp.float32) for s in json.loads(shapes_json)]
    jax.jit(fn).lower(*specs).compile()


def dump_one(fn_name: str, shapes) -> str:
    with tempfile.TemporaryDirectory(prefix=f"rewrites_{fn_name}_") as tmp:
        env = dict(os.environ)
        env.pop("XLA_FLAGS", None)
        env["JAX_PLATFORMS"] = "cpu"
        env["JAX_ENABLE_X64"] = "0"
        env["PYTHONHASHSEED"] = "0"
        env["JAX_HLO_SOURCE_FILE_CANONICALIZATION_REGEX"] = "^" + re.escape(REPO_ROOT + os.sep)
        env["XLA_FLAGS"] = f"--xla_dump_to={tmp} --xla_dump_hlo_as_text"
        cmd = [sys.executable, os.path.basename(__file__), "--worker", fn_name, json.dumps(shapes)]
        subprocess.run(cmd, cwd=HERE, env=env, check=True)
        found = sorted(n for n in os.listdir(tmp) if n.endswith(".before_optimizations.txt"))
        want = f".jit_{fn_name}.before_optimizations.txt"
        if len(found) != 1 or not found[0].endswith(want):
            raise SystemExit(f"{fn_name}: expected one module jit_{fn_name} in {tmp}, found {found}")
        with open(os.path.join(tmp, found[0])) as f:
            text = f.read()
    if REPO_ROOT in text or "/tmp/" in text:
        raise SystemExit(f"{fn_name}: a machine path leaked into the HLO metadata")
    return text


_ENTRY_PARAM = re.compile(r"^\s*%?([\w.\-]+) = (\w+)\[([\d,]*)\]\S* parameter\((\d+)\)")
_UNSUPPORTED = ("gather", "scatter", "sort", "convolution", "rng", "custom-call", "opt-barrier")


def check_module(name: str, which: str, text: str, shapes) -> None:
    params, in_entry = [], False
    for line in text.splitlines():
        if line.startswith("ENTRY "):
            in_entry = True
        elif in_entry and line.startswith("}"):
            break
        elif in_entry:
            m = _ENTRY_PARAM.match(line)
            if m:
                params.append((int(m.group(4)), m.group(2), [int(d) for d in m.group(3).split(",") if d]))
    params.sort()
    got = [(dt, s) for _, dt, s in params]
    want = [("f32", list(s)) for s in shapes]
    if got != want:
        raise SystemExit(f"{name}/{which}: entry parameters {got} != {want}")
    for op in _UNSUPPORTED:
        if re.search(rf"\s{re.escape(op)}\(", text):
            raise SystemExit(f"{name}/{which}: uses opcode {op}")


def generate(name: str) -> None:
    p = BY_NAME[name]
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    for which in ("original", "rewritten"):
        text = dump_one(p[which], p["shapes"])
        check_module(name, which, text, p["shapes"])
        with open(os.path.join(d, f"{which}.hlo.txt"), "w") as f:
            f.write(text)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--worker"]:
        worker(argv[1], argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="*", metavar="PAIR", help="pairs to regenerate (default: all)")
    ap.add_argument("--list", action="store_true", help="print the pair names and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(PAIR_NAMES))
        return
    unknown = [n for n in args.pairs if n not in BY_NAME]
    if unknown:
        ap.error(f"unknown pair(s) {unknown}; known: {PAIR_NAMES}")
    if len(set(PAIR_NAMES)) != len(PAIR_NAMES):
        raise SystemExit("duplicate pair names")
    write_manifest()
    for name in args.pairs or PAIR_NAMES:
        generate(name)
        print(f"{name}: ok")


if __name__ == "__main__":
    main(sys.argv[1:])
