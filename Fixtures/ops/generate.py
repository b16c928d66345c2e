#!/usr/bin/env python3
"""Regenerates the op-level fixtures (gather/scatter, sort/top_k/reverse, ...) in Fixtures/ops/.

    pip install -r Fixtures/xla/requirements.txt     # jax/jaxlib 0.10.2, numpy, ml_dtypes
    python3 Fixtures/ops/generate.py                 # every case
    python3 Fixtures/ops/generate.py take_1d ...     # only the named cases
    python3 Fixtures/ops/generate.py --list          # the case names

Each case is a small jitted JAX function whose HLO contains XLA `gather` and/or
`scatter` instructions, built through `jax.lax` directly (`lax.gather`,
`lax.scatter`, `lax.scatter_add/sub/mul/min/max`, `lax.scatter_apply`), through
the high-level paths (`jnp.take`, `jnp.take_along_axis`, `x[idx]`,
`x.at[idx].add/set/max/min/mul/get`, `jax.vmap`, `jax.grad`), or -- for the
two layouts `jax.lax` cannot express (an `index_vector_dim` that is not the
last dimension of the indices) -- through a tiny JAX primitive whose MLIR
lowering emits `stablehlo.gather` / `stablehlo.scatter` with that attribute.
For every case it writes, under Fixtures/ops/<case>/:

  module.hlo.txt  jax.jit(f, keep_unused=True).lower(*args).as_text(dialect="hlo"):
                  the HLO module BEFORE any XLA optimization (no metadata)
  inputs.json     the inputs, keyed by the ENTRY parameter names read from
                  module.hlo.txt (`table.1`, `ids.1`, ...: this JAX version
                  names entry parameters after the Python arguments)
  outputs.json    what XLA CPU computed, keyed "#0", "#1", ... (one per
                  element of a tuple result, else just "#0")
  reference_f64.json  (convolution cases, build_convolution_cases()) the same
                  function run by JAX in f64 on the same input values

and Fixtures/ops/manifest.json (every case: name, what it exercises, the
gather/scatter opcodes in its module and their instruction lines, the JAX
expression, the indexing mode, x64).

The later cases (build_cases(), after the gather/scatter ones) cover other
opcodes fpaudit did not read when they were added: `sort` (jnp.sort,
jnp.argsort, lax.sort with several operands, stable and not, s32, bf16; the
manifest also keeps each sort's comparator computation, `comparators`),
`topk` (jax.lax.top_k), `reverse` (jnp.flip), `opt-barrier`
(lax.optimization_barrier), and elementwise functions XLA has opcodes for
(jnp.arctan, sinh, cosh, arcsin, arccos, arcsinh, arccosh, arctanh, round,
lax.round AWAY_FROM_ZERO; f32, and f64 for some). For those the manifest
records every opcode of the module (`hlo_opcodes`, counts over all its
computations) and the ops of the StableHLO text JAX lowered to
(`stablehlo_ops`): JAX emits chlo.atan / chlo.sinh / ... there, and the
conversion to HLO text expands most of them into exp/log/atan2/sqrt
arithmetic, so the elementwise cases assert no opcode, they only record.

The window cases (build_window_cases(), called last from build_cases()) cover
`reduce-window` (padding, dilations, init values, flax pools, cumsum/cummax/
cumlogsumexp, variadic argmax), `select-and-scatter` (jax.grad of max/min
pooling, and hand-written ones), and hand-written `map`, `mulhi` and
`batch-norm-*` modules (Case.hlo_text), which are run on XLA CPU through jax's
HLO -> StableHLO converter (xla_cpu_run_hlo); mulhi has no StableHLO form, so
its outputs are the exact-integer model's.

Values files use fpaudit's values format (docs/values-format.md): dtype
names f32/f64/bf16/s32/s64/pred, row-major flat `data`, floats as C99
hex-float strings in shortest form ("0x1.8p+1", "-0x0p+0", "inf", "nan"),
integers as JSON numbers.

Checks done by this script (it exits non-zero if one fails):
  * the module text starts with `HloModule` and has an `ENTRY` computation;
  * it contains the expected number of gather( / scatter( instructions (the
    later cases: of each of the opcodes they track, e.g. sort( / topk( /
    reverse( / opt-barrier( / custom-call(), and the attributes the case is
    about (e.g. `index_vector_dim=0`, `operand_batching_dims=`,
    `indices_are_sorted=true`, `is_stable=true`, `type=TOTALORDER`);
  * the ENTRY parameters (order, dtype, shape) are exactly the inputs;
  * where a case has a numpy model (most do), XLA's outputs equal, bit for
    bit, a plain-numpy re-implementation of the XLA operation semantics
    (gather: start indices clamped so the whole slice fits; scatter: an
    update window that does not fit entirely is skipped; updates applied one
    at a time in row-major order of the update scatter dimensions; sort /
    top_k: a stable sort on the comparator's total order; reverse; rounding
    half to even / away from zero); an unstable sort is checked to be a
    valid sort of its input instead (its tie order is XLA CPU's std::sort's).

Deterministic: inputs come from numpy.random.default_rng(crc32(case name))
plus hand-picked values; two runs give byte-identical files. Everything runs
on the CPU backend (JAX_PLATFORMS=cpu is set before jax is imported, and any
XLA_FLAGS from the environment are removed). Cases marked x64 run with
jax_enable_x64 on; all others with it off.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import sys
import warnings
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

os.environ["JAX_PLATFORMS"] = "cpu"
os.environ.pop("XLA_FLAGS", None)

import numpy as np  # noqa: E402
import ml_dtypes  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
from jax.extend.core import Primitive  # noqa: E402
from jax.extend.mlir import ir  # noqa: E402
from jax.extend.mlir.dialects import stablehlo as hlo  # noqa: E402
from jax.interpreters import mlir  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BF16 = ml_dtypes.bfloat16
F32_INFO = np.finfo(np.float32)


# ---------------------------------------------------------------------------
# Values format (docs/values-format.md)
# ---------------------------------------------------------------------------

_DTYPE_NAMES = {
    "float16": "f16", "bfloat16": "bf16", "float32": "f32", "float64": "f64",
    "bool": "pred", "int32": "s32", "int64": "s64", "uint8": "u8", "uint32": "u32",
    # build_dtype_cases(): the remaining integer widths and the 8-bit floats.
    "int8": "s8", "int16": "s16", "uint16": "u16", "uint64": "u64",
    "float8_e4m3fn": "f8e4m3fn", "float8_e5m2": "f8e5m2", "float8_e4m3": "f8e4m3", "float8_e3m4": "f8e3m4",
    "float8_e4m3fnuz": "f8e4m3fnuz", "float8_e5m2fnuz": "f8e5m2fnuz", "float8_e4m3b11fnuz": "f8e4m3b11fnuz",
}


def hex_float(v: float) -> str:
    """C99 hex float, shortest mantissa: 0x1.8p+1, 0x1p-149, -0x0p+0, inf, -inf, nan."""
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


def tensor_json(a) -> dict:
    a = np.asarray(a)
    name = _DTYPE_NAMES[str(a.dtype)]
    flat = a.reshape(-1)
    if name == "pred":
        data = [bool(v) for v in flat]
    elif name in ("s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64"):
        data = [int(v) for v in flat]
    else:
        data = [hex_float(float(v)) for v in flat.astype(np.float64)]  # exact widening
    return {"dtype": name, "shape": [int(d) for d in a.shape], "data": data}


def write_values(path: str, tensors: "OrderedDict[str, np.ndarray]") -> None:
    """Keys in the given order; eight elements per line."""
    lines = ["{"]
    items = list(tensors.items())
    for i, (key, a) in enumerate(items):
        t = tensor_json(a)
        data = [json.dumps(e) for e in t["data"]]
        rows = [", ".join(data[j:j + 8]) for j in range(0, len(data), 8)]
        lines.append(f'  {json.dumps(key)}: {{ "dtype": "{t["dtype"]}", '
                     f'"shape": {json.dumps(t["shape"])}, "data": [')
        lines.extend("      " + r + ("," if j < len(rows) - 1 else "") for j, r in enumerate(rows))
        lines.append("  ] }" + ("," if i < len(items) - 1 else ""))
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Plain-numpy model of XLA gather / scatter (operation semantics, including
# batching dims), used only to cross-check what XLA CPU computed.
# ---------------------------------------------------------------------------

def _index_vectors(indices, index_vector_dim):
    """(indices with the index vector last, batch position of each indices dim)."""
    indices = np.asarray(indices)
    if index_vector_dim is None:
        index_vector_dim = indices.ndim - 1
    if index_vector_dim == indices.ndim:  # implicit trailing index vector of size 1
        indices = indices[..., None]
    dims = [d for d in range(indices.ndim) if d != index_vector_dim]
    return np.moveaxis(indices, index_vector_dim, -1), dims


def np_gather(operand, indices, *, offset_dims, collapsed_slice_dims, start_index_map,
              slice_sizes, index_vector_dim=None, operand_batching_dims=(),
              start_indices_batching_dims=()):
    operand = np.asarray(operand)
    idx, batch_of = _index_vectors(indices, index_vector_dim)
    batch_shape = idx.shape[:-1]
    window_dims = [d for d in range(operand.ndim)
                   if d not in collapsed_slice_dims and d not in operand_batching_dims]
    rank = len(batch_shape) + len(offset_dims)
    batch_out = [d for d in range(rank) if d not in offset_dims]
    shape = [0] * rank
    for k, d in enumerate(batch_out):
        shape[d] = batch_shape[k]
    for k, d in enumerate(offset_dims):
        shape[d] = slice_sizes[window_dims[k]]
    out = np.empty(shape, operand.dtype)
    for o in np.ndindex(*shape):
        g = tuple(o[d] for d in batch_out)
        start = [0] * operand.ndim
        for k, d in enumerate(start_index_map):
            start[d] = int(idx[g][k])
        for od, sd in zip(operand_batching_dims, start_indices_batching_dims):
            start[od] = g[batch_of.index(sd)]
        # XLA clamps each start index so that the whole slice is inside the operand.
        start = [min(max(s, 0), operand.shape[d] - slice_sizes[d]) for d, s in enumerate(start)]
        for k, d in enumerate(window_dims):
            start[d] += o[offset_dims[k]]
        out[o] = operand[tuple(start)]
    return out


# 1: updates in row-major order of the update scatter dims (what XLA CPU does);
# -1: reversed, only used to show that an order-sensitive case really is.
SCATTER_ORDER = 1


def np_scatter(operand, indices, updates, combine, *, update_window_dims, inserted_window_dims,
               scatter_dims_to_operand_dims, index_vector_dim=None, operand_batching_dims=(),
               scatter_indices_batching_dims=()):
    out = np.array(operand, copy=True)
    updates = np.asarray(updates)
    idx, batch_of = _index_vectors(indices, index_vector_dim)
    scatter_dims = [d for d in range(updates.ndim) if d not in update_window_dims]
    window_dims = [d for d in range(out.ndim)
                   if d not in inserted_window_dims and d not in operand_batching_dims]
    window_sizes = [updates.shape[d] for d in update_window_dims]
    size = [1] * out.ndim
    for k, d in enumerate(window_dims):
        size[d] = window_sizes[k]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # s32 wrap-around, inf - inf
        for g in list(np.ndindex(*[updates.shape[d] for d in scatter_dims]))[::SCATTER_ORDER]:
            start = [0] * out.ndim
            for k, d in enumerate(scatter_dims_to_operand_dims):
                start[d] = int(idx[g][k])
            for od, sd in zip(operand_batching_dims, scatter_indices_batching_dims):
                start[od] = g[batch_of.index(sd)]
            # XLA skips the whole update window when it does not fit entirely.
            if any(s < 0 or s + size[d] > out.shape[d] for d, s in enumerate(start)):
                continue
            for w in np.ndindex(*window_sizes):
                target = list(start)
                for k, d in enumerate(window_dims):
                    target[d] += w[k]
                u = [0] * updates.ndim
                for k, d in enumerate(scatter_dims):
                    u[d] = g[k]
                for k, d in enumerate(update_window_dims):
                    u[d] = w[k]
                target = tuple(target)
                out[target] = combine(out[target], updates[tuple(u)])
    return out


def c_add(a, b):
    return a + b


def c_sub(a, b):
    return a - b


def c_mul(a, b):
    return a * b


def c_set(a, b):
    return b


def c_max(a, b):
    # XLA's max (as XLA CPU computes it): NaN if either operand is NaN, and
    # +0 is larger than -0 (IEEE 754-2019 maximum), whatever the order.
    return _minmax(a, b, np.maximum, prefer_negative_zero=False)


def c_min(a, b):
    # XLA's min: NaN if either operand is NaN, -0 is smaller than +0.
    return _minmax(a, b, np.minimum, prefer_negative_zero=True)


def _minmax(a, b, f, *, prefer_negative_zero):
    if np.issubdtype(np.asarray(a).dtype, np.integer):
        return f(a, b)
    if np.isnan(a) or np.isnan(b):
        return a if np.isnan(a) else b
    if a == b == 0:
        return a if bool(np.signbit(a)) == prefer_negative_zero else b
    return f(a, b)


def wrap_negative(i, n):
    i = np.asarray(i)
    return np.where(i < 0, i + n, i).astype(i.dtype)


def take_rows(table, ids, *, mode):
    """jnp.take(table, ids, axis=0, mode=mode) for mode in fill / clip (numpy model)."""
    table = np.asarray(table)
    ids = np.asarray(ids)
    n = table.shape[0]
    if mode == "fill":
        ids = wrap_negative(ids, n)
    out = np_gather(table, ids[..., None], offset_dims=tuple(range(ids.ndim, ids.ndim + table.ndim - 1)),
                    collapsed_slice_dims=(0,), start_index_map=(0,),
                    slice_sizes=(1,) + table.shape[1:])
    if mode == "fill":
        bad = (ids < 0) | (ids > n - 1)
        out[bad] = fill_value(table.dtype)
    return out


def fill_value(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f" or dtype == BF16:
        return np.nan
    return np.iinfo(dtype).min


def bits_equal(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "iub":
        return bool(np.array_equal(a, b))
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    return bool(np.array_equal(a64, b64, equal_nan=True)
                and np.array_equal(np.signbit(a64) | np.isnan(a64), np.signbit(b64) | np.isnan(b64)))


# ---------------------------------------------------------------------------
# Plain-numpy models for the later cases: sort / top_k (XLA's total order),
# reverse, rounding.
# ---------------------------------------------------------------------------

def total_order_key(a, *, canonicalize):
    """Integer keys whose order is IEEE 754 totalOrder of the floats in `a` (s32 as is).

    canonicalize=True first maps -0 to +0 and every NaN to +NaN, as the
    comparator JAX gives lax.sort / jnp.sort does (select(x == 0, 0, x), then
    select(x != x, nan, ...), then compare(..., direction=LT, type=TOTALORDER)):
    -0 and +0 tie, and every NaN is larger than +inf. XLA CPU evaluates that
    `x == 0` with subnormal operands treated as zero (DAZ), so the subnormals
    are mapped to +0 as well and tie with the zeros. Without it (top_k: the
    totalOrder of the bits), -0 < +0 and subnormals are ordered as they are.
    """
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        return a.astype(np.int64)
    if a.dtype == BF16:
        a = a.astype(np.float32)  # exact, order- and NaN-preserving
    if canonicalize:
        zero = (a == 0) | (np.abs(a) < np.finfo(a.dtype).tiny)  # DAZ: subnormals compare equal to 0
        a = np.where(np.isnan(a), np.array(np.nan, a.dtype), np.where(zero, np.zeros((), a.dtype), a))
    bits = a.view({4: np.int32, 8: np.int64}[a.dtype.itemsize]).astype(np.int64)
    mask = (1 << (8 * a.dtype.itemsize - 1)) - 1
    return np.where(bits < 0, bits ^ mask, bits)


def np_sort(operands, *, dimension, num_keys=1):
    """Stable lax.sort of `operands` along `dimension` on the first num_keys keys (lexicographic)."""
    operands = [np.asarray(o) for o in operands]
    keys = [np.moveaxis(total_order_key(k, canonicalize=True), dimension, -1) for k in operands[:num_keys]]
    perm = np.lexsort(keys[::-1], axis=-1)  # np.lexsort is stable; its last key is the primary one
    return [np.moveaxis(np.take_along_axis(np.moveaxis(o, dimension, -1), perm, axis=-1), -1, dimension)
            for o in operands]


def np_argsort(a, *, axis=-1, descending=False):
    """jnp.argsort: stable; descending reverses the input (and the iota), sorts, reverses the result."""
    a = np.asarray(a)
    iota = np.broadcast_to(np.arange(a.shape[axis], dtype=np.int32).reshape(
        [-1 if d == axis % a.ndim else 1 for d in range(a.ndim)]), a.shape)
    if descending:
        return np.flip(np_sort([np.flip(a, axis), np.flip(iota, axis)], dimension=axis % a.ndim)[1], axis)
    return np_sort([a, iota], dimension=axis % a.ndim)[1]


def np_top_k(a, k):
    """lax.top_k: the k largest along the last axis in descending totalOrder (-0 < +0, +NaN largest);
    equal elements in index order."""
    a = np.asarray(a)
    perm = np.argsort(-total_order_key(a, canonicalize=False), axis=-1, kind="stable")[..., :k]
    return [np.take_along_axis(a, perm, axis=-1), perm.astype(np.int32)]


def check_unstable_sort(keys, values, out_keys, out_values):
    """Checks that (out_keys, out_values) is a valid, not necessarily stable, 1-D sort of (keys, values)."""
    k = total_order_key(out_keys, canonicalize=True)
    assert np.all(k[:-1] <= k[1:]), "keys are not in the comparator's order"
    pairs = lambda ks, vs: sorted(zip(total_order_key(ks, canonicalize=False).tolist(),  # noqa: E731
                                      np.asarray(vs).tolist()))
    assert pairs(keys, values) == pairs(out_keys, out_values), "the (key, value) pairs are not a permutation"
    stable = np_sort([keys, values], dimension=0)
    same = bits_equal(stable[0], out_keys) and bits_equal(stable[1], out_values)
    return ("checked to be a valid sort (keys in the comparator's order, the (key, value) pairs "
            "(-0/+0 distinguished) a permutation of the input's); among equal keys XLA CPU's order "
            + ("is" if same else "is NOT") + " the input order")


def round_afz(a):
    """Round half away from zero, exactly (x - trunc(x) is exact); the sign of zero is kept."""
    a = np.asarray(a)
    with np.errstate(invalid="ignore"):
        t = np.trunc(a)
        f = a - t
        r = np.where(np.isfinite(a), t + np.where(np.abs(f) >= 0.5, np.sign(a), 0).astype(a.dtype), a)
    return np.copysign(r, a).astype(a.dtype)


def round_half_even(a):
    return np.rint(np.asarray(a))


# ---------------------------------------------------------------------------
# Primitives for index_vector_dim != last (jax.lax always puts the index
# vector last). Their lowering emits stablehlo.gather / stablehlo.scatter
# directly; everything else is ordinary JAX.
# ---------------------------------------------------------------------------

def _moved_indices_aval(indices, index_vector_dim):
    shape = list(indices.shape)
    if index_vector_dim == len(shape):
        shape.append(1)
    else:
        shape.append(shape.pop(index_vector_dim))
    return jax.ShapeDtypeStruct(tuple(shape), indices.dtype)


gather_ivd_p = Primitive("gather_ivd")


def _gather_ivd_abstract(operand, indices, *, index_vector_dim, dnums, slice_sizes):
    out = jax.eval_shape(
        lambda o, i: lax.gather(o, i, dnums, slice_sizes, mode="promise_in_bounds"),
        jax.ShapeDtypeStruct(operand.shape, operand.dtype),
        _moved_indices_aval(indices, index_vector_dim))
    return jax.core.ShapedArray(out.shape, out.dtype)


def _gather_ivd_lower(ctx, operand, indices, *, index_vector_dim, dnums, slice_sizes):
    d = hlo.GatherDimensionNumbers.get(
        offset_dims=list(dnums.offset_dims),
        collapsed_slice_dims=list(dnums.collapsed_slice_dims),
        operand_batching_dims=list(dnums.operand_batching_dims),
        start_indices_batching_dims=list(dnums.start_indices_batching_dims),
        start_index_map=list(dnums.start_index_map),
        index_vector_dim=index_vector_dim)
    return [hlo.gather(operand, indices, d, mlir.dense_int_array(slice_sizes),
                       indices_are_sorted=ir.BoolAttr.get(False))]


gather_ivd_p.def_abstract_eval(_gather_ivd_abstract)
mlir.register_lowering(gather_ivd_p, _gather_ivd_lower)

scatter_add_ivd_p = Primitive("scatter_add_ivd")
scatter_add_ivd_p.def_abstract_eval(
    lambda operand, indices, updates, **_: jax.core.ShapedArray(operand.shape, operand.dtype))


def _scatter_add_ivd_lower(ctx, operand, indices, updates, *, index_vector_dim, dnums):
    d = hlo.ScatterDimensionNumbers.get(
        update_window_dims=list(dnums.update_window_dims),
        inserted_window_dims=list(dnums.inserted_window_dims),
        input_batching_dims=list(dnums.operand_batching_dims),
        scatter_indices_batching_dims=list(dnums.scatter_indices_batching_dims),
        scattered_dims_to_operand_dims=list(dnums.scatter_dims_to_operand_dims),
        index_vector_dim=index_vector_dim)
    aval_out = ctx.avals_out[0]
    op = hlo.ScatterOp((mlir.aval_to_ir_type(ctx.module_context, aval_out),), [operand], indices,
                       [updates], d, indices_are_sorted=ir.BoolAttr.get(False),
                       unique_indices=ir.BoolAttr.get(False))
    scalar = mlir.aval_to_ir_type(ctx.module_context, jax.core.ShapedArray((), aval_out.dtype))
    block = op.update_computation.blocks.append(scalar, scalar)
    with ir.InsertionPoint(block):
        hlo.return_([hlo.add(block.arguments[0], block.arguments[1])])
    return op.results


mlir.register_lowering(scatter_add_ivd_p, _scatter_add_ivd_lower)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    about: str                       # one sentence: what it exercises
    expression: str                  # the JAX expression
    fn: Callable                     # positional parameters in `inputs` order
    inputs: "OrderedDict[str, np.ndarray]"
    ops: dict                        # expected HLO opcode -> count, e.g. {"gather": 1}
    mode: str                        # indexing mode used, as JAX spells it
    expect: Callable | None = None   # inputs (np arrays), XLA outputs -> expected outputs
    must_contain: tuple = ()         # substrings of the gather/scatter lines
    text_must_contain: tuple = ()    # substrings of the whole module text
    x64: bool = False
    no_model_reason: str = ""
    order_sensitive: bool = False    # the result changes if duplicate updates are applied in reverse
    # Later cases (sort, top_k, reverse, opt-barrier, elementwise functions):
    track: tuple | None = ("gather", "scatter")  # opcodes counted against `ops` and listed in
                                                 # `instructions`; None: `ops` is not asserted and
                                                 # `instructions` lists every non-structural line
    record_opcodes: bool = False     # manifest: hlo_opcodes, stablehlo_ops (and comparators of sorts)
    text_must_not_contain: tuple = ()
    check: Callable | None = None    # inputs, XLA outputs -> numpy_model text; raises AssertionError
    reference_f64: Callable | None = None  # inputs -> outputs of an f64 (x64) JAX run, written to reference_f64.json
    hlo_text: str | None = None      # a hand-written module instead of jax.jit(fn) (build_window_cases)


def _rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def normal(rng, shape, dtype=np.float32, scale=2.0):
    return rng.normal(0.0, scale, shape).astype(dtype)


def s32(*v):
    return np.array(v, dtype=np.int32)


def named(name, fn):
    fn.__name__ = fn.__qualname__ = name
    return fn


def GDN(**kw):  # noqa: N802
    return lax.GatherDimensionNumbers(**kw)


def SDN(**kw):  # noqa: N802
    return lax.ScatterDimensionNumbers(**kw)


def build_cases() -> list[Case]:
    cases: list[Case] = []

    def add(name, about, expression, fn, inputs, ops, mode, expect=None, **kw):
        cases.append(Case(name, about, expression, named(name, fn), OrderedDict(inputs), ops, mode,
                          expect, **kw))

    # ------------------------------------------------------------- gather
    r = _rng("take_1d")
    add("take_1d",
        "1-D table lookup through jnp.take's default mode='fill' with duplicate and negative (wrapped) ids, all in range.",
        "jnp.take(table, ids, axis=0)",
        lambda table, ids: jnp.take(table, ids, axis=0),
        [("table", normal(r, (10,))), ("ids", s32(3, 0, 9, 3, -1, -10, 5, 2))],
        {"gather": 1}, "fill (default of jnp.take)",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="fill")],
        must_contain=("offset_dims={}", "collapsed_slice_dims={0}", "slice_sizes={1}"),
        text_must_contain=("select(", "constant(nan)", "call("))

    r = _rng("take_2d_embedding")
    add("take_2d_embedding",
        "Embedding lookup of a [6,4] table with 2-D ids [2,3] (output [2,3,4]) through jnp.take's default fill mode, ids in range.",
        "jnp.take(table, ids, axis=0)",
        lambda table, ids: jnp.take(table, ids, axis=0),
        [("table", normal(r, (6, 4))), ("ids", np.array([[5, 0, 2], [2, 2, 4]], np.int32))],
        {"gather": 1}, "fill (default of jnp.take)",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="fill")],
        must_contain=("offset_dims={2}", "collapsed_slice_dims={0}", "index_vector_dim=2", "slice_sizes={1,4}"))

    r = _rng("take_fill_oob")
    add("take_fill_oob",
        "jnp.take's default mode='fill': negative ids are wrapped, then rows whose id is still out of range are NaN (a select after an in-bounds gather).",
        "jnp.take(table, ids, axis=0)",
        lambda table, ids: jnp.take(table, ids, axis=0),
        [("table", normal(r, (5, 3))), ("ids", s32(0, 4, 5, -1, -5, -6, 100, 2))],
        {"gather": 1}, "fill (default of jnp.take)",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="fill")],
        must_contain=("offset_dims={1}", "collapsed_slice_dims={0}", "slice_sizes={1,3}"),
        text_must_contain=("select(", "constant(nan)"))

    r = _rng("take_clip")
    add("take_clip",
        "jnp.take mode='clip': no index arithmetic in the HLO, the gather alone clamps out-of-range ids (5, 100 -> 4) and negative ids (-1, -6 -> 0; no wrapping in clip mode).",
        "jnp.take(table, ids, axis=0, mode='clip')",
        lambda table, ids: jnp.take(table, ids, axis=0, mode="clip"),
        [("table", normal(r, (5, 3))), ("ids", s32(0, 4, 5, -1, -5, -6, 100, 2))],
        {"gather": 1}, "clip",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="clip")],
        must_contain=("offset_dims={1}", "collapsed_slice_dims={0}", "slice_sizes={1,3}"))

    add("take_s32_fill",
        "Integer (s32) table through jnp.take's default fill mode: out-of-range rows are filled with INT32_MIN.",
        "jnp.take(table, ids, axis=0)",
        lambda table, ids: jnp.take(table, ids, axis=0),
        [("table", np.array([[7, -3], [2147483647, 0], [-12, 5], [40, -2147483648], [1, 2], [-9, 13]], np.int32)),
         ("ids", s32(1, 3, -2, 6, -7, 0))],
        {"gather": 1}, "fill (default of jnp.take)",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="fill")],
        must_contain=("s32[6,2]", "slice_sizes={1,2}"),
        text_must_contain=("constant(-2147483648)",))

    r = _rng("take_bf16")
    add("take_bf16",
        "bf16 embedding table through jnp.take's default fill mode, one out-of-range id (bf16 NaN row).",
        "jnp.take(table, ids, axis=0)",
        lambda table, ids: jnp.take(table, ids, axis=0),
        [("table", normal(r, (8, 4), BF16)), ("ids", s32(7, 0, 3, 8, -8))],
        {"gather": 1}, "fill (default of jnp.take)",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="fill")],
        must_contain=("bf16[5,4]", "slice_sizes={1,4}"))

    r = _rng("take_f64")
    add("take_f64",
        "f64 table with s64 ids (x64 mode) through jnp.take mode='clip', ids out of range on both sides.",
        "jnp.take(table, ids, axis=0, mode='clip')",
        lambda table, ids: jnp.take(table, ids, axis=0, mode="clip"),
        [("table", normal(r, (6, 3), np.float64)), ("ids", np.array([2, 9, -4, 5, 0], np.int64))],
        {"gather": 1}, "clip",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="clip")],
        must_contain=("f64[5,3]",), text_must_contain=("s64[5]",), x64=True)

    r = _rng("index_fancy")
    add("index_fancy",
        "x[idx] fancy indexing: negative indices wrapped by a select, then the default mode (promise_in_bounds) leaves out-of-range indices to the gather's clamping (7 -> 4, -7+5=-2 -> 0) -- no NaN fill.",
        "x[idx]",
        lambda x, idx: x[idx],
        [("x", normal(r, (5, 3))), ("idx", s32(1, -1, 4, 7, -7, 2))],
        {"gather": 1}, "promise_in_bounds (default of x[idx])",
        expect=lambda i, o: [take_rows(i["x"], wrap_negative(i["idx"], 5), mode="clip")],
        must_contain=("offset_dims={1}", "collapsed_slice_dims={0}", "slice_sizes={1,3}"),
        text_must_contain=("select(",))

    r = _rng("index_fancy_columns")
    add("index_fancy_columns",
        "x[:, idx]: the offset (window) dimension comes BEFORE the batch dimension in the output (offset_dims={0}, collapsed_slice_dims={1}).",
        "x[:, idx]",
        lambda x, idx: x[:, idx],
        [("x", normal(r, (3, 6))), ("idx", s32(5, 0, -2, 3))],
        {"gather": 1}, "promise_in_bounds (default of x[idx])",
        expect=lambda i, o: [np_gather(i["x"], wrap_negative(i["idx"], 6)[:, None], offset_dims=(0,),
                                       collapsed_slice_dims=(1,), start_index_map=(1,), slice_sizes=(3, 1))],
        must_contain=("offset_dims={0}", "collapsed_slice_dims={1}", "start_index_map={1}", "slice_sizes={3,1}"))

    r = _rng("index_fancy_pairs")
    add("index_fancy_pairs",
        "x[i, j] with two index arrays: a point gather with a 2-element index vector (start_index_map={0,1}, both dims collapsed); one pair out of range is clamped.",
        "x[i, j]",
        lambda x, i, j: x[i, j],
        [("x", normal(r, (3, 6))), ("i", s32(0, 2, -1, 1, 3)), ("j", s32(5, 0, 3, -6, 9))],
        {"gather": 1}, "promise_in_bounds (default of x[idx])",
        expect=lambda i, o: [np_gather(i["x"], np.stack([wrap_negative(i["i"], 3), wrap_negative(i["j"], 6)], -1),
                                       offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(0, 1),
                                       slice_sizes=(1, 1))],
        must_contain=("offset_dims={}", "collapsed_slice_dims={0,1}", "start_index_map={0,1}"))

    r = _rng("take_along_axis_xent")

    def xent(logits, labels):
        logp = jax.nn.log_softmax(logits, axis=-1)
        nll = -jnp.take_along_axis(logp, labels[:, None], axis=-1)[:, 0]
        return nll, logp

    add("take_along_axis_xent",
        "Cross-entropy pattern: take_along_axis on the last axis of log_softmax (a batched gather, operand_batching_dims={0}); returns (nll, log_softmax) so the gather can be checked on XLA's own log_softmax.",
        "logp = jax.nn.log_softmax(logits, axis=-1); "
        "(-jnp.take_along_axis(logp, labels[:, None], axis=-1)[:, 0], logp)",
        xent,
        [("logits", normal(r, (4, 6))), ("labels", s32(2, 5, 0, 3))],
        {"gather": 1}, "fill (default of jnp.take_along_axis)",
        expect=lambda i, o: [-np_gather(o[1], i["labels"].reshape(4, 1, 1), offset_dims=(),
                                        collapsed_slice_dims=(1,), start_index_map=(1,),
                                        operand_batching_dims=(0,), start_indices_batching_dims=(0,),
                                        slice_sizes=(1, 1))[:, 0], o[1]],
        must_contain=("operand_batching_dims={0}", "start_indices_batching_dims={0}", "collapsed_slice_dims={1}"))

    r = _rng("take_along_axis_3d")

    def tao3_model(i, o):
        x, idx = i["x"], wrap_negative(i["idx"], 5)
        out = np_gather(x, idx[..., None], offset_dims=(), collapsed_slice_dims=(2,), start_index_map=(2,),
                        operand_batching_dims=(0, 1), start_indices_batching_dims=(0, 1), slice_sizes=(1, 1, 1))
        out[(idx < 0) | (idx > 4)] = np.nan
        return [out]

    add("take_along_axis_3d",
        "take_along_axis on the last axis of a [2,3,5] array (two batching dims) with negative (wrapped) and out-of-range (NaN-filled) indices.",
        "jnp.take_along_axis(x, idx, axis=-1)",
        lambda x, idx: jnp.take_along_axis(x, idx, axis=-1),
        [("x", normal(r, (2, 3, 5))),
         ("idx", np.array([[[0, 4], [-1, 2], [5, 3]], [[1, 1], [-6, 0], [4, -5]]], np.int32))],
        {"gather": 1}, "fill (default of jnp.take_along_axis)",
        expect=tao3_model,
        must_contain=("operand_batching_dims={0,1}", "start_indices_batching_dims={0,1}", "slice_sizes={1,1,1}"),
        text_must_contain=("constant(nan)",))

    window_dn = GDN(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1))
    window_starts = np.array([[1, 2], [5, 6], [-2, 1], [4, -3], [3, 4]], np.int32)
    r = _rng("gather_window_clip")
    add("gather_window_clip",
        "Window gather (slice_sizes={2,3}, nothing collapsed) with mode='clip': starts (5,6), (-2,1), (4,-3) are clamped by the gather itself so the 2x3 window fits.",
        "lax.gather(x, starts, GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(), "
        "start_index_map=(0, 1)), slice_sizes=(2, 3), mode='clip')",
        lambda x, starts: lax.gather(x, starts, window_dn, (2, 3), mode="clip"),
        [("x", normal(r, (6, 7))), ("starts", window_starts)],
        {"gather": 1}, "clip",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], offset_dims=(1, 2), collapsed_slice_dims=(),
                                       start_index_map=(0, 1), slice_sizes=(2, 3))],
        must_contain=("offset_dims={1,2}", "collapsed_slice_dims={}", "slice_sizes={2,3}"))

    def window_fill_model(i, o):
        out = np_gather(i["x"], i["starts"], offset_dims=(1, 2), collapsed_slice_dims=(),
                        start_index_map=(0, 1), slice_sizes=(2, 3))
        s = i["starts"]
        bad = (s[:, 0] < 0) | (s[:, 0] > 6 - 2) | (s[:, 1] < 0) | (s[:, 1] > 7 - 3)
        out[bad] = np.nan
        return [out]

    r = _rng("gather_window_fill")
    add("gather_window_fill",
        "The same window gather with mode='fill': JAX masks every window whose start is outside [0, dim - slice_size] (even partially out of range) to NaN with a select.",
        "lax.gather(x, starts, GatherDimensionNumbers(offset_dims=(1, 2), collapsed_slice_dims=(), "
        "start_index_map=(0, 1)), slice_sizes=(2, 3), mode='fill')",
        lambda x, starts: lax.gather(x, starts, window_dn, (2, 3), mode="fill"),
        [("x", normal(r, (6, 7))), ("starts", window_starts)],
        {"gather": 1}, "fill",
        expect=window_fill_model,
        must_contain=("offset_dims={1,2}", "slice_sizes={2,3}"),
        text_must_contain=("select(", "constant(nan)"))

    r = _rng("gather_offset_dims_first")
    add("gather_offset_dims_first",
        "offset_dims={0,2} around the batch dim 1: window dims of operand dims 0 and 2 (sizes 2 and 3) go to output dims 0 and 2, operand dim 1 is collapsed; starts -1 (dim 1) and 5 (dim 2) clamped.",
        "lax.gather(x, starts, GatherDimensionNumbers(offset_dims=(0, 2), collapsed_slice_dims=(1,), "
        "start_index_map=(1, 2)), slice_sizes=(2, 1, 3), mode='clip')",
        lambda x, starts: lax.gather(x, starts, GDN(offset_dims=(0, 2), collapsed_slice_dims=(1,),
                                                    start_index_map=(1, 2)), (2, 1, 3), mode="clip"),
        [("x", normal(r, (4, 5, 6))), ("starts", np.array([[0, 0], [4, 3], [2, 5], [-1, 1]], np.int32))],
        {"gather": 1}, "clip",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], offset_dims=(0, 2), collapsed_slice_dims=(1,),
                                       start_index_map=(1, 2), slice_sizes=(2, 1, 3))],
        must_contain=("offset_dims={0,2}", "collapsed_slice_dims={1}", "start_index_map={1,2}",
                      "slice_sizes={2,1,3}"))

    r = _rng("gather_permuted_map")
    add("gather_permuted_map",
        "start_index_map={2,0} permutes the index vector (component 0 indexes operand dim 2, component 1 dim 0); dims 0 and 2 collapsed, a 3-wide window on dim 1; promise_in_bounds with one pair out of range to pin XLA's clamp.",
        "lax.gather(x, starts, GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0, 2), "
        "start_index_map=(2, 0)), slice_sizes=(1, 3, 1), mode='promise_in_bounds')",
        lambda x, starts: lax.gather(x, starts, GDN(offset_dims=(1,), collapsed_slice_dims=(0, 2),
                                                    start_index_map=(2, 0)), (1, 3, 1),
                                     mode="promise_in_bounds"),
        [("x", normal(r, (4, 5, 6))), ("starts", np.array([[5, 0], [0, 3], [2, 1], [7, -1], [3, 2]], np.int32))],
        {"gather": 1}, "promise_in_bounds",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], offset_dims=(1,), collapsed_slice_dims=(0, 2),
                                       start_index_map=(2, 0), slice_sizes=(1, 3, 1))],
        must_contain=("start_index_map={2,0}", "collapsed_slice_dims={0,2}", "slice_sizes={1,3,1}"))

    ivd_dn = GDN(offset_dims=(2, 3), collapsed_slice_dims=(0,), start_index_map=(0, 2))
    r = _rng("gather_index_vector_dim_first")
    add("gather_index_vector_dim_first",
        "Multi-dimensional start indices s32[2,3,2] with index_vector_dim=0 (not last): batch dims are indices dims 1 and 2; windows 2x3 over operand dims 1,2; out-of-range and negative starts clamped.",
        "gather_ivd_p.bind(x, starts, index_vector_dim=0, dnums=GatherDimensionNumbers(offset_dims=(2, 3), "
        "collapsed_slice_dims=(0,), start_index_map=(0, 2)), slice_sizes=(1, 2, 3))  "
        "# a primitive lowering to stablehlo.gather; lax.gather cannot express index_vector_dim=0",
        lambda x, starts: gather_ivd_p.bind(x, starts, index_vector_dim=0, dnums=ivd_dn, slice_sizes=(1, 2, 3)),
        [("x", normal(r, (4, 3, 5))),
         # starts[0]: operand dim 0 (4 rows, valid 0..3); starts[1]: operand dim 2 (valid 0..2 for width 3)
         ("starts", np.array([[[0, 3], [9, -1], [2, 1]], [[1, 2], [0, 4], [-2, 7]]], np.int32))],
        {"gather": 1}, "none (raw XLA gather: clamps)",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], index_vector_dim=0, offset_dims=(2, 3),
                                       collapsed_slice_dims=(0,), start_index_map=(0, 2), slice_sizes=(1, 2, 3))],
        must_contain=("index_vector_dim=0", "offset_dims={2,3}", "start_index_map={0,2}"))

    r = _rng("gather_index_vector_dim_implicit")
    add("gather_index_vector_dim_implicit",
        "index_vector_dim equal to the rank of the start indices (2 for s32[2,3]): each scalar is a 1-element index vector; 7 and -1 are clamped.",
        "gather_ivd_p.bind(x, starts, index_vector_dim=2, dnums=GatherDimensionNumbers(offset_dims=(2,), "
        "collapsed_slice_dims=(0,), start_index_map=(0,)), slice_sizes=(1, 3))",
        lambda x, starts: gather_ivd_p.bind(
            x, starts, index_vector_dim=2,
            dnums=GDN(offset_dims=(2,), collapsed_slice_dims=(0,), start_index_map=(0,)), slice_sizes=(1, 3)),
        [("x", normal(r, (7, 3))), ("starts", np.array([[6, 0, 7], [-1, 3, 3]], np.int32))],
        {"gather": 1}, "none (raw XLA gather: clamps)",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], index_vector_dim=2, offset_dims=(2,),
                                       collapsed_slice_dims=(0,), start_index_map=(0,), slice_sizes=(1, 3))],
        must_contain=("index_vector_dim=2",), text_must_contain=("s32[2,3]",))

    r = _rng("gather_batched_vmap")
    add("gather_batched_vmap",
        "jax.vmap of t[i] lowers to a gather with operand_batching_dims={0}/start_indices_batching_dims={0}; negative indices wrapped, out-of-range clamped per batch.",
        "jax.vmap(lambda t, i: t[i])(tables, ids)",
        lambda tables, ids: jax.vmap(lambda t, i: t[i])(tables, ids),
        [("tables", normal(r, (3, 5, 2))), ("ids", np.array([[0, 4, -1, 6], [2, 2, 9, -5], [1, 3, 0, -6]], np.int32))],
        {"gather": 1}, "promise_in_bounds (default of x[idx])",
        expect=lambda i, o: [np_gather(i["tables"], wrap_negative(i["ids"], 5)[..., None], offset_dims=(2,),
                                       collapsed_slice_dims=(1,), start_index_map=(1,), operand_batching_dims=(0,),
                                       start_indices_batching_dims=(0,), slice_sizes=(1, 1, 2))],
        must_contain=("operand_batching_dims={0}", "start_indices_batching_dims={0}", "slice_sizes={1,1,2}"))

    r = _rng("gather_batching_dims_inner")
    add("gather_batching_dims_inner",
        "Explicit batching dims that are not leading: operand dim 1 batched with indices dim 1, a 2-wide window on operand dim 0, clamping of starts 5 and -3.",
        "lax.gather(x, starts, GatherDimensionNumbers(offset_dims=(2,), collapsed_slice_dims=(2,), "
        "start_index_map=(2,), operand_batching_dims=(1,), start_indices_batching_dims=(1,)), "
        "slice_sizes=(2, 1, 1), mode='clip')",
        lambda x, starts: lax.gather(x, starts, GDN(offset_dims=(2,), collapsed_slice_dims=(2,), start_index_map=(2,),
                                                    operand_batching_dims=(1,), start_indices_batching_dims=(1,)),
                                     (2, 1, 1), mode="clip"),
        [("x", normal(r, (4, 2, 5))), ("starts", np.array([[[0], [4]], [[5], [1]], [[-3], [2]]], np.int32))],
        {"gather": 1}, "clip",
        expect=lambda i, o: [np_gather(i["x"], i["starts"], offset_dims=(2,), collapsed_slice_dims=(2,),
                                       start_index_map=(2,), operand_batching_dims=(1,),
                                       start_indices_batching_dims=(1,), slice_sizes=(2, 1, 1))],
        must_contain=("operand_batching_dims={1}", "start_indices_batching_dims={1}", "slice_sizes={2,1,1}"))

    r = _rng("gather_sorted")
    add("gather_sorted",
        "jnp.take with indices_are_sorted=True (ids really sorted, with a repeat) and mode='clip': the HLO gather carries indices_are_sorted=true.",
        "jnp.take(table, ids, axis=0, mode='clip', indices_are_sorted=True)",
        lambda table, ids: jnp.take(table, ids, axis=0, mode="clip", indices_are_sorted=True),
        [("table", normal(r, (6, 3))), ("ids", s32(0, 1, 1, 3, 5))],
        {"gather": 1}, "clip",
        expect=lambda i, o: [take_rows(i["table"], i["ids"], mode="clip")],
        must_contain=("indices_are_sorted=true",))

    r = _rng("at_get_fill_value")
    add("at_get_fill_value",
        "x.at[idx].get(mode='fill', fill_value=-1.5): out-of-range rows take the given fill value instead of NaN.",
        "x.at[idx].get(mode='fill', fill_value=-1.5)",
        lambda x, idx: x.at[idx].get(mode="fill", fill_value=-1.5),
        [("x", normal(r, (4, 2))), ("idx", s32(3, 4, -1, -5, 0))],
        {"gather": 1}, "fill",
        expect=lambda i, o: [np.where(((wrap_negative(i["idx"], 4) < 0) | (wrap_negative(i["idx"], 4) > 3))[:, None],
                                      np.float32(-1.5), take_rows(i["x"], wrap_negative(i["idx"], 4), mode="clip"))],
        text_must_contain=("constant(-1.5)", "select("))

    # ------------------------------------------------------------ scatter
    scalar_dn = SDN(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))

    def at_model(combine, n, mode="drop"):
        def model(i, o):
            x = i["x"]
            idx = wrap_negative(i["idx"], n)
            return [np_scatter(x, idx[:, None], i["u"], combine, update_window_dims=(), inserted_window_dims=(0,),
                               scatter_dims_to_operand_dims=(0,))]
        return model

    add("scatter_add_duplicates",
        "x.at[idx].add(u) with duplicate indices whose f32 sum depends on the order (0.5 + 1e8 + 1 - 1e8, then + 0.1): pins the order XLA CPU applies duplicate updates in.",
        "x.at[idx].add(u)",
        lambda x, idx, u: x.at[idx].add(u),
        [("x", np.array([0.75, -1.25, 0.5, 3.0, 0.0, -2.625], np.float32)),
         ("idx", s32(2, 2, 2, 4, 4, 4, 0, 2, 1, 0)),
         ("u", np.array([1e8, 1.0, -1e8, 1.0, 1e8, -1e8, 0.3125, 0.1, -2.75, 1e-3], np.float32))],
        {"scatter": 1}, "drop (default of x.at[].add)",
        expect=at_model(c_add, 6), order_sensitive=True,
        must_contain=("update_window_dims={}", "inserted_window_dims={0}", "scatter_dims_to_operand_dims={0}"),
        text_must_contain=(" add(",))

    r = _rng("scatter_add_oob")
    add("scatter_add_oob",
        "x.at[idx].add(u) default mode: negative indices wrapped by a select (-1 -> 5, -7 -> -1), then the scatter skips the updates still out of range (6, 100, -1).",
        "x.at[idx].add(u)",
        lambda x, idx, u: x.at[idx].add(u),
        [("x", normal(r, (6,))), ("idx", s32(1, 6, -1, -7, 100, 3, 1)), ("u", normal(r, (7,)))],
        {"scatter": 1}, "drop (default of x.at[].add)",
        expect=at_model(c_add, 6),
        must_contain=("inserted_window_dims={0}",), text_must_contain=("select(",))

    oob_dn = SDN(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0, 1))
    r = _rng("scatter_window_oob")
    add("scatter_window_oob",
        "lax.scatter_add with 3-wide update windows and raw (unwrapped) indices: windows starting at (2,4) (partially out), (-1,0), (4,-1), (5,0) are skipped entirely, in-range windows overlap.",
        "lax.scatter_add(x, idx, u, ScatterDimensionNumbers(update_window_dims=(1,), inserted_window_dims=(0,), "
        "scatter_dims_to_operand_dims=(0, 1)))",
        lambda x, idx, u: lax.scatter_add(x, idx, u, oob_dn),
        [("x", normal(r, (5, 6))), ("idx", np.array([[1, 0], [2, 3], [2, 4], [-1, 0], [4, -1], [5, 0], [1, 2]], np.int32)),
         ("u", normal(r, (7, 3)))],
        {"scatter": 1}, "drop (default of lax.scatter_add)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"], i["u"], c_add, update_window_dims=(1,),
                                        inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0, 1))],
        must_contain=("update_window_dims={1}", "inserted_window_dims={0}", "scatter_dims_to_operand_dims={0,1}"))

    add("scatter_set_duplicates",
        "x.at[idx].set(u) with duplicate indices: which of the duplicate updates wins (the region returns its second parameter).",
        "x.at[idx].set(u)",
        lambda x, idx, u: x.at[idx].set(u),
        [("x", np.array([0.5, -1.5, 2.25, 3.125, -4.0], np.float32)),
         ("idx", s32(1, 3, 1, 1, 3, 0, -1)),
         ("u", np.array([10.5, 20.25, 11.5, 12.75, 21.125, -0.375, 7.0625], np.float32))],
        {"scatter": 1}, "drop (default of x.at[].set)",
        expect=at_model(c_set, 5), order_sensitive=True)

    add("scatter_max",
        "x.at[idx].max(u) with duplicates, a NaN update followed by a larger one, +0/-0 ties and -inf.",
        "x.at[idx].max(u)",
        lambda x, idx, u: x.at[idx].max(u),
        [("x", np.array([0.0, -0.0, 1.5, -2.75, np.nan, -np.inf], np.float32)),
         ("idx", s32(0, 1, 2, 2, 3, 3, 3, 4, 5, 5)),
         ("u", np.array([-0.0, 0.0, np.nan, 3.0, -3.5, -1.25, -2.5, 1.0, -np.inf, -7.125], np.float32))],
        {"scatter": 1}, "drop (default of x.at[].max)",
        expect=at_model(c_max, 6), text_must_contain=(" maximum(",))

    add("scatter_min",
        "x.at[idx].min(u) with duplicates, a NaN update followed by a smaller one, +0/-0 ties and +inf.",
        "x.at[idx].min(u)",
        lambda x, idx, u: x.at[idx].min(u),
        [("x", np.array([0.0, -0.0, 1.5, -2.75, np.nan, np.inf], np.float32)),
         ("idx", s32(0, 1, 2, 2, 3, 3, 3, 4, 5, 5)),
         ("u", np.array([-0.0, 0.0, np.nan, -3.0, -3.5, -1.25, -4.5, 1.0, np.inf, 7.125], np.float32))],
        {"scatter": 1}, "drop (default of x.at[].min)",
        expect=at_model(c_min, 6), text_must_contain=(" minimum(",))

    add("scatter_mul",
        "x.at[idx].mul(u) with duplicates whose f32 product rounds differently in different orders (x[1]=1.1 times 3.3, 0.7, 1.3, 0.9).",
        "x.at[idx].mul(u)",
        lambda x, idx, u: x.at[idx].mul(u),
        [("x", np.array([2.5, 1.1, -0.3, 1e30], np.float32)),
         ("idx", s32(1, 1, 1, 1, 3, 3, 0, 2)),
         ("u", np.array([3.3, 0.7, 1.3, 0.9, 1e10, 1e-10, -0.1, 7.7], np.float32))],
        {"scatter": 1}, "drop (default of x.at[].mul)",
        expect=at_model(c_mul, 4), order_sensitive=True, text_must_contain=(" multiply(",))

    r = _rng("scatter_sub")
    add("scatter_sub",
        "lax.scatter_sub (region subtract(old, update)) with a duplicate index, raw indices.",
        "lax.scatter_sub(x, idx[:, None], u, ScatterDimensionNumbers(update_window_dims=(), "
        "inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)))",
        lambda x, idx, u: lax.scatter_sub(x, idx[:, None], u, scalar_dn),
        [("x", normal(r, (5,))), ("idx", s32(4, 0, 4, 2)), ("u", normal(r, (4,)))],
        {"scatter": 1}, "drop (default of lax.scatter_sub)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"][:, None], i["u"], c_sub, update_window_dims=(),
                                        inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))],
        text_must_contain=(" subtract(",))

    r = _rng("scatter_unique_sorted")
    add("scatter_unique_sorted",
        "x.at[idx].set(u, indices_are_sorted=True, unique_indices=True) with really unique sorted indices: both flags appear on the HLO scatter.",
        "x.at[idx].set(u, indices_are_sorted=True, unique_indices=True)",
        lambda x, idx, u: x.at[idx].set(u, indices_are_sorted=True, unique_indices=True),
        [("x", normal(r, (7,))), ("idx", s32(0, 2, 3, 6)), ("u", normal(r, (4,)))],
        {"scatter": 1}, "drop (default of x.at[].set)",
        expect=at_model(c_set, 7),
        must_contain=("indices_are_sorted=true", "unique_indices=true"))

    r = _rng("scatter_apply")
    add("scatter_apply",
        "lax.scatter_apply with the combiner v -> v*1.5 + 0.25 (the region ignores the update) and a duplicate index: the function is applied once per update.",
        "lax.scatter_apply(x, idx[:, None], lambda v: v * 1.5 + 0.25, ScatterDimensionNumbers(update_window_dims=(), "
        "inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)), update_shape=(4,))",
        lambda x, idx: lax.scatter_apply(x, idx[:, None], lambda v: v * 1.5 + 0.25, scalar_dn, update_shape=(4,)),
        [("x", normal(r, (5,))), ("idx", s32(1, 3, 1, 7))],
        {"scatter": 1}, "drop (default of lax.scatter_apply)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"][:, None], np.zeros(4, np.float32),
                                        lambda a, b: a * np.float32(1.5) + np.float32(0.25), update_window_dims=(),
                                        inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))],
        text_must_contain=("constant(1.5)",))

    win_dn = SDN(update_window_dims=(0, 2), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(2, 0))
    r = _rng("scatter_window_permuted")
    add("scatter_window_permuted",
        "lax.scatter_add into f32[4,5,6] with update_window_dims={0,2} around the scatter dim, inserted_window_dims={0} and scatter_dims_to_operand_dims={2,0}; overlapping windows and out-of-range windows (skipped).",
        "lax.scatter_add(x, idx, u, ScatterDimensionNumbers(update_window_dims=(0, 2), inserted_window_dims=(0,), "
        "scatter_dims_to_operand_dims=(2, 0)))  # u: [5 (window on dim 1), 5 (scatter), 3 (window on dim 2)]",
        lambda x, idx, u: lax.scatter_add(x, idx, u, win_dn),
        [("x", normal(r, (4, 5, 6))), ("idx", np.array([[1, 0], [2, 0], [4, 3], [3, 3], [0, -1]], np.int32)),
         ("u", normal(r, (5, 5, 3)))],
        {"scatter": 1}, "drop (default of lax.scatter_add)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"], i["u"], c_add, update_window_dims=(0, 2),
                                        inserted_window_dims=(0,), scatter_dims_to_operand_dims=(2, 0))],
        must_contain=("update_window_dims={0,2}", "inserted_window_dims={0}", "scatter_dims_to_operand_dims={2,0}"))

    def clip_scatter_model(i, o):
        idx = np.stack([np.clip(i["idx"][:, 0], 0, 4), np.clip(i["idx"][:, 1], 0, 3)], -1).astype(np.int32)
        return [np_scatter(i["x"], idx, i["u"], c_set, update_window_dims=(1,), inserted_window_dims=(0,),
                           scatter_dims_to_operand_dims=(0, 1))]

    r = _rng("scatter_window_clip")
    add("scatter_window_clip",
        "lax.scatter with mode='clip': JAX clamps the indices in the HLO (clamp before the scatter) so a partially out-of-range 3-wide window is moved in range instead of skipped.",
        "lax.scatter(x, idx, u, ScatterDimensionNumbers(update_window_dims=(1,), inserted_window_dims=(0,), "
        "scatter_dims_to_operand_dims=(0, 1)), mode='clip')",
        lambda x, idx, u: lax.scatter(x, idx, u, oob_dn, mode="clip"),
        [("x", normal(r, (5, 6))), ("idx", np.array([[2, 4], [-1, 0], [7, 1], [0, 2]], np.int32)),
         ("u", normal(r, (4, 3)))],
        {"scatter": 1}, "clip",
        expect=clip_scatter_model,
        must_contain=("update_window_dims={1}",), text_must_contain=("clamp(",))

    r = _rng("scatter_batched_vmap")
    add("scatter_batched_vmap",
        "jax.vmap of x.at[i].add(u) lowers to a scatter with input_batching_dims={0}/scatter_indices_batching_dims={0}; duplicates and out-of-range indices per batch.",
        "jax.vmap(lambda x, i, u: x.at[i].add(u))(xs, ids, us)",
        lambda xs, ids, us: jax.vmap(lambda x, i, u: x.at[i].add(u))(xs, ids, us),
        [("xs", normal(r, (3, 5))), ("ids", np.array([[0, 0, 4, 5], [-1, 2, 2, 2], [3, 7, -6, 1]], np.int32)),
         ("us", normal(r, (3, 4)))],
        {"scatter": 1}, "drop (default of x.at[].add)",
        expect=lambda i, o: [np_scatter(i["xs"], wrap_negative(i["ids"], 5)[..., None], i["us"], c_add,
                                        update_window_dims=(), inserted_window_dims=(1,),
                                        scatter_dims_to_operand_dims=(1,), operand_batching_dims=(0,),
                                        scatter_indices_batching_dims=(0,))],
        must_contain=("input_batching_dims={0}", "scatter_indices_batching_dims={0}"))

    bdn = SDN(update_window_dims=(2,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,),
              operand_batching_dims=(1,), scatter_indices_batching_dims=(0,))
    r = _rng("scatter_batching_dims_inner")
    add("scatter_batching_dims_inner",
        "lax.scatter_add with a non-leading operand batching dim (operand dim 1 <-> indices dim 0), 3-wide windows on operand dim 2, duplicates and out-of-range rows.",
        "lax.scatter_add(x, idx, u, ScatterDimensionNumbers(update_window_dims=(2,), inserted_window_dims=(0,), "
        "scatter_dims_to_operand_dims=(0,), operand_batching_dims=(1,), scatter_indices_batching_dims=(0,)))",
        lambda x, idx, u: lax.scatter_add(x, idx, u, bdn),
        [("x", normal(r, (5, 2, 3))), ("idx", np.array([[[1], [1], [4], [5]], [[0], [-1], [3], [0]]], np.int32)),
         ("u", normal(r, (2, 4, 3)))],
        {"scatter": 1}, "drop (default of lax.scatter_add)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"], i["u"], c_add, update_window_dims=(2,),
                                        inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,),
                                        operand_batching_dims=(1,), scatter_indices_batching_dims=(0,))],
        must_contain=("input_batching_dims={1}", "scatter_indices_batching_dims={0}", "update_window_dims={2}"))

    sivd_dn = SDN(update_window_dims=(2,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0, 1))
    r = _rng("scatter_index_vector_dim_first")
    add("scatter_index_vector_dim_first",
        "scatter (add) with start indices s32[2,2,3] and index_vector_dim=0 (not last), 2-wide windows on operand dim 1; a duplicate pair (0,1) and two skipped windows: (4,0) out of range, (3,4) only partially.",
        "scatter_add_ivd_p.bind(x, idx, u, index_vector_dim=0, dnums=ScatterDimensionNumbers(update_window_dims=(2,), "
        "inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0, 1)))  # a primitive lowering to stablehlo.scatter",
        lambda x, idx, u: scatter_add_ivd_p.bind(x, idx, u, index_vector_dim=0, dnums=sivd_dn),
        [("x", normal(r, (4, 5))),
         # idx[0]: operand dim 0, idx[1]: operand dim 1; pairs (0,1) (3,3) (0,1) (2,0) (4,0) (3,4)
         ("idx", np.array([[[0, 3, 0], [2, 4, 3]], [[1, 3, 1], [0, 0, 4]]], np.int32)),
         ("u", normal(r, (2, 3, 2)))],
        {"scatter": 1}, "none (raw XLA scatter: skips)",
        expect=lambda i, o: [np_scatter(i["x"], i["idx"], i["u"], c_add, index_vector_dim=0,
                                        update_window_dims=(2,), inserted_window_dims=(0,),
                                        scatter_dims_to_operand_dims=(0, 1))],
        must_contain=("index_vector_dim=0", "update_window_dims={2}"))

    def grad_model(i, o):
        ids = wrap_negative(i["ids"], 6)
        return [np_scatter(np.zeros((6, 3), np.float32), ids[:, None], i["w"], c_add, update_window_dims=(1,),
                           inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))]

    r = _rng("grad_embedding")
    w = normal(r, (7, 3))
    # rows 0, 2, 5 of w all go to table row 1: in order 1 + 1e8 - 1e8 = 0 in f32, reversed 1
    w[[0, 2, 5], 0] = [1.0, 1e8, -1e8]
    add("grad_embedding",
        "jax.grad of an embedding-lookup loss: the transpose of jnp.take's gather is a scatter-add of w's rows into zeros, with duplicate ids (order-dependent 1 + 1e8 - 1e8), a wrapped -1 and a dropped out-of-range id.",
        "jax.grad(lambda t: jnp.sum(jnp.take(t, ids, axis=0) * w))(table)",
        lambda table, ids, w: jax.grad(lambda t: jnp.sum(jnp.take(t, ids, axis=0) * w))(table),
        [("table", normal(r, (6, 3))), ("ids", s32(1, 4, 1, -1, 7, 1, 0)), ("w", w)],
        {"gather": 1, "scatter": 1}, "fill (default of jnp.take; its transpose drops)",
        expect=grad_model, order_sensitive=True,
        must_contain=("update_window_dims={1}", "inserted_window_dims={0}"))

    r = _rng("grad_xent")

    def grad_xent(logits, labels):
        def loss(z):
            logp = jax.nn.log_softmax(z, axis=-1)
            return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=-1))
        return jax.grad(loss)(logits)

    add("grad_xent",
        "jax.grad of a mean cross-entropy loss built on take_along_axis: the gather's transpose is a batched scatter-add (input_batching_dims={0}) inside the softmax gradient.",
        "jax.grad(lambda z: -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(z, axis=-1), labels[:, None], axis=-1)))(logits)",
        grad_xent,
        [("logits", normal(r, (4, 6))), ("labels", s32(2, 5, 0, 2))],
        {"gather": 1, "scatter": 1}, "fill (default of jnp.take_along_axis; its transpose drops)",
        must_contain=("input_batching_dims={0}", "scatter_indices_batching_dims={0}"),
        no_model_reason="the output also depends on exp/log/divide as XLA CPU computes them")

    add("scatter_add_bf16",
        "bf16 x.at[idx].add(u) with duplicates: 256 + 1 + 1 - 256 is 0 in bf16 when applied in order (256 + 1 rounds back to 256) but 2 in another order.",
        "x.at[idx].add(u)",
        lambda x, idx, u: x.at[idx].add(u),
        [("x", np.array([0.0, 1.5, -0.75, 3.25], BF16)),
         ("idx", s32(0, 0, 0, 0, 2, 1, 2)),
         ("u", np.array([256.0, 1.0, 1.0, -256.0, 0.00390625, 100.5, 1000.0], BF16))],
        {"scatter": 1}, "drop (default of x.at[].add)",
        expect=at_model(c_add, 4), order_sensitive=True, must_contain=("bf16[4]",))

    add("scatter_add_s32",
        "Integer (s32) x.at[idx].add(u) with duplicates and two's-complement wrap-around (2147483600 + 100), and an out-of-range index.",
        "x.at[idx].add(u)",
        lambda x, idx, u: x.at[idx].add(u),
        [("x", np.array([2147483600, -5, 0, 7], np.int32)),
         ("idx", s32(0, 1, 1, 3, 4, 0)),
         ("u", np.array([100, 3, -8, -2147483648, 9, -200], np.int32))],
        {"scatter": 1}, "drop (default of x.at[].add)",
        expect=at_model(c_add, 4), must_contain=("s32[4]",))

    add("scatter_min_s32",
        "Integer (s32) x.at[idx].min(u) with duplicates, INT32_MIN and a wrapped negative index.",
        "x.at[idx].min(u)",
        lambda x, idx, u: x.at[idx].min(u),
        [("x", np.array([10, -5, 0, 7, 2147483647], np.int32)),
         ("idx", s32(0, 0, 4, 2, -1, 3)),
         ("u", np.array([3, 12, -2147483648, 1, 5, 8], np.int32))],
        {"scatter": 1}, "drop (default of x.at[].min)",
        expect=at_model(c_min, 5), must_contain=("s32[5]",))

    # ================================================================
    # Later cases: sort, top_k, reverse, opt-barrier, elementwise functions.
    # Each records every opcode of its module (hlo_opcodes) and the StableHLO
    # ops JAX lowered to; the sort cases also their comparator computations.
    # ================================================================
    SORTING = ("sort", "topk", "custom-call", "reverse", "opt-barrier", "gather", "scatter")

    def add2(name, about, expression, fn, inputs, ops, mode, expect=None, **kw):
        kw.setdefault("track", SORTING)
        add(name, about, expression, fn, inputs, ops, mode, expect, record_opcodes=True, **kw)

    nan, inf = np.nan, np.inf
    TOTALORDER_LT = ("direction=LT, type=TOTALORDER", "direction=NE", "constant(nan)")

    # ------------------------------------------------------------- sort
    # 24 values: two NaNs, -0/+0 interleaved (ties for the comparator), +-inf,
    # duplicates, the smallest subnormal and its negative, the largest finite.
    sort_1d = np.array([3.5, -0.0, nan, 0.0, -1.25, inf, 3.5, -inf, 0.0, -0.0, 1e-45, -1e-45,
                        2.0, nan, -1.25, F32_INFO.max, -7.0, 0.5, -0.0, 3.5, 1.0, -F32_INFO.max, 0.25, 2.0],
                       np.float32)
    add2("sort_f32_1d",
         "jnp.sort of f32[24] with two NaNs, -0/+0 interleaved, +-inf, subnormals and duplicates: NaNs last; -0, +0 and the subnormals +-0x1p-149 all tie (the comparator's x == 0 runs with DAZ on XLA CPU) and keep their input order (stable).",
         "jnp.sort(x)",
         lambda x: jnp.sort(x),
         [("x", sort_1d)],
         {"sort": 1}, "stable (jnp.sort), ascending",
         expect=lambda i, o: np_sort([i["x"]], dimension=0),
         must_contain=("dimensions={0}", "is_stable=true", "to_apply="), text_must_contain=TOTALORDER_LT)

    r = _rng("sort_f32_2d_axis0")
    x2 = normal(r, (6, 5))
    x2[[0, 3], 0] = [nan, -inf]
    x2[[1, 2, 4, 5], 1] = [0.0, -0.0, 0.0, -0.0]
    x2[[0, 2, 5], 2] = [inf, x2[1, 2], nan]
    x2[:, 3] = [1.5, -0.0, 1.5, nan, -2.0, 0.0]
    add2("sort_f32_2d_axis0",
         "jnp.sort(x, axis=0) of f32[6,5]: each column sorted independently (dimensions={0}), with NaN, +-inf, -0/+0 and duplicates in the columns.",
         "jnp.sort(x, axis=0)",
         lambda x: jnp.sort(x, axis=0),
         [("x", x2)],
         {"sort": 1}, "stable (jnp.sort), ascending",
         expect=lambda i, o: np_sort([i["x"]], dimension=0),
         must_contain=("f32[6,5]", "dimensions={0}", "is_stable=true"), text_must_contain=TOTALORDER_LT)

    r = _rng("sort_f32_2d_axis1")
    x3 = normal(r, (5, 6))
    x3[0] = [nan, -0.0, 0.0, -inf, nan, inf]
    x3[1, [1, 4]] = [0.0, -0.0]
    x3[2, [0, 3, 5]] = [2.5, 2.5, 2.5]
    x3[3, 2] = -1e-45
    add2("sort_f32_2d_axis1",
         "jnp.sort(x, axis=1) of f32[5,6] (the last axis, dimensions={1}): a row of NaN/-0/+0/+-inf, ties, a subnormal.",
         "jnp.sort(x, axis=1)",
         lambda x: jnp.sort(x, axis=1),
         [("x", x3)],
         {"sort": 1}, "stable (jnp.sort), ascending",
         expect=lambda i, o: np_sort([i["x"]], dimension=1),
         must_contain=("f32[5,6]", "dimensions={1}", "is_stable=true"), text_must_contain=TOTALORDER_LT)

    add2("sort_s32",
         "jnp.sort of s32[16] with INT32_MIN/INT32_MAX and duplicates: the comparator is a plain compare(..., direction=LT) (no TOTALORDER, no canonicalization).",
         "jnp.sort(x)",
         lambda x: jnp.sort(x),
         [("x", np.array([5, -3, 2147483647, 0, -2147483648, 5, 7, -1, 0, 2147483647, -3, 12, 1, -2147483648, 9, 5],
                         np.int32))],
         {"sort": 1}, "stable (jnp.sort), ascending",
         expect=lambda i, o: np_sort([i["x"]], dimension=0),
         must_contain=("s32[16]", "is_stable=true"), text_must_contain=("direction=LT",),
         text_must_not_contain=("TOTALORDER",))

    add2("sort_bf16",
         "jnp.sort of bf16[16] with NaN, -0/+0, +-inf, duplicates (256 and 257 are both 256 in bf16) and the bf16 subnormals +-0x1p-133: the same canonicalizing TOTALORDER comparator in bf16; the subnormals tie with the zeros too.",
         "jnp.sort(x)",
         lambda x: jnp.sort(x),
         [("x", np.array([1.5, -0.0, nan, 0.0, -inf, 256.0, 257.0, 2.0 ** -133, inf, 1.5, -0.0, 0.0078125, -3.0e38, nan,
                          -(2.0 ** -133), -2.0],
                         BF16))],
         {"sort": 1}, "stable (jnp.sort), ascending",
         expect=lambda i, o: np_sort([i["x"]], dimension=0),
         must_contain=("bf16[16]", "is_stable=true"), text_must_contain=("type=TOTALORDER", "bf16[] constant(nan)"))

    add2("argsort_f32",
         "jnp.argsort of the sort_f32_1d values: a two-operand sort of (x, iota) with is_stable=true, keys compared only; the indices of tied -0/+0 and of the two NaNs come out in input order.",
         "jnp.argsort(x)",
         lambda x: jnp.argsort(x),
         [("x", sort_1d)],
         {"sort": 1}, "stable (jnp.argsort), ascending",
         expect=lambda i, o: [np_argsort(i["x"])],
         must_contain=("(f32[24]{0}, s32[24]{0}) sort(", "is_stable=true"),
         text_must_contain=TOTALORDER_LT + ("iota(), iota_dimension=0",))

    r = _rng("argsort_f32_2d_axis0")
    x4 = np.round(normal(r, (5, 4)))  # small integers: many ties
    x4[[1, 3], 0] = [nan, nan]
    x4[[0, 2, 4], 1] = [-0.0, 0.0, -0.0]
    add2("argsort_f32_2d_axis0",
         "jnp.argsort(x, axis=0) of f32[5,4] rounded to integers (many ties), NaNs and -0/+0: a (x, iota along dim 0) sort with dimensions={0}.",
         "jnp.argsort(x, axis=0)",
         lambda x: jnp.argsort(x, axis=0),
         [("x", x4)],
         {"sort": 1}, "stable (jnp.argsort), ascending",
         expect=lambda i, o: [np_argsort(i["x"], axis=0)],
         must_contain=("dimensions={0}", "is_stable=true"), text_must_contain=("iota_dimension=0",))

    add2("sort_descending",
         "jnp.sort(x, descending=True) of the sort_f32_1d values: the ascending stable sort, then reverse (NaNs first, and tied -0/+0 in REVERSED input order).",
         "jnp.sort(x, descending=True)",
         lambda x: jnp.sort(x, descending=True),
         [("x", sort_1d)],
         {"sort": 1, "reverse": 1}, "stable (jnp.sort), descending",
         expect=lambda i, o: [np.flip(np_sort([i["x"]], dimension=0)[0])],
         must_contain=("is_stable=true", "reverse(sort"), text_must_contain=TOTALORDER_LT)

    add2("argsort_descending",
         "jnp.argsort(x, descending=True) of the sort_f32_1d values: x and the iota are reversed, sorted ascending (stable), and the indices reversed again, so tied elements keep their input order (unlike sort_descending).",
         "jnp.argsort(x, descending=True)",
         lambda x: jnp.argsort(x, descending=True),
         [("x", sort_1d)],
         {"sort": 1, "reverse": 3}, "stable (jnp.argsort), descending",
         expect=lambda i, o: [np_argsort(i["x"], descending=True)],
         must_contain=("is_stable=true", "dimensions={0}"), text_must_contain=TOTALORDER_LT)

    r = _rng("lax_sort_key_value_stable")
    kv_keys = np.array([2.0, -0.0, nan, 1.0, 0.0, 2.0, -inf, nan, 1.0, -0.0, 0.0, 2.0, inf, -1.5, 1.0, 0.0],
                       np.float32)
    add2("lax_sort_key_value_stable",
         "lax.sort((keys, values), num_keys=1, is_stable=True): f32 keys with ties (2.0 x3, 1.0 x3, four zeros of both signs, two NaNs), distinct f32 values carried along in input order among equal keys.",
         "lax.sort((keys, values), num_keys=1, is_stable=True)",
         lambda keys, values: lax.sort((keys, values), num_keys=1, is_stable=True),
         [("keys", kv_keys), ("values", normal(r, (16,)))],
         {"sort": 1}, "is_stable=True, num_keys=1",
         expect=lambda i, o: np_sort([i["keys"], i["values"]], dimension=0),
         must_contain=("(f32[16]{0}, f32[16]{0}) sort(", "is_stable=true"), text_must_contain=TOTALORDER_LT)

    r = _rng("lax_sort_key_value_unstable")
    uk = r.choice(np.array([-1.0, -0.0, 0.0, 0.5, 2.0, nan], np.float32), size=64)
    add2("lax_sort_key_value_unstable",
         "lax.sort((keys, values), num_keys=1, is_stable=False) on 64 keys drawn from {-1, -0, +0, 0.5, 2, NaN} with s32 values 0..63: no is_stable attribute; XLA CPU's tie order is not the input order (std::sort), only the sortedness and the pairing are checked.",
         "lax.sort((keys, values), num_keys=1, is_stable=False)",
         lambda keys, values: lax.sort((keys, values), num_keys=1, is_stable=False),
         [("keys", uk), ("values", np.arange(64, dtype=np.int32))],
         {"sort": 1}, "is_stable=False, num_keys=1",
         check=lambda i, o: check_unstable_sort(i["keys"], i["values"], o[0], o[1]),
         must_contain=("(f32[64]{0}, s32[64]{0}) sort(", "dimensions={0}"),
         text_must_contain=TOTALORDER_LT, text_must_not_contain=("is_stable",))

    r = _rng("lax_sort_two_keys")
    add2("lax_sort_two_keys",
         "lax.sort((k1, k2, values), num_keys=2) (stable by default): lexicographic comparator (lt(k1) or (eq(k1) and lt(k2)), both TOTALORDER), ties in k1 broken by k2 including NaN and -0/+0 in k2.",
         "lax.sort((k1, k2, values), num_keys=2)",
         lambda k1, k2, values: lax.sort((k1, k2, values), num_keys=2),
         [("k1", np.array([1.0, 0.0, 1.0, -0.0, 1.0, 2.0, 0.0, nan, 1.0, -0.0, nan, 2.0], np.float32)),
          ("k2", np.array([3.0, nan, -1.0, 0.5, nan, 0.0, 0.5, 1.0, -1.0, -0.0, 0.0, -0.0], np.float32)),
          ("values", np.arange(12, dtype=np.int32))],
         {"sort": 1}, "is_stable=True (default), num_keys=2",
         expect=lambda i, o: np_sort([i["k1"], i["k2"], i["values"]], dimension=0, num_keys=2),
         must_contain=("is_stable=true",),
         text_must_contain=("eq_to", "direction=EQ, type=TOTALORDER", "and(", "or("))

    # ------------------------------------------------------------- top_k
    topk_1d = np.array([1.0, -0.0, 2.5, 3.0, 0.0, 3.0, -inf, inf, 3.0, 1e-45, -0.0, 0.0, nan, -1e-45, 2.5, 3.0],
                       np.float32)
    topk_2d = np.array([[0.5, 2.0, -1.0, 2.0, 2.0, -3.0],
                        [-0.0, -1.0, 0.0, -0.0, 0.0, -2.0],
                        [1.0, nan, 4.0, inf, nan, 4.0],
                        [-inf, -5.0, -5.0, -inf, -6.0, -5.0]], np.float32)
    for k in (1, 3, 16):
        add2(f"top_k_f32_1d_k{k}",
             f"jax.lax.top_k(x, {k}) of f32[16] with one NaN (at index 12), +inf, 3.0 four times, 2.5 twice, -0/+0 twice each, +-0x1p-149: the before-optimizations HLO has a topk opcode (k={k}, largest=true); NaN is the largest, ties come out in index order.",
             f"jax.lax.top_k(x, {k})",
             lambda x, k=k: lax.top_k(x, k),
             [("x", topk_1d)],
             {"topk": 1}, f"k={k}",
             expect=lambda i, o, k=k: np_top_k(i["x"], k),
             must_contain=(f"k={k}", "largest=true", f"(f32[{k}]{{0}}, s32[{k}]{{0}}) topk("))

    for k in (1, 3):
        add2(f"top_k_f32_2d_k{k}",
             f"jax.lax.top_k(x, {k}) of f32[4,6] (along the last axis, per row): ties of 2.0 and -5.0, a row of -0/+0 (+0 ranks above -0), a row with NaN, inf and a tied 4.0, a row with -inf.",
             f"jax.lax.top_k(x, {k})",
             lambda x, k=k: lax.top_k(x, k),
             [("x", topk_2d)],
             {"topk": 1}, f"k={k}",
             expect=lambda i, o, k=k: np_top_k(i["x"], k),
             must_contain=(f"k={k}", "largest=true", f"(f32[4,{k}]{{1,0}}, s32[4,{k}]{{1,0}}) topk("))

    # ------------------------------------------------------------- reverse
    r = _rng("reverse_one_axis")
    add2("reverse_one_axis",
         "jnp.flip(x, axis=1) of f32[3,4,5]: reverse with dimensions={1} (inside the _flip call).",
         "jnp.flip(x, axis=1)",
         lambda x: jnp.flip(x, axis=1),
         [("x", normal(r, (3, 4, 5)))],
         {"reverse": 1}, "dimensions={1}",
         expect=lambda i, o: [np.flip(i["x"], 1)],
         must_contain=("dimensions={1}", "f32[3,4,5]"))

    r = _rng("reverse_two_axes")
    add2("reverse_two_axes",
         "jnp.flip(x, axis=(0, 2)) of s32[3,4,5]: one reverse with dimensions={0,2}.",
         "jnp.flip(x, axis=(0, 2))",
         lambda x: jnp.flip(x, axis=(0, 2)),
         [("x", r.integers(-1000, 1000, (3, 4, 5)).astype(np.int32))],
         {"reverse": 1}, "dimensions={0,2}",
         expect=lambda i, o: [np.flip(i["x"], (0, 2))],
         must_contain=("dimensions={0,2}", "s32[3,4,5]"))

    # ------------------------------------------------------------- opt-barrier
    r = _rng("optimization_barrier")
    add2("optimization_barrier",
         "jax.lax.optimization_barrier((x, n)) on an f32[2,3] and an s32[4]: a tuple, one opt-barrier of the tuple, get-tuple-elements; the values pass through unchanged.",
         "jax.lax.optimization_barrier((x, n))",
         lambda x, n: lax.optimization_barrier((x, n)),
         [("x", normal(r, (2, 3))), ("n", s32(7, -1, 2147483647, 0))],
         {"opt-barrier": 1}, "-",
         expect=lambda i, o: [i["x"], i["n"]],
         must_contain=("(f32[2,3]{1,0}, s32[4]{0}) opt-barrier(",))

    # ------------------------------------------------------------- elementwise
    def nb(v, dtype):  # next value below / above, in dtype
        return np.nextafter(dtype(v), dtype(-inf))

    def na(v, dtype):
        return np.nextafter(dtype(v), dtype(inf))

    def domain(name, dtype, specials, uniform=None, logmag=None, n=64):
        """The specials (deduplicated bitwise, in order), then random fill: uniform(lo, hi), and
        +-10**uniform(a, b) when logmag=(a, b, signed)."""
        rng = _rng(name)
        out, seen = [], set()
        for v in specials:
            v = dtype(v)
            key = v.tobytes()
            if key not in seen:
                seen.add(key)
                out.append(v)
        assert len(out) <= n, (name, len(out))
        rest = n - len(out)
        n_log = rest // 2 if logmag else 0
        if uniform:
            out += list(rng.uniform(uniform[0], uniform[1], rest - n_log).astype(dtype))
        else:
            n_log = rest
        if logmag:
            a, b, signed = logmag
            mag = 10.0 ** rng.uniform(a, b, n_log)
            sign = rng.choice([-1.0, 1.0], n_log) if signed else np.ones(n_log)
            out += list((sign * mag).astype(dtype))
        return np.array(out, dtype)

    def common(dtype):
        fi = np.finfo(dtype)
        return [0.0, -0.0, 1.0, -1.0, fi.smallest_subnormal, -fi.smallest_subnormal, fi.tiny, -fi.tiny,
                fi.max, -fi.max, inf, -inf, nan]

    def elementwise(fn_name, jfn, expression, about, specials, dtype, **kw):
        tag = "f32" if dtype == np.float32 else "f64"
        name = f"{fn_name}_{tag}"
        x = domain(name, dtype, specials(dtype), **kw)
        add2(name, about + f" ({tag}[{x.size}]" + (", x64)." if dtype == np.float64 else ")."),
             expression, jfn, [("x", x)], None, "-",
             no_model_reason="the values depend on how XLA CPU computes the expanded arithmetic "
                             "(recorded as computed)",
             track=None, x64=(dtype == np.float64))

    def trig_specials(dtype):
        return common(dtype) + [0.5, -0.5, 2.0, -2.0, 1e10, -1e10, 1e-10, -1e-10, 1e-30, 3.0, -3.0]

    def hyp_specials(dtype):
        # f32: exp overflows above ~88.72, sinh/cosh above ~89.42; f64: ~709.78 / ~710.48
        big = [88.72, 89.41, 89.42, 90.0] if dtype == np.float32 else [709.78, 710.47, 710.48, 711.0]
        return common(dtype) + big + [-v for v in big] + [
            nb(1.0, dtype), -nb(1.0, dtype), 1e-4, -1e-4, 1e-8, 0.5, -0.5, 2.0, -2.0, 20.0, -20.0]

    def unit_specials(dtype):  # arcsin, arccos, arctanh: domain [-1, 1]
        fi = np.finfo(dtype)
        return [0.0, -0.0, 1.0, -1.0, nb(1.0, dtype), -nb(1.0, dtype), na(1.0, dtype), -na(1.0, dtype),
                0.5, -0.5, fi.smallest_subnormal, -fi.smallest_subnormal, fi.tiny, 1e-8, -1e-8, 0.70710677,
                -0.70710677, 0.99999, -0.99999, 2.0, -2.0, 1e10, fi.max, -fi.max, inf, -inf, nan]

    def asinh_specials(dtype):
        # the expansion switches to log(|x|) + log(2) at |x| >= sqrt(max): 2**64 (f32), 2**512 (f64)
        t = 2.0 ** 64 if dtype == np.float32 else 2.0 ** 512
        return common(dtype) + [t, -t, nb(t, dtype), -nb(t, dtype), 0.5, -0.5, 2.0, -2.0, 1e-20, 1e20]

    def acosh_specials(dtype):
        # log(x) + log(2) for x >= max/2: 2**127 (f32), 2**1023 (f64)
        fi = np.finfo(dtype)
        t = 2.0 ** 127 if dtype == np.float32 else 2.0 ** 1023
        return [1.0, na(1.0, dtype), 1.0000001, 1.5, 2.0, 10.0, 1e10, t, nb(t, dtype), fi.max, inf,
                nb(1.0, dtype), 0.5, 0.0, -0.0, -1.0, -2.0, -inf, nan, fi.smallest_subnormal]

    def round_specials(dtype):
        fi = np.finfo(dtype)
        m = 2.0 ** (fi.nmant)  # from here on every value is an integer
        halves = [0.5, 1.5, 2.5, 3.5, 4.5, -0.5, -1.5, -2.5, -3.5, 1e6 + 0.5, m / 2 - 0.5]
        return [0.0, -0.0, 0.4, -0.4, nb(0.5, dtype), -nb(0.5, dtype), na(0.5, dtype), -na(0.5, dtype),
                nb(1.5, dtype), na(2.5, dtype), -na(2.5, dtype), m - 0.5, -(m - 0.5), m - 1.5,
                m, m + 1, 2 * m + 2, -(m + 1), 1e30, -1e30, fi.max, -fi.max, fi.smallest_subnormal,
                -fi.smallest_subnormal, inf, -inf, nan, 1.0, -1.0] + halves + [-h for h in halves[-2:]]

    def round_inputs(name, dtype):
        """round_specials, 8 random halfway points k + 0.5, then random values in (-100, 100)."""
        halves = (_rng(name + "/halves").integers(-40, 40, 8) + 0.5).tolist()
        return domain(name, dtype, round_specials(dtype) + halves, uniform=(-100.0, 100.0))

    for dtype in (np.float32, np.float64):
        f64 = dtype == np.float64
        elementwise("arctan", lambda x: jnp.arctan(x), "jnp.arctan(x)",
                    "jnp.arctan (chlo.atan): expanded to atan2(x, 1)",
                    trig_specials, dtype, uniform=(-10.0, 10.0), logmag=(-8, 30, True))
        elementwise("sinh", lambda x: jnp.sinh(x), "jnp.sinh(x)",
                    "jnp.sinh (chlo.sinh): expanded to a select between (e + e/(e+1))/2 with e = expm1(x) for |x| < 1 and exp(x - log 2) - exp(-x - log 2)",
                    hyp_specials, dtype, uniform=(-20.0, 20.0), logmag=(-8, 2.9, True))
        elementwise("cosh", lambda x: jnp.cosh(x), "jnp.cosh(x)",
                    "jnp.cosh (chlo.cosh): expanded to exp(x - log 2) + exp(-x - log 2)",
                    hyp_specials, dtype, uniform=(-20.0, 20.0), logmag=(-8, 2.9, True))
        elementwise("arcsin", lambda x: jnp.arcsin(x), "jnp.arcsin(x)",
                    "jnp.arcsin (chlo.asin): expanded to 2 * atan2(x, 1 + sqrt((1 - x) * (1 + x))); |x| > 1 gives NaN",
                    unit_specials, dtype, uniform=(-1.0, 1.0))
        if not f64:
            elementwise("arccos", lambda x: jnp.arccos(x), "jnp.arccos(x)",
                        "jnp.arccos (chlo.acos): expanded to atan2(sqrt((1 - x) * (1 + x)), x); |x| > 1 gives NaN",
                        unit_specials, dtype, uniform=(-1.0, 1.0))
            elementwise("arcsinh", lambda x: jnp.arcsinh(x), "jnp.arcsinh(x)",
                        "jnp.arcsinh (chlo.asinh): expanded to sign(x) * (|x| >= sqrt(max) ? log|x| + log 2 : log1p(|x| + x^2 / (sqrt(x^2 + 1) + 1)))",
                        asinh_specials, dtype, uniform=(-10.0, 10.0), logmag=(-10, 38, True))
        elementwise("arccosh", lambda x: jnp.arccosh(x), "jnp.arccosh(x)",
                    "jnp.arccosh (chlo.acosh, inside a call): expanded to x >= max/2 ? log x + log 2 : log1p(sqrt(x - 1) * (sqrt(x + 1) + sqrt(x - 1))); x < 1 gives NaN",
                    acosh_specials, dtype, uniform=(1.0, 20.0), logmag=(0, 300 if f64 else 38, False))
        if not f64:
            elementwise("arctanh", lambda x: jnp.arctanh(x), "jnp.arctanh(x)",
                        "jnp.arctanh (chlo.atanh): expanded to |x| > 1 ? NaN : (log1p(x) - log1p(-x)) / 2; +-1 give +-inf",
                        unit_specials, dtype, uniform=(-1.0, 1.0))
        name = "round_f64" if f64 else "round_f32"
        add2(name,
             "jnp.round(x) (round half to even, stablehlo.round_nearest_even, inside a call): halfway values "
             "+-0.5 ... 4.5, values one ulp off 0.5 and 2.5, 2**(p-1) - 0.5 .. 2**p + 1, -0.4 (-> -0), +-inf, NaN"
             + (" (f64[64], x64)." if f64 else " (f32[64])."),
             "jnp.round(x)", lambda x: jnp.round(x),
             [("x", round_inputs(name, dtype))], None, "half to even",
             expect=lambda i, o: [round_half_even(i["x"])], track=None, x64=f64)
        name = "round_afz_f64" if f64 else "round_afz_f32"
        add2(name,
             "jax.lax.round(x, RoundingMethod.AWAY_FROM_ZERO) (round-nearest-afz): the same inputs' kind as "
             "round_*: halfway values go away from zero (2.5 -> 3, -0.5 -> -1), the largest value below 0.5 goes to 0 "
             "(not 1, as floor(x + 0.5) would give), -0.4 -> -0"
             + (" (f64[64], x64)." if f64 else " (f32[64])."),
             "jax.lax.round(x, jax.lax.RoundingMethod.AWAY_FROM_ZERO)",
             lambda x: lax.round(x, lax.RoundingMethod.AWAY_FROM_ZERO),
             [("x", round_inputs(name, dtype))], None, "away from zero",
             expect=lambda i, o: [round_afz(i["x"])], track=None, x64=f64)

    cases += build_convolution_cases()
    cases += build_window_cases()
    cases.extend(build_dtype_cases())
    return cases


def build_convolution_cases() -> list[Case]:
    """XLA `convolution` through jax.lax.conv_general_dilated, conv_transpose, grads and flax.linen.Conv.

    Each case also stores reference_f64.json: the same function run by JAX in
    f64 (x64) on the same input values, the value the MPFR truth should be near.
    """
    import flax.linen as nn

    cases: list[Case] = []
    f64 = lambda a: np.asarray(a, np.float64) if jnp.issubdtype(a.dtype, jnp.floating) else a  # noqa: E731

    def add(name, about, expression, fn, inputs, count=1, ref=None, must=(), **kw):
        cases.append(Case(name, about, expression, named(name, fn), OrderedDict(inputs), {"convolution": count},
                          "n/a", track=("convolution",), must_contain=must, record_opcodes=True,
                          no_model_reason="summation order of XLA CPU's convolution (Eigen or its own loops)",
                          reference_f64=lambda i, fn=(ref or fn): fn(*[f64(a) for a in i.values()]), **kw))

    def conv(dn, strides, padding, lhs_dilation=None, rhs_dilation=None, groups=1, batch_groups=1, pet=None):
        return lambda x, w: lax.conv_general_dilated(
            x, w, strides, padding, lhs_dilation=lhs_dilation, rhs_dilation=rhs_dilation, dimension_numbers=dn,
            feature_group_count=groups, batch_group_count=batch_groups, preferred_element_type=pet,
            precision=lax.Precision.HIGHEST)

    r = _rng("conv_nhwc_hwio_f32")
    add("conv_nhwc_hwio_f32",
        "2-D NHWC x HWIO conv, stride 2x1, explicit padding (1,1),(0,2), rhs dilation 1x2 (f32[2,7,6,3] * f32[3,3,3,4]).",
        "lax.conv_general_dilated(x, w, (2, 1), ((1, 1), (0, 2)), rhs_dilation=(1, 2), dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
        conv(("NHWC", "HWIO", "NHWC"), (2, 1), ((1, 1), (0, 2)), rhs_dilation=(1, 2)),
        [("x", normal(r, (2, 7, 6, 3))), ("w", normal(r, (3, 3, 3, 4)))],
        must=("dim_labels=b01f_01io->b01f", "stride=2x1", "pad=1_1x0_2", "rhs_dilate=1x2"))
    r = _rng("conv_nchw_oihw_same_f32")
    add("conv_nchw_oihw_same_f32",
        "2-D NCHW x OIHW conv, stride 2, SAME padding (f32[2,3,8,8] * f32[5,3,3,3]).",
        "lax.conv_general_dilated(x, w, (2, 2), 'SAME', dimension_numbers=('NCHW', 'OIHW', 'NCHW'))",
        conv(("NCHW", "OIHW", "NCHW"), (2, 2), "SAME"),
        [("x", normal(r, (2, 3, 8, 8))), ("w", normal(r, (5, 3, 3, 3)))], must=("dim_labels=bf01_oi01->bf01",))
    r = _rng("conv_1d_valid_f32")
    add("conv_1d_valid_f32",
        "1-D NWC x WIO conv, stride 3, VALID padding (f32[2,20,3] * f32[4,3,2]).",
        "lax.conv_general_dilated(x, w, (3,), 'VALID', dimension_numbers=('NWC', 'WIO', 'NWC'))",
        conv(("NWC", "WIO", "NWC"), (3,), "VALID"),
        [("x", normal(r, (2, 20, 3))), ("w", normal(r, (4, 3, 2)))], must=("dim_labels=b0f_0io->b0f",))
    r = _rng("conv_negative_padding_f32")
    add("conv_negative_padding_f32",
        "2-D conv with negative (cropping) padding (-1,2),(1,-2) and an unusual output layout NCHW from NHWC x HWIO.",
        "lax.conv_general_dilated(x, w, (1, 1), ((-1, 2), (1, -2)), dimension_numbers=('NHWC', 'HWIO', 'NCHW'))",
        conv(("NHWC", "HWIO", "NCHW"), (1, 1), ((-1, 2), (1, -2))),
        [("x", normal(r, (1, 6, 7, 2))), ("w", normal(r, (2, 3, 2, 3)))], must=("pad=-1_2x1_-2",))
    r = _rng("conv_transpose_f32")
    add("conv_transpose_f32",
        "Transposed conv (lax.conv_transpose, stride 2, SAME): an lhs-dilated convolution (f32[1,5,4,3] * f32[3,3,3,2]).",
        "lax.conv_transpose(x, w, (2, 2), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
        lambda x, w: lax.conv_transpose(x, w, (2, 2), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"),
                                        precision=lax.Precision.HIGHEST),
        [("x", normal(r, (1, 5, 4, 3))), ("w", normal(r, (3, 3, 3, 2)))], must=("lhs_dilate=2x2",))
    r = _rng("conv_dilated_f32")
    add("conv_dilated_f32",
        "2-D conv with lhs dilation 2x3, rhs dilation 2x1, stride 1x2 and padding (2,1),(0,3) (f32[2,4,5,2] * f32[2,3,2,3]).",
        "lax.conv_general_dilated(x, w, (1, 2), ((2, 1), (0, 3)), lhs_dilation=(2, 3), rhs_dilation=(2, 1), dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
        conv(("NHWC", "HWIO", "NHWC"), (1, 2), ((2, 1), (0, 3)), lhs_dilation=(2, 3), rhs_dilation=(2, 1)),
        [("x", normal(r, (2, 4, 5, 2))), ("w", normal(r, (2, 3, 2, 3)))], must=("lhs_dilate=2x3", "rhs_dilate=2x1"))
    r = _rng("conv_depthwise_f32")
    add("conv_depthwise_f32",
        "Depthwise 2-D conv: feature_group_count = 4 input channels, 2 outputs per channel (f32[2,6,6,4] * f32[3,3,1,8]).",
        "lax.conv_general_dilated(x, w, (1, 1), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'), feature_group_count=4)",
        conv(("NHWC", "HWIO", "NHWC"), (1, 1), "SAME", groups=4),
        [("x", normal(r, (2, 6, 6, 4))), ("w", normal(r, (3, 3, 1, 8)))], must=("feature_group_count=4",))
    r = _rng("conv_grouped_nchw_f32")
    add("conv_grouped_nchw_f32",
        "Grouped NCHW conv, feature_group_count=2, 3 input and 2 output features per group (f32[2,6,5,5] * f32[4,3,3,2]).",
        "lax.conv_general_dilated(x, w, (1, 1), 'VALID', dimension_numbers=('NCHW', 'OIHW', 'NCHW'), feature_group_count=2)",
        conv(("NCHW", "OIHW", "NCHW"), (1, 1), "VALID", groups=2),
        [("x", normal(r, (2, 6, 5, 5))), ("w", normal(r, (4, 3, 3, 2)))], must=("feature_group_count=2",))
    r = _rng("conv_batch_group_f32")
    add("conv_batch_group_f32",
        "batch_group_count=2 directly: the batch of 4 split in two groups, each producing 3 of the 6 output features.",
        "lax.conv_general_dilated(x, w, (1, 1), 'VALID', dimension_numbers=('NHWC', 'HWIO', 'NHWC'), batch_group_count=2)",
        conv(("NHWC", "HWIO", "NHWC"), (1, 1), "VALID", batch_groups=2),
        [("x", normal(r, (4, 5, 5, 2))), ("w", normal(r, (2, 2, 2, 6)))], must=("batch_group_count=2",))
    r = _rng("conv_grouped_grad_kernel_f32")
    grouped = conv(("NHWC", "HWIO", "NHWC"), (1, 1), "SAME", groups=2)
    add("conv_grouped_grad_kernel_f32",
        "jax.grad of a grouped conv (feature_group_count=2) w.r.t. the kernel: a convolution with batch_group_count=2.",
        "jax.grad(lambda w, x: jnp.sum(conv(x, w, groups=2) ** 2))(w, x)",
        lambda w, x: jax.grad(lambda w, x: jnp.sum(grouped(x, w) ** 2))(w, x),
        [("w", normal(r, (3, 3, 2, 4), scale=0.5)), ("x", normal(r, (2, 5, 5, 4)))], count=2,
        must=("batch_group_count=2",))
    r = _rng("conv_3d_f32")
    add("conv_3d_f32",
        "3-D NDHWC x DHWIO conv, stride 1x2x1, padding (1,0),(1,1),(0,1) (f32[1,4,5,4,2] * f32[2,3,2,2,3]).",
        "lax.conv_general_dilated(x, w, (1, 2, 1), ((1, 0), (1, 1), (0, 1)), dimension_numbers=('NDHWC', 'DHWIO', 'NDHWC'))",
        conv(("NDHWC", "DHWIO", "NDHWC"), (1, 2, 1), ((1, 0), (1, 1), (0, 1))),
        [("x", normal(r, (1, 4, 5, 4, 2))), ("w", normal(r, (2, 3, 2, 2, 3)))], must=("dim_labels=b012f_012io->b012f",))
    r = _rng("conv_0d_f32")
    add("conv_0d_f32",
        "A convolution with no spatial dimensions (a matrix product written as a conv: f32[3,5] * f32[4,5]).",
        "lax.conv_general_dilated(x, w, (), [], dimension_numbers=('NC', 'OI', 'NC'))",
        conv(("NC", "OI", "NC"), (), []),
        [("x", normal(r, (3, 5))), ("w", normal(r, (4, 5)))], must=("dim_labels=bf_oi->bf",))
    r = _rng("conv_wide_f32")
    add("conv_wide_f32",
        "A long sum: 32 input features x 3x3 window = 288 products per output (f32[1,6,6,32] * f32[3,3,32,4]).",
        "lax.conv_general_dilated(x, w, (1, 1), 'VALID', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
        conv(("NHWC", "HWIO", "NHWC"), (1, 1), "VALID"),
        [("x", normal(r, (1, 6, 6, 32))), ("w", normal(r, (3, 3, 32, 4)))])
    for dt, tag in ((jnp.bfloat16, "bf16"), (np.float16, "f16")):
        name = f"conv_{tag}"
        r = _rng(name)
        add(name,
            f"2-D NHWC conv of {tag} operands with a {tag} result, stride 1, SAME (48 products per output).",
            "lax.conv_general_dilated(x, w, (1, 1), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
            conv(("NHWC", "HWIO", "NHWC"), (1, 1), "SAME"),
            [("x", normal(r, (2, 5, 5, 12)).astype(dt)), ("w", normal(r, (2, 2, 12, 3)).astype(dt))])
        name = f"conv_{tag}_preferred_f32"
        r = _rng(name)
        add(name,
            f"{tag} operands with preferred_element_type=f32: an f32 convolution result from {tag} inputs.",
            "lax.conv_general_dilated(x, w, (2, 1), 'VALID', dimension_numbers=('NHWC', 'HWIO', 'NHWC'), preferred_element_type=jnp.float32)",
            conv(("NHWC", "HWIO", "NHWC"), (2, 1), "VALID", pet=jnp.float32),
            [("x", normal(r, (2, 6, 5, 8)).astype(dt)), ("w", normal(r, (3, 2, 8, 3)).astype(dt))],
            ref=conv(("NHWC", "HWIO", "NHWC"), (2, 1), "VALID"))
    r = _rng("conv_s32")
    add("conv_s32",
        "An integer (s32) convolution: exact, wrapping in 32 bits (values up to +-1000, stride 2, SAME).",
        "lax.conv_general_dilated(x, w, (2, 2), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))",
        lambda x, w: lax.conv_general_dilated(x, w, (2, 2), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")),
        [("x", r.integers(-1000, 1000, (1, 5, 5, 2)).astype(np.int32)),
         ("w", r.integers(-1000, 1000, (3, 3, 2, 2)).astype(np.int32))])

    model = nn.Conv(features=4, kernel_size=(3, 3), strides=(2, 2), padding="SAME", precision=lax.Precision.HIGHEST)
    r = _rng("flax_conv")
    add("flax_conv",
        "flax.linen.Conv(features=4, kernel_size=(3, 3), strides=2, padding='SAME') forward, with its bias add.",
        "nn.Conv(4, (3, 3), strides=2, padding='SAME').apply({'params': {'kernel': k, 'bias': b}}, x)",
        lambda x, k, b: model.apply({"params": {"kernel": k, "bias": b}}, x),
        [("x", normal(r, (2, 7, 7, 3))), ("k", normal(r, (3, 3, 3, 4), scale=0.5)), ("b", normal(r, (4,)))])
    r = _rng("flax_conv_grad")

    def loss(params, x):
        return jnp.sum(jnp.tanh(model.apply({"params": params}, x)) ** 2)

    add("flax_conv_grad",
        "jax.grad of sum(tanh(flax Conv(x))**2) w.r.t. kernel, bias and input: the kernel and input gradients are convolutions.",
        "jax.grad(loss, argnums=(0, 1))({'kernel': k, 'bias': b}, x)",
        lambda x, k, b: jax.grad(loss, argnums=(0, 1))({"kernel": k, "bias": b}, x),
        [("x", normal(r, (2, 7, 7, 3))), ("k", normal(r, (3, 3, 3, 4), scale=0.5)), ("b", normal(r, (4,)))],
        count=3)
    return cases


# ---------------------------------------------------------------------------
# Window family and the remaining value-computing opcodes (build_window_cases)
# ---------------------------------------------------------------------------

WINDOW_OPS = ("reduce-window", "select-and-scatter", "map", "mulhi", "batch-norm-inference",
              "batch-norm-training", "batch-norm-grad")


def xla_cpu_run_hlo(text, args):
    """Compiles a hand-written HLO module on XLA CPU and runs it: HLO text -> HloModule proto ->
    StableHLO (jaxlib's own converter) -> the CPU client. Uses jax internals (0.10.2)."""
    from jax._src import compiler, xla_bridge
    from jax._src.interpreters import mlir as jax_mlir
    from jax._src.lib import _jax, xla_client
    proto = xla_client.hlo.hlo_module_from_text(text).as_serialized_hlo_module_proto()
    stablehlo = _jax.mlir.hlo_to_stablehlo(proto)
    backend = xla_bridge.get_backend("cpu")
    with jax_mlir.make_ir_context():
        module = ir.Module.parse(stablehlo)
        devices = xla_client.DeviceList(tuple(backend.local_devices()[:1]))
        executable = compiler.backend_compile_and_load(backend, module, devices, xla_client.CompileOptions(), [])
    return [np.asarray(o) for o in executable.execute([jax.device_put(a) for a in args])]


def _window_positions(shape, window, strides, pad, base_dil, win_dil):
    """XLA's window output shape and, per output index, the operand indices its window covers in row-major
    window order (padding and base-dilation holes left out, as XLA CPU skips them)."""
    rank = len(shape)
    out = []
    for d in range(rank):
        dilated = (shape[d] - 1) * base_dil[d] + 1 if shape[d] else 0
        padded = dilated + pad[d][0] + pad[d][1]
        w = (window[d] - 1) * win_dil[d] + 1
        out.append(0 if padded < w else (padded - w) // strides[d] + 1)
    result = {}
    for o in np.ndindex(*out):
        covered = []
        for k in np.ndindex(*window):
            idx = []
            for d in range(rank):
                p = o[d] * strides[d] + k[d] * win_dil[d] - pad[d][0]
                if p < 0 or p % base_dil[d] or p // base_dil[d] >= shape[d]:
                    break
                idx.append(p // base_dil[d])
            else:
                covered.append(tuple(idx))
        result[o] = covered
    return tuple(out), result


def np_reduce_window(xs, inits, fn, window, strides=None, pad=None, base_dil=None, win_dil=None):
    """XLA CPU's reduce-window: per output, the init values, then fn(acc..., x...) over the window's operand
    elements in row-major window order, one rounding per step (numpy scalars of the dtype)."""
    xs = [np.asarray(x) for x in xs]
    rank = xs[0].ndim
    strides = strides or (1,) * rank
    pad = pad or ((0, 0),) * rank
    base_dil = base_dil or (1,) * rank
    win_dil = win_dil or (1,) * rank
    shape, positions = _window_positions(xs[0].shape, window, strides, pad, base_dil, win_dil)
    outs = [np.zeros(shape, x.dtype) for x in xs]
    for o, covered in positions.items():
        acc = tuple(x.dtype.type(v) for x, v in zip(xs, inits))
        for idx in covered:
            step = fn(*acc, *(x[idx] for x in xs))
            acc = step if isinstance(step, tuple) else (step,)
        for out, a in zip(outs, acc):
            out[o] = a
    return outs


def np_select_and_scatter(x, source, init, select, scatter, window, strides=None, pad=None):
    """XLA CPU's select-and-scatter: for each source element (row-major) the first in-bounds window element
    is selected, each later one replaces it when select(selected, current) is false; then
    out[selected] = scatter(out[selected], source)."""
    rank = x.ndim
    strides = strides or (1,) * rank
    pad = pad or ((0, 0),) * rank
    shape, positions = _window_positions(x.shape, window, strides, pad, (1,) * rank, (1,) * rank)
    assert shape == source.shape, (shape, source.shape)
    out = np.full(x.shape, init, x.dtype)
    for o, covered in positions.items():
        chosen = None
        for idx in covered:
            if chosen is None or not select(x[chosen], x[idx]):
                chosen = idx
        if chosen is not None:
            out[chosen] = scatter(out[chosen], source[o])
    return out


def np_batch_norm(kind, operands, epsilon, feature_index):
    """XLA's BatchNormExpander formulas in the operand's dtype, one rounding per op, sums sequential."""
    x = operands[0]
    t = x.dtype.type
    axes = tuple(d for d in range(x.ndim) if d != feature_index)
    n = t(np.prod([x.shape[d] for d in axes]))
    eps = t(np.float32(epsilon))

    def per_feature(v):  # feature vector -> broadcastable against x
        shape = [1] * x.ndim
        shape[feature_index] = -1
        return v.reshape(shape)

    def seq_sum(a):
        moved = np.moveaxis(a, feature_index, 0).reshape(a.shape[feature_index], -1)
        out = np.zeros(moved.shape[0], a.dtype)
        for f in range(moved.shape[0]):
            acc = t(0)
            for v in moved[f]:
                acc = t(acc + v)
            out[f] = acc
        return out

    rsqrt = lambda v: (t(1) / np.sqrt(v.astype(np.float64))).astype(x.dtype)  # noqa: E731
    if kind == "inference":
        scale, offset, mean, var = operands[1:]
        k = scale * rsqrt(var + eps)
        shift = offset - mean * k
        return [x * per_feature(k) + per_feature(shift)]
    if kind == "training":
        scale, offset = operands[1:]
        mean = seq_sum(x) / n
        var = seq_sum(x * x) / n - mean * mean
        y = (x - per_feature(mean)) * per_feature(rsqrt(var + eps)) * per_feature(scale) + per_feature(offset)
        return [y, mean, var]
    scale, mean, var, gy = operands[1:]
    r = rsqrt(var + eps)
    d = x - per_feature(mean)
    s3 = seq_sum(gy * d)
    gb = seq_sum(gy)
    gs = s3 * r
    i5 = (per_feature(s3) * d) / per_feature(var + eps)
    gx = per_feature(scale * r / n) * ((gy * n - per_feature(gb)) - i5)
    return [gx, gs, gb]


def close(rtol, atol=0.0):
    """A check: every XLA output is within rtol (relative) of the model's (NaN where the model has NaN)."""
    def check(model):
        def run(inputs, outs):
            expected = model(inputs, outs)
            for k, (got, exp) in enumerate(zip(outs, expected)):
                exp = np.asarray(exp)
                assert got.shape == exp.shape, (k, got.shape, exp.shape)
                assert np.allclose(got.astype(np.float64), exp.astype(np.float64), rtol=rtol, atol=atol,
                                   equal_nan=True), f"output #{k}: {got.reshape(-1)} vs {exp.reshape(-1)}"
            return f"within rtol {rtol} of the numpy model (XLA CPU's reduction and rsqrt may round differently)"
        return run
    return check


def build_window_cases() -> list[Case]:
    cases: list[Case] = []
    f32 = np.float32

    def add(name, about, expression, fn, inputs, ops, mode, expect=None, **kw):
        kw.setdefault("track", WINDOW_OPS)
        cases.append(Case(name, about, expression, named(name, fn), OrderedDict(inputs), ops, mode, expect, **kw))

    def hand(name, about, text, inputs, ops, expect=None, run_on_xla=True, **kw):
        """A hand-written HLO module, run on XLA CPU (or, when XLA CPU cannot take it through jax, whose
        outputs are the numpy model's: then `expect` must be given)."""
        if run_on_xla:
            fn = xla_cpu_run_hlo
        else:
            model = expect
            fn = lambda text, args: model(OrderedDict((k, a) for k, a in zip([n for n, _ in inputs], args)), None)  # noqa: E731
            expect = None
            kw["check"] = lambda i, o: ("not checked: the outputs ARE the exact-integer model's (XLA CPU cannot take "
                                        "this opcode through jax: it has no StableHLO form)")
        add(name, about, "hand-written HLO", fn, inputs, ops, "-", expect, hlo_text=text, **kw)

    def ties(rng, shape, levels=4):
        """Small integers as floats: many equal values inside each window (ties for select)."""
        return rng.integers(-levels, levels + 1, shape).astype(f32)

    add_ = lambda a, b: a + b  # noqa: E731
    # ------------------------------------------------------------- reduce-window
    r = _rng("reduce_window_pad_dilate")
    add("reduce_window_pad_dilate",
        "lax.reduce_window sum with init 1.5 (not the identity), padding low/high (1,2)x(0,1), base dilation 2x1 "
        "and window dilation 1x2, strides 1x2: padding and base-dilation holes are skipped (the init is folded "
        "in once), the window's elements added in row-major order.",
        "lax.reduce_window(x, 1.5, lax.add, (2, 3), (1, 2), ((1, 2), (0, 1)), base_dilation=(2, 1), window_dilation=(1, 2))",
        lambda x: lax.reduce_window(x, f32(1.5), lax.add, (2, 3), (1, 2), ((1, 2), (0, 1)),
                                    base_dilation=(2, 1), window_dilation=(1, 2)),
        [("x", normal(r, (4, 7)))], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"]], [1.5], add_, (2, 3), (1, 2), ((1, 2), (0, 1)), (2, 1), (1, 2)),
        must_contain=("lhs_dilate=2x1", "rhs_dilate=1x2", "pad=1_2x0_1"))

    r = _rng("reduce_window_max_init")
    add("reduce_window_max_init",
        "lax.reduce_window max with init 0.5 and SAME-style padding 1_1: windows over the edge keep 0.5 when "
        "every element is smaller (padding is not a -inf element, it is skipped).",
        "lax.reduce_window(x, 0.5, lax.max, (3,), (2,), ((1, 1),))",
        lambda x: lax.reduce_window(x, f32(0.5), lax.max, (3,), (2,), ((1, 1),)),
        [("x", normal(r, (9,)) - 3)], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"]], [0.5], np.maximum, (3,), (2,), ((1, 1),)))

    r = _rng("avg_pool_same")
    import flax.linen as nn
    add("avg_pool_same",
        "flax.linen.avg_pool 3x3, strides 2x2, padding SAME on [1,5,6,1] (count_include_pad: the sum of each "
        "window, edge windows included, divided by 9).",
        "flax.linen.avg_pool(x, (3, 3), strides=(2, 2), padding='SAME')",
        lambda x: nn.avg_pool(x, (3, 3), strides=(2, 2), padding="SAME"),
        [("x", normal(r, (1, 5, 6, 1)))], {"reduce-window": 1}, "-",
        # XLA CPU sums at least one of these 4-D windows in another order than row-major (its result is the
        # column-major / row-partial-sum one): 1 ulp apart, so only a tolerance.
        check=close(2e-7)(lambda i, o: [np_reduce_window([i["x"]], [0.0], add_, (1, 3, 3, 1), (1, 2, 2, 1),
                                                         ((0, 0), (1, 1), (0, 1), (0, 0)))[0] / f32(9)]))

    r = _rng("max_pool_same")
    add("max_pool_same",
        "flax.linen.max_pool 2x2, strides 1x1, padding SAME on [1,4,5,2] with -inf init.",
        "flax.linen.max_pool(x, (2, 2), strides=(1, 1), padding='SAME')",
        lambda x: nn.max_pool(x, (2, 2), strides=(1, 1), padding="SAME"),
        [("x", normal(r, (1, 4, 5, 2)))], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"]], [-np.inf], np.maximum, (1, 2, 2, 1), None,
                                             ((0, 0), (0, 1), (0, 1), (0, 0))))

    r = _rng("cumsum_f32")
    x = normal(r, (3, 8))
    x[0, :4] = [1e8, 1.0, -1e8, 0.5]
    add("cumsum_f32",
        "jnp.cumsum along axis 1 (XLA: reduce-window, window 1x8, pad 0_0x7_0): each prefix summed in order; "
        "row 0 starts 1e8, 1, -1e8, 0.5 (order-sensitive in f32).",
        "jnp.cumsum(x, axis=1)", lambda x: jnp.cumsum(x, axis=1),
        [("x", x)], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"]], [0.0], add_, (1, 8), None, ((0, 0), (7, 0))),
        must_contain=("pad=0_0x7_0",))

    r = _rng("cummax_axis0")
    add("cummax_axis0",
        "jax.lax.cummax along axis 0 (reduce-window max, window 4x1, pad 3_0x0_0), with ties.",
        "jax.lax.cummax(x, axis=0)", lambda x: lax.cummax(x, axis=0),
        [("x", ties(r, (4, 5)))], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"]], [-np.inf], np.maximum, (4, 1), None, ((3, 0), (0, 0))))

    r = _rng("cumlogsumexp")
    add("cumlogsumexp",
        "jax.lax.cumlogsumexp along axis 1: reduce-window whose reducer is logaddexp written with max, exp, "
        "log1p and selects for infinities (recorded as computed: the reducer calls exp/log).",
        "jax.lax.cumlogsumexp(x, axis=1)", lambda x: lax.cumlogsumexp(x, axis=1),
        [("x", normal(r, (2, 6)))], {"reduce-window": 1}, "-",
        no_model_reason="the reducer is exp/log arithmetic computed by XLA CPU's own approximations")

    r = _rng("reduce_window_argmax")
    xv = ties(r, (2, 7), levels=2)
    idx = np.arange(14, dtype=np.int32).reshape(2, 7)

    def argmax_reducer(a, b):
        (av, ai), (bv, bi) = a, b
        pick_a = (av > bv) | ((av == bv) & (ai < bi))
        return lax.select(pick_a, av, bv), lax.select(pick_a, ai, bi)

    def np_argmax(av, ai, bv, bi):
        pick_a = (av > bv) or (av == bv and ai < bi)
        return (av, ai) if pick_a else (bv, bi)

    add("reduce_window_argmax",
        "Variadic lax.reduce_window over (values, flat indices) with an argmax reducer (ties to the lower "
        "index), init (-inf, 2**31-1), window 1x3, stride 1x2, padding 0_0x1_1: argmax pooling.",
        "lax.reduce_window((x, i), (-inf, INT32_MAX), argmax, (1, 3), (1, 2), ((0, 0), (1, 1)))",
        lambda x, i: lax.reduce_window((x, i), (f32(-np.inf), np.int32(2**31 - 1)), argmax_reducer, (1, 3),
                                       (1, 2), ((0, 0), (1, 1))),
        [("x", xv), ("i", idx)], {"reduce-window": 1}, "-",
        expect=lambda i, o: np_reduce_window([i["x"], i["i"]], [-np.inf, 2**31 - 1], np_argmax, (1, 3), (1, 2),
                                             ((0, 0), (1, 1))))

    # ------------------------------------------------------------- select-and-scatter
    def max_pool_grad(x, window, strides, padding):
        def loss(x):
            y = nn.max_pool(x, window, strides=strides, padding=padding)
            return (y * jnp.arange(1, y.size + 1, dtype=y.dtype).reshape(y.shape)).sum()
        return jax.grad(loss)(x)

    r = _rng("max_pool_grad_valid")
    add("max_pool_grad_valid",
        "jax.grad of flax.linen.max_pool 2x2, stride 2x2, VALID, weighted by 1, 2, 3...: select-and-scatter "
        "with select GE (the first of equal maxima wins) and scatter add; inputs with many ties.",
        "jax.grad(lambda x: (max_pool(x, (2, 2), strides=(2, 2)) * w).sum())(x)",
        lambda x: max_pool_grad(x, (2, 2), (2, 2), "VALID"),
        [("x", ties(r, (1, 4, 6, 1)))], {"select-and-scatter": 1}, "-",
        expect=lambda i, o: [np_select_and_scatter(
            i["x"], np.arange(1, 7, dtype=f32).reshape(1, 2, 3, 1), 0.0, lambda a, b: a >= b, add_,
            (1, 2, 2, 1), (1, 2, 2, 1))],
        text_must_contain=("direction=GE",))

    r = _rng("max_pool_grad_same_overlap")
    x = normal(r, (1, 5, 5, 1))
    x[0, 1, 1] = x[0, 1, 2] = 9.0  # one maximum shared by overlapping windows
    add("max_pool_grad_same_overlap",
        "jax.grad of flax.linen.max_pool 3x3, stride 1x1, SAME: overlapping windows scatter-add several source "
        "values onto one maximum, in row-major order of the source; JAX pads the operand with -inf and "
        "scatters into the padded array, then slices.",
        "jax.grad(lambda x: (max_pool(x, (3, 3), strides=(1, 1), padding='SAME') * w).sum())(x)",
        lambda x: max_pool_grad(x, (3, 3), (1, 1), "SAME"),
        [("x", x)], {"select-and-scatter": 1}, "-",
        expect=lambda i, o: [np_select_and_scatter(
            np.pad(i["x"], ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=-np.inf),
            np.arange(1, 26, dtype=f32).reshape(1, 5, 5, 1), 0.0, lambda a, b: a >= b, add_,
            (1, 3, 3, 1))[:, 1:6, 1:6, :]])

    def min_pool_grad(x):
        def loss(x):
            y = lax.reduce_window(x, f32(np.inf), lax.min, (2, 3), (1, 2), "VALID")
            return (y * jnp.arange(1, y.size + 1, dtype=y.dtype).reshape(y.shape)).sum()
        return jax.grad(loss)(x)

    r = _rng("min_pool_grad")
    add("min_pool_grad",
        "jax.grad of lax.reduce_window min (window 2x3, stride 1x2): select-and-scatter with select LE.",
        "jax.grad(lambda x: (lax.reduce_window(x, inf, lax.min, (2, 3), (1, 2), 'VALID') * w).sum())(x)",
        min_pool_grad, [("x", ties(r, (3, 7)))], {"select-and-scatter": 1}, "-",
        expect=lambda i, o: [np_select_and_scatter(
            i["x"], np.arange(1, 7, dtype=f32).reshape(2, 3), 0.0, lambda a, b: a <= b, add_, (2, 3), (1, 2))],
        text_must_contain=("direction=LE",))

    sas = """HloModule select_and_scatter_{name}

select {{
  a = f32[] parameter(0)
  b = f32[] parameter(1)
  ROOT c = pred[] compare(a, b), direction={direction}
}}

scatter {{
  current = f32[] parameter(0)
  source = f32[] parameter(1)
  ROOT r = f32[] {combine}(current, source)
}}

ENTRY main {{
  x = f32[{xshape}] parameter(0)
  s = f32[{sshape}] parameter(1)
  init = f32[] constant({init})
  ROOT out = f32[{xshape}] select-and-scatter(x, s, init), window={{{window}}}, select=select, scatter=scatter
}}
"""
    r = _rng("select_and_scatter_lt_subtract_pad")
    xh = ties(r, (5, 6), levels=2)
    sh = normal(r, (3, 3))
    add_hand = hand
    add_hand("select_and_scatter_lt_subtract_pad",
             "Hand-written select-and-scatter: select LT (strict: the LAST of equal minima wins), scatter "
             "subtract(current, source) (the order of the scatter's parameters shows), init 0.25, window 3x2 "
             "stride 2x2 pad 1_1x0_0 (edge windows partly in the padding, which is never selected).",
             sas.format(name="lt_subtract_pad", direction="LT", combine="subtract", xshape="5,6", sshape="3,3",
                        init="0.25", window="size=3x2 stride=2x2 pad=1_1x0_0"),
             [("x", xh), ("s", sh)], {"select-and-scatter": 1},
             expect=lambda i, o: [np_select_and_scatter(i["x"], i["s"], 0.25, lambda a, b: a < b,
                                                        lambda c, s: c - s, (3, 2), (2, 2), ((1, 1), (0, 0)))])

    r = _rng("select_and_scatter_all_padding")
    add_hand("select_and_scatter_all_padding",
             "Hand-written select-and-scatter whose first and last windows lie entirely in the padding "
             "(window 2, stride 3, pad 2_3 on 4 elements): those source values are dropped; select GE, scatter "
             "multiply, init 1.",
             sas.format(name="all_padding", direction="GE", combine="multiply", xshape="4", sshape="3",
                        init="1", window="size=2 stride=3 pad=2_3"),
             [("x", normal(r, (4,))), ("s", normal(r, (3,)))], {"select-and-scatter": 1},
             expect=lambda i, o: [np_select_and_scatter(i["x"], i["s"], 1.0, lambda a, b: a >= b,
                                                        lambda c, s: c * s, (2,), (3,), ((2, 3),))])

    # ------------------------------------------------------------- map
    r = _rng("map_three_operands")
    xm, ym = normal(r, (2, 5)), normal(r, (2, 5))
    xm[0, 0] = ym[0, 0]
    add_hand("map_three_operands",
             "Hand-written map over three operands (f32, f32, pred): select(p, max(x, y) * x, x - y) with a "
             "compare inside (x > y), dimensions={0,1}.",
             """HloModule map_three_operands

fn {
  x = f32[] parameter(0)
  y = f32[] parameter(1)
  p = pred[] parameter(2)
  gt = pred[] compare(x, y), direction=GT
  big = f32[] select(gt, x, y)
  t = f32[] multiply(big, x)
  d = f32[] subtract(x, y)
  ROOT r = f32[] select(p, t, d)
}

ENTRY main {
  x = f32[2,5] parameter(0)
  y = f32[2,5] parameter(1)
  p = pred[2,5] parameter(2)
  ROOT m = f32[2,5] map(x, y, p), dimensions={0,1}, to_apply=fn
}
""",
             [("x", xm), ("y", ym), ("p", r.integers(0, 2, (2, 5)).astype(bool))], {"map": 1},
             expect=lambda i, o: [np.where(i["p"], np.maximum(i["x"], i["y"]) * i["x"], i["x"] - i["y"])])

    # ------------------------------------------------------------- mulhi
    def mulhi_model(a, b, bits, signed):
        out = []
        for u, v in zip(a.reshape(-1).tolist(), b.reshape(-1).tolist()):
            p = int(u) * int(v)  # exact
            h = p >> bits  # floor: arithmetic shift of the two's-complement product
            h &= (1 << bits) - 1
            if signed and h >= 1 << (bits - 1):
                h -= 1 << bits
            out.append(h)
        return np.array(out, a.dtype).reshape(a.shape)

    mulhi = """HloModule mulhi_{t}

ENTRY main {{
  a = {t}[8] parameter(0)
  b = {t}[8] parameter(1)
  ROOT h = {t}[8] mulhi(a, b)
}}
"""
    for t, dtype, bits, signed, x64 in (("s32", np.int32, 32, True, False), ("u32", np.uint32, 32, False, False),
                                         ("s64", np.int64, 64, True, True)):
        info = np.iinfo(dtype)
        special = [info.max, info.min, -1 if signed else info.max - 1, 1, 0, 3, info.max // 3 + 1]
        r = _rng("mulhi_" + t)
        a = np.array(special + [int(r.integers(info.min, info.max, dtype=dtype))], dtype)
        b = np.array([info.max, info.min, info.max, -1 if signed else info.max, 12345, info.min if signed else 7,
                      3, int(r.integers(info.min, info.max, dtype=dtype))], dtype)
        add_hand(f"mulhi_{t}",
                 f"Hand-written mulhi on {t} (extremes, -1 times min, a random pair): the high {bits} bits of the "
                 f"exact {2 * bits}-bit product, {'signed' if signed else 'unsigned'}. XLA CPU cannot take a "
                 "mulhi through jax (no StableHLO form): the outputs are the exact-integer model's.",
                 mulhi.format(t=t), [("a", a), ("b", b)], {"mulhi": 1},
                 expect=lambda i, o, bits=bits, signed=signed: [mulhi_model(i["a"], i["b"], bits, signed)],
                 run_on_xla=False, x64=x64)

    # ------------------------------------------------------------- batch norm
    bn_inference = """HloModule batch_norm_inference

ENTRY main {
  x = f32[4,3,2] parameter(0)
  scale = f32[3] parameter(1)
  offset = f32[3] parameter(2)
  mean = f32[3] parameter(3)
  var = f32[3] parameter(4)
  ROOT y = f32[4,3,2] batch-norm-inference(x, scale, offset, mean, var), epsilon=0.001, feature_index=1
}
"""
    r = _rng("batch_norm_inference")
    bn_in = [("x", normal(r, (4, 3, 2))), ("scale", normal(r, (3,))), ("offset", normal(r, (3,))),
             ("mean", normal(r, (3,))), ("var", np.abs(normal(r, (3,))) + f32(0.1))]
    add_hand("batch_norm_inference",
             "Hand-written batch-norm-inference, feature_index=1, epsilon=0.001 (XLA CPU expands it: "
             "k = scale * rsqrt(var + eps), y = x * k + (offset - mean * k)).",
             bn_inference, bn_in, {"batch-norm-inference": 1},
             check=close(2e-6)(lambda i, o: np_batch_norm("inference", list(i.values()), 0.001, 1)))

    bn_training = """HloModule batch_norm_training

ENTRY main {
  x = f32[2,3,4,5] parameter(0)
  scale = f32[5] parameter(1)
  offset = f32[5] parameter(2)
  ROOT t = (f32[2,3,4,5], f32[5], f32[5]) batch-norm-training(x, scale, offset), epsilon=1e-05, feature_index=3
}
"""
    r = _rng("batch_norm_training")
    x = normal(r, (2, 3, 4, 5)) + np.arange(5, dtype=f32)  # means 0..4: E[x^2] - E[x]^2 cancels a little
    add_hand("batch_norm_training",
             "Hand-written batch-norm-training, feature_index=3 (the last), epsilon=1e-5: (y, batch mean, biased "
             "batch variance); XLA sums in its own (vectorised) order, so the means may differ by an ulp from a "
             "sequential sum and the variance E[x^2] - E[x]^2 by a few.",
             bn_training, [("x", x), ("scale", normal(r, (5,))), ("offset", normal(r, (5,)))],
             {"batch-norm-training": 1},
             check=close(1e-5, 1e-5)(lambda i, o: np_batch_norm("training", list(i.values()), 1e-5, 3)))

    bn_grad = """HloModule batch_norm_grad

ENTRY main {
  x = f32[3,4,2] parameter(0)
  scale = f32[3] parameter(1)
  mean = f32[3] parameter(2)
  var = f32[3] parameter(3)
  gy = f32[3,4,2] parameter(4)
  ROOT g = (f32[3,4,2], f32[3], f32[3]) batch-norm-grad(x, scale, mean, var, gy), epsilon=0.001, feature_index=0
}
"""
    r = _rng("batch_norm_grad")
    xg = normal(r, (3, 4, 2))
    add_hand("batch_norm_grad",
             "Hand-written batch-norm-grad, feature_index=0, epsilon=0.001, with the batch's own mean and "
             "variance: (grad operand, grad scale, grad offset) by XLA's expansion.",
             bn_grad, [("x", xg), ("scale", normal(r, (3,))), ("mean", xg.mean(axis=(1, 2)).astype(f32)),
                       ("var", xg.var(axis=(1, 2)).astype(f32)), ("gy", normal(r, (3, 4, 2)))],
             {"batch-norm-grad": 1},
             check=close(1e-5, 1e-6)(lambda i, o: np_batch_norm("grad", list(i.values()), 0.001, 0)))

    bn_f64 = bn_training.replace("f32", "f64").replace("batch_norm_training", "batch_norm_training_f64")
    r = _rng("batch_norm_training_f64")
    add_hand("batch_norm_training_f64",
             "batch_norm_training in f64 (x64), epsilon 1e-05 converted from f32 to f64 (not 1e-5 exactly).",
             bn_f64, [("x", normal(r, (2, 3, 4, 5), np.float64)), ("scale", normal(r, (5,), np.float64)),
                      ("offset", normal(r, (5,), np.float64))], {"batch-norm-training": 1},
             check=close(1e-13, 1e-13)(lambda i, o: np_batch_norm("training", list(i.values()), 1e-5, 3)),
             x64=True)
    return cases


# ---------------------------------------------------------------------------
# Dtype cases: s8/s16/u16/u64 integer ops and conversions, the 8-bit floats
# (conversion, arithmetic in XLA CPU's f16 upcast), bitcast-convert
# ---------------------------------------------------------------------------

F8_TYPES = [
    ("f8e4m3fn", ml_dtypes.float8_e4m3fn), ("f8e5m2", ml_dtypes.float8_e5m2),
    ("f8e4m3", ml_dtypes.float8_e4m3), ("f8e3m4", ml_dtypes.float8_e3m4),
    ("f8e4m3fnuz", ml_dtypes.float8_e4m3fnuz), ("f8e5m2fnuz", ml_dtypes.float8_e5m2fnuz),
    ("f8e4m3b11fnuz", ml_dtypes.float8_e4m3b11fnuz),
]


def _f8_values(t):
    """Every finite value of an 8-bit float type, ascending (from its 256 bit patterns)."""
    v = np.arange(256, dtype=np.uint8).view(t).astype(np.float64)
    return np.unique(v[np.isfinite(v)])


def _int_edges(dtype):
    info = np.iinfo(dtype)
    mn, mx = int(info.min), int(info.max)
    vals = [0, 1, 2, 3, 7, mx, mx - 1, mx // 2, mx // 2 + 1, 100 % (mx + 1)]
    if mn < 0:
        vals += [-1, -2, -7, mn, mn + 1, mn // 2]
    return vals


def build_dtype_cases() -> list[Case]:
    """Conversions between the new dtypes and f32/s32, bitcast-convert between every
    same-width pair, integer arithmetic on s8/s16/u16/u64 at the edges (division by
    zero, MIN / -1, out-of-range shifts), and f8 arithmetic as XLA CPU computes it."""
    cases: list[Case] = []
    nan, inf = np.nan, np.inf

    def add(name, about, expression, fn, inputs, **kw):
        kw.setdefault("no_model_reason", "XLA CPU's results are the reference (recorded as computed)")
        cases.append(Case(name, about, expression, named(name, fn), OrderedDict(inputs), None, "-",
                          track=None, record_opcodes=True, **kw))

    # ------------------------------------------------------------- integers
    for tag, dtype in (("s8", np.int8), ("s16", np.int16), ("u16", np.uint16), ("u64", np.uint64)):
        name = f"dtype_int_ops_{tag}"
        edges = _int_edges(dtype)
        rng = _rng(name)
        info = np.iinfo(dtype)
        pairs = [(x, y) for x in edges for y in (0, 1, 2, 7, -1 if info.min < 0 else info.max, info.min, info.max)]
        a = np.array([x for x, _ in pairs], dtype=dtype)
        b = np.array([y for _, y in pairs], dtype=dtype)
        width = info.bits
        amounts = [0, 1, 2, width - 1, width, width + 1, 2 * width, info.max]
        if info.min < 0:
            amounts.append(-1)
        s = np.array([amounts[k % len(amounts)] for k in range(a.size)], dtype=dtype)
        lo, hi = dtype(2), dtype(int(info.max) // 2)
        r = rng.integers(int(info.min), int(info.max), size=16, dtype=dtype, endpoint=True)
        add(name,
            f"{tag} integer ops against XLA CPU: +, -, *, div, rem (division by zero, MIN / -1), max, min, "
            f"compare, shifts by 0 ... 2*width and negative amounts, popcnt, clz, not/and/or/xor, neg, clamp, sort"
            + (" (x64)." if tag == "u64" else "."),
            "lax ops on a, b, s",
            (lambda lo, hi: lambda a, b, s, r: (a + b, a - b, a * b, lax.div(a, b), lax.rem(a, b), lax.max(a, b), lax.min(a, b),
                                a < b, a >= b, a == b, a != b, lax.shift_left(a, s),
                                lax.shift_right_logical(a, s), lax.shift_right_arithmetic(a, s),
                                lax.population_count(a), lax.clz(a), ~a, a & b, a | b, a ^ b, -a,
                                lax.clamp(jnp.asarray(lo, a.dtype), a, jnp.asarray(hi, a.dtype)),
                                lax.sort(r)))(lo, hi),
            [("a", a), ("b", b), ("s", s), ("r", r)], x64=(tag == "u64"))

    # ------------------------------------------------------------- integer <-> float / integer
    u64 = np.array([0, 1, 2**64 - 1, 2**63, 2**63 - 1, 2**63 + 2**39 + 1, 2**63 + 2**40, 2**63 + 2**39,
                    2**53 + 1, 2**24 + 1, 2**32 + 5, 255, 256, 65535, 65536, 2**64 - 2**39 - 1], dtype=np.uint64)
    s64 = np.array([0, -1, 2**63 - 1, -2**63, 2**62 + 2**38 + 1, -(2**62 + 2**38 + 1), 2**53 + 1, -129,
                    128, 32768, -32769, 65536, 2**32 + 7, -2**31, 255, 2**40 + 3], dtype=np.int64)
    s32v = np.array([0, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536,
                     2**31 - 1, -2**31], dtype=np.int32)
    add("dtype_convert_int",
        "convert between u64/s64/s32 and s8/s16/u16/u64/f32/f64/f16/bf16: wrap-around between integers (sign "
        "extension into u64), int -> float rounded once to nearest even (u64 -> f32 above 2**63 included) (x64).",
        "x.astype(...)",
        lambda u, v, w: (u.astype(jnp.float32), u.astype(jnp.float64), u.astype(jnp.float16),
                         u.astype(jnp.bfloat16), u.astype(jnp.int32), u.astype(jnp.int8), u.astype(jnp.uint16),
                         u.astype(jnp.int64),
                         v.astype(jnp.uint64), v.astype(jnp.float32), v.astype(jnp.int16), v.astype(jnp.uint16),
                         w.astype(jnp.int8), w.astype(jnp.int16), w.astype(jnp.uint16), w.astype(jnp.uint64),
                         w.astype(jnp.int8).astype(jnp.float32), w.astype(jnp.uint16).astype(jnp.float32),
                         w.astype(jnp.int16).astype(jnp.int32), w.astype(jnp.uint16).astype(jnp.int32)),
        [("u", u64), ("v", s64), ("w", s32v)], x64=True)

    f32x = np.array([nan, inf, -inf, 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, 127.9, 128.0, -128.9, -129.0,
                     255.5, 256.0, 32767.5, 32768.0, -32769.0, 65535.9, 65536.0, 2.0**31, 2.0**32, 2.0**53,
                     2.0**63, 2.0**64, 1.8e19, -1e30, 1e30, 3.4e38, -3.7, 1e-40], dtype=np.float32)
    f64x = np.array([nan, 2.0**64, 2.0**64 - 2048, 2.0**63, 2.0**63 - 1024, 2.0**63 + 4096, -1.0, -0.9, 0.9,
                     1e300, -1e300, 4.5e15, 255.99, -128.5, 65535.5, 1.0], dtype=np.float64)
    add("dtype_convert_float_to_int",
        "convert f32/f64 -> s8/s16/u16/u64/u8/u32/s32/s64: truncation toward zero, saturation at the dtype's "
        "bounds, NaN -> 0 (XLA CPU's behaviour) (x64).",
        "x.astype(...)",
        lambda x, y: (x.astype(jnp.int8), x.astype(jnp.int16), x.astype(jnp.uint16), x.astype(jnp.uint64),
                      x.astype(jnp.uint8), x.astype(jnp.uint32), x.astype(jnp.int32), x.astype(jnp.int64),
                      y.astype(jnp.uint64), y.astype(jnp.int64), y.astype(jnp.int8), y.astype(jnp.uint16)),
        [("x", f32x), ("y", f64x)], x64=True)

    # ------------------------------------------------------------- f8
    for tag, t in F8_TYPES:
        name = f"dtype_{tag}"
        rng = _rng(name)
        vals = _f8_values(t)
        pos = vals[vals > 0]
        mids = ((pos[:-1] + pos[1:]) / 2)  # exact ties between neighbours
        mx = float(ml_dtypes.finfo(t).max)
        tiny = float(pos[0])
        ulp_top = float(pos[-1] - pos[-2])
        specials = [nan, inf, -inf, 0.0, -0.0, mx, -mx, mx + ulp_top / 2, mx + ulp_top / 2 * 0.99,
                    mx + ulp_top, -(mx + ulp_top / 2), tiny, tiny / 2, tiny / 2 * 1.01, -tiny / 2, tiny * 1.5,
                    tiny * 2.5, 1e6, -1e6, 1.0, -1.0]
        picks = rng.choice(mids, size=16, replace=False)
        x = np.array(specials + list(picks) + list(-picks[:8]) + list(picks[:8] * (1 + 2.0**-12))
                     + list(rng.normal(0, 4, 11)), dtype=np.float32)
        bits = rng.integers(0, 256, size=64, dtype=np.uint8)
        a = bits.view(t)
        b = rng.integers(0, 256, size=64, dtype=np.uint8).view(t)
        i = np.array([0, 1, -1, 3, 17, 33, 100, 127, 200, 255, 448, 1000, 65504, 65520, 100000, -70000],
                     dtype=np.int32)
        # f64 just off ties (lost in float32): XLA CPU rounds f64 -> f8 once.
        y = np.array(list(picks[:8] * (1 + 2.0**-40)) + list(picks[8:16] * (1 - 2.0**-40)) + [mx + ulp_top / 2 * (1 - 2.0**-40),
                     mx + ulp_top / 2 * (1 + 2.0**-40), tiny / 2 * (1 + 2.0**-40), tiny / 2 * (1 - 2.0**-40)],
                     dtype=np.float64)
        add(name,
            f"{tag}: convert f32 -> {tag} (ties between neighbours, overflow at max + ulp/2, subnormals, NaN, "
            f"inf), {tag} -> f32/s32/f16, s32 -> {tag}, f64 just off ties -> {tag} (one rounding), and +, *, -, /, "
            f"max, < of two {tag} arrays of random bit patterns (XLA CPU upcasts f8 arithmetic to f16 and rounds "
            "back). Output #0 (from f32) is checked against ml_dtypes (x64).",
            f"x.astype({tag}), a + b, ...",
            lambda x, a, b, i, y: (x.astype(a.dtype), a.astype(jnp.float32), a.astype(jnp.int32), i.astype(a.dtype),
                                   a + b, a * b, a - b, a / b, lax.max(a, b), a < b, a.astype(jnp.float16),
                                   y.astype(a.dtype)),
            [("x", x), ("a", a), ("b", b), ("i", i), ("y", y)],
            expect=lambda inp, out: [inp["x"].astype(out[0].dtype)], x64=True)

    # ------------------------------------------------------------- f8 dot and reduce
    rng = _rng("dtype_f8_dot_reduce")
    e4 = np.array(rng.normal(0, 3, 16), np.float32).astype(ml_dtypes.float8_e4m3fn)
    e4b = np.array(rng.normal(0, 3, 16), np.float32).astype(ml_dtypes.float8_e4m3fn)
    e5 = np.array(rng.normal(0, 8, (4, 8)), np.float32).astype(ml_dtypes.float8_e5m2)
    e5b = np.array(rng.normal(0, 8, (8, 3)), np.float32).astype(ml_dtypes.float8_e5m2)
    add("dtype_f8_dot_reduce",
        "f8e4m3fn and f8e5m2 dot (XLA CPU: products and sum in f32, rounded to f16 then to f8) and reduce-sum/max "
        "(XLA CPU: accumulated in f16, rounded to f8 once).",
        "jnp.dot(a, b), jnp.sum(a), c @ d, jnp.sum(c, axis=1), jnp.max(c, axis=0)",
        lambda a, b, c, d: (jnp.dot(a, b), jnp.sum(a), c @ d, jnp.sum(c, axis=1), jnp.max(c, axis=0),
                            jnp.sum(a * b)),
        [("a", e4), ("b", e4b), ("c", e5), ("d", e5b)])

    # ------------------------------------------------------------- rng-bit-generator
    key = np.array([0x12345678, 0x9abcdef0, 0xffffffff, 0x00000001], np.uint32)
    for alg_name, alg in (("default", lax.RandomAlgorithm.RNG_DEFAULT),
                          ("three_fry", lax.RandomAlgorithm.RNG_THREE_FRY),
                          ("philox", lax.RandomAlgorithm.RNG_PHILOX)):
        add(f"rng_bit_generator_{alg_name}",
            f"jax.lax.rng_bit_generator with algorithm={alg_name} (HLO rng-bit-generator, algorithm=rng_{alg_name}): "
            "the new state and u32[3,5], u8[7], u64[2,3], u16[4,1,3] bits, chained through the returned state "
            "(XLA CPU's rng_default is Philox) (x64).",
            f"lax.rng_bit_generator(key, shape, dtype, {alg})",
            (lambda alg: lambda k: (lambda r1: (lambda r2: (lambda r3: (lambda r4: (
                r1[0], r1[1], r2[0], r2[1], r3[0], r3[1], r4[0], r4[1]))(
                lax.rng_bit_generator(r3[0], (4, 1, 3), jnp.uint16, alg)))(
                lax.rng_bit_generator(r2[0], (2, 3), jnp.uint64, alg)))(
                lax.rng_bit_generator(r1[0], (7,), jnp.uint8, alg)))(
                lax.rng_bit_generator(k, (3, 5), jnp.uint32, alg)))(alg),
            [("key", key)], x64=True)

    # ------------------------------------------------------------- jax.random dropout
    xs = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    for impl, x64 in (("threefry2x32", False), ("rbg", True)):
        kd = np.asarray(jax.random.key_data(jax.random.key(42, impl=impl)))
        add(f"random_dropout_{impl}",
            f"Dropout as jax.random builds it with the {impl} PRNG: bernoulli(key, 0.8) mask, x / 0.8 where kept, "
            "and uniform(fold_in(key, 3)); u64 iota/shift/convert, u32 rotations in a while loop whose body swaps "
            "its rotation tables" + (", rng-bit-generator" if impl == "rbg" else "") + (" (x64)." if x64 else "."),
            "jnp.where(jax.random.bernoulli(k, 0.8, x.shape), x / 0.8, 0), jax.random.uniform(fold_in(k, 3), ...)",
            (lambda impl: lambda key, x: (lambda k: (
                jnp.where(jax.random.bernoulli(k, 0.8, x.shape), x / 0.8, 0),
                jax.random.uniform(jax.random.fold_in(k, 3), x.shape, dtype=x.dtype)))(
                jax.random.wrap_key_data(key, impl=impl)))(impl),
            [("key", kd), ("x", xs)], x64=x64)

    # ------------------------------------------------------------- bitcast-convert
    all8 = np.arange(256, dtype=np.uint8)
    finite_all = np.all([np.isfinite(all8.view(t).astype(np.float64)) | np.isinf(all8.view(t).astype(np.float64))
                         for _, t in F8_TYPES], axis=0)
    no_nan8 = all8[finite_all]
    rng = _rng("dtype_bitcast_convert")
    s16 = rng.integers(-2**15, 2**15, size=32, dtype=np.int16)
    s16 = s16[np.isfinite(s16.view(np.float16)) & np.isfinite(s16.view(BF16).astype(np.float32))]
    u64b = np.array([0, 1, 2**64 - 1, 2**63, 0x3ff0000000000000, 0x7ff0000000000000, 0xfff0000000000000,
                     0x8000000000000000, 0x0000000000000001, 0x4009_21fb_5444_2d18], dtype=np.uint64)
    f8_bitcasts = lambda u, q: tuple(lax.bitcast_convert_type(u, t) for _, t in F8_TYPES) + tuple(  # noqa: E731
        lax.bitcast_convert_type(lax.bitcast_convert_type(q, t), jnp.int8) for _, t in F8_TYPES)
    add("dtype_bitcast_convert",
        "bitcast-convert between same-width dtypes: u8 -> every f8 type (all 256 patterns, NaNs included), "
        "u8 -> f8 -> s8 on the patterns that are not NaN in any f8 type, s8 <-> u8, s16 <-> u16 <-> f16/bf16, "
        "u64 <-> s64 <-> f64 (x64).",
        "lax.bitcast_convert_type(x, t)",
        lambda u, q, h, w: f8_bitcasts(u, q) + (
            lax.bitcast_convert_type(u, jnp.int8), lax.bitcast_convert_type(lax.bitcast_convert_type(u, jnp.int8), jnp.uint8),
            lax.bitcast_convert_type(h, jnp.uint16), lax.bitcast_convert_type(h, jnp.float16),
            lax.bitcast_convert_type(h, jnp.bfloat16),
            lax.bitcast_convert_type(lax.bitcast_convert_type(h, jnp.float16), jnp.int16),
            lax.bitcast_convert_type(lax.bitcast_convert_type(h, jnp.bfloat16), jnp.uint16),
            lax.bitcast_convert_type(w, jnp.int64), lax.bitcast_convert_type(w, jnp.float64),
            lax.bitcast_convert_type(lax.bitcast_convert_type(w, jnp.int64), jnp.uint64)),
        [("u", all8), ("q", no_nan8), ("h", s16), ("w", u64b)], x64=True)
    return cases


# ---------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------

_INSTR = re.compile(r"^\s*(?:ROOT\s+)?[\w.\-]+ = (?:\([^()]*\)|\S+) ([a-z][\w\-]*)\(")
# Opcodes that only move or name values; an untracked case (track=None) lists every other line.
STRUCTURAL = ("parameter", "constant", "broadcast", "call", "tuple", "get-tuple-element")
_STABLEHLO_OP = re.compile(r"= (?:\"?)([a-z_]+\.[a-z_]+)\b")
_PARAM = re.compile(r"^\s*(?:ROOT\s+)?([\w.\-]+) = (\w+)\[([\d,]*)\]\S* parameter\((\d+)\)")


def entry_parameters(text: str) -> list[tuple[str, str, list[int]]]:
    params, in_entry = [], False
    for line in text.splitlines():
        if line.startswith("ENTRY "):
            in_entry = True
        elif in_entry and line.startswith("}"):
            break
        elif in_entry:
            m = _PARAM.match(line)
            if m:
                params.append((int(m.group(4)), m.group(1), m.group(2), [int(d) for d in m.group(3).split(",") if d]))
    params.sort()
    assert [p[0] for p in params] == list(range(len(params))), params
    return [p[1:] for p in params]


def run_case(case: Case) -> dict:
    jax.config.update("jax_enable_x64", case.x64)
    args = list(case.inputs.values())
    if case.hlo_text is not None:
        text = case.hlo_text
    else:
        jitted = jax.jit(case.fn, keep_unused=True)
        text = jitted.lower(*args).as_text(dialect="hlo")
    fail = lambda msg: SystemExit(f"{case.name}: {msg}")  # noqa: E731

    if not text.startswith("HloModule ") or "\nENTRY " not in text:
        raise fail("the lowered text is not an HLO module")
    all_lines = [line.strip() for line in text.splitlines() if _INSTR.match(line)]
    opcode_of = lambda line: _INSTR.match(line).group(1)  # noqa: E731
    if case.track is None:
        lines = [line for line in all_lines if opcode_of(line) not in STRUCTURAL]
    else:
        lines = [line for line in all_lines if opcode_of(line) in case.track]
    found: dict[str, int] = {}
    for line in lines:
        op = opcode_of(line)
        found[op] = found.get(op, 0) + 1
    if case.ops is not None and found != case.ops:
        raise fail(f"expected HLO ops {case.ops}, found {found}:\n{text}")
    what = "/".join(case.track) if case.track else "instruction"
    for s in case.must_contain:
        if not any(s in line for line in lines):
            raise fail(f"no {what} line contains {s!r}:\n" + "\n".join(lines))
    for s in case.text_must_contain:
        if s not in text:
            raise fail(f"the module does not contain {s!r}:\n{text}")
    for s in case.text_must_not_contain:
        if s in text:
            raise fail(f"the module contains {s!r}:\n{text}")

    params = entry_parameters(text)
    want = [(_DTYPE_NAMES[str(a.dtype)], list(a.shape)) for a in args]
    if [(dt, shape) for _, dt, shape in params] != want:
        raise fail(f"ENTRY parameters {params} do not match the inputs {want}")
    inputs = OrderedDict((name, a) for (name, _, _), a in zip(params, args))

    result = jitted(*args) if case.hlo_text is None else case.fn(text, args)
    outs = [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(result)]
    outputs = OrderedDict((f"#{k}", a) for k, a in enumerate(outs))

    model = "not checked: " + case.no_model_reason
    if case.check is not None:
        try:
            model = case.check(OrderedDict(case.inputs), outs)
        except AssertionError as e:
            raise fail(f"check failed: {e}\n  XLA: {[o.reshape(-1).tolist() for o in outs]}")
    if case.expect is not None:
        expected = case.expect(OrderedDict(case.inputs), outs)
        for k, (got, exp) in enumerate(zip(outs, expected)):
            exp = np.asarray(exp)
            if not bits_equal(got, exp):
                raise fail(f"output #{k} differs from the numpy model of XLA's semantics\n"
                           f"  XLA:   {got.reshape(-1).tolist()}\n  numpy: {exp.reshape(-1).tolist()}")
        model = "equal bit for bit"
        if case.order_sensitive:
            global SCATTER_ORDER
            SCATTER_ORDER = -1
            try:
                reversed_ = case.expect(OrderedDict(case.inputs), outs)
            finally:
                SCATTER_ORDER = 1
            if all(bits_equal(g, np.asarray(e)) for g, e in zip(outs, reversed_)):
                raise fail("order_sensitive, but applying the updates in reverse gives the same result")
            model += "; applying the duplicate updates in reverse order would give a different result"

    reference = None
    if case.reference_f64 is not None:
        jax.config.update("jax_enable_x64", True)
        try:
            reference = OrderedDict((f"#{k}", np.asarray(a, np.float64)) for k, a in
                                    enumerate(jax.tree_util.tree_leaves(case.reference_f64(OrderedDict(case.inputs)))))
        finally:
            jax.config.update("jax_enable_x64", case.x64)

    dest = os.path.join(HERE, case.name)
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    with open(os.path.join(dest, "module.hlo.txt"), "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    write_values(os.path.join(dest, "inputs.json"), inputs)
    write_values(os.path.join(dest, "outputs.json"), outputs)
    if reference is not None:
        write_values(os.path.join(dest, "reference_f64.json"), reference)
    for name in ("module.hlo.txt", "inputs.json", "outputs.json"):
        path = os.path.join(dest, name)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            raise fail(f"{path} was not written")
    with open(os.path.join(dest, "module.hlo.txt")) as f:
        if not f.read().startswith("HloModule "):
            raise fail("module.hlo.txt does not start with HloModule")

    return OrderedDict([
        ("name", case.name),
        ("about", case.about),
        ("ops", sorted(found)),
        ("expression", case.expression),
        ("mode", case.mode),
        ("x64", case.x64),
        ("hlo_module", text.split()[1].rstrip(",")),
        ("parameters", [f"{n}: {dt}[{','.join(map(str, s))}]" for n, dt, s in params]),
        ("outputs", [f"#{k}: {_DTYPE_NAMES[str(a.dtype)]}[{','.join(map(str, a.shape))}]" for k, a in enumerate(outs)]),
        ("instructions", lines),
    ] + (extra_manifest_fields(text, jitted.lower(*args).as_text(), lines, all_lines, opcode_of)
         if case.record_opcodes else []) + [
        ("numpy_model", model),
    ])


def computation_lines(text: str, name: str) -> list[str]:
    """The lines of computation `name` (header to closing brace) of an HLO module text."""
    out, inside = [], False
    for line in text.splitlines():
        if not inside and (line.startswith(name + " {") or line.startswith(name + " (")):
            inside = True
        if inside:
            out.append(line)
            if line.startswith("}"):
                return out
    raise SystemExit(f"computation {name} not found")


def extra_manifest_fields(text, stablehlo_text, lines, all_lines, opcode_of) -> list:
    counts: dict[str, int] = {}
    for line in all_lines:
        counts[opcode_of(line)] = counts.get(opcode_of(line), 0) + 1
    fields = [("hlo_opcodes", OrderedDict(sorted(counts.items())))]
    comparators = []
    for line in lines:
        m = re.search(r"\bto_apply=([\w.\-]+)", line)
        if opcode_of(line) == "sort" and m and computation_lines(text, m.group(1)) not in comparators:
            comparators.append(computation_lines(text, m.group(1)))
    if comparators:
        fields.append(("comparators", comparators))
    ops = sorted({m.group(1) for line in stablehlo_text.splitlines() for m in _STABLEHLO_OP.finditer(line)}
                 - {"func.return", "func.call"})
    fields.append(("stablehlo_ops", ops))
    return fields


def check_pins() -> None:
    """Warns (does not fail) when the installed versions differ from Fixtures/xla/requirements.txt."""
    path = os.path.join(os.path.dirname(HERE), "xla", "requirements.txt")
    installed = {"jax": jax.__version__, "jaxlib": jax.lib.__version__, "numpy": np.__version__,
                 "ml_dtypes": ml_dtypes.__version__}
    with open(path) as f:
        for line in f:
            m = re.match(r"^\s*([A-Za-z0-9_.\-]+)==(\S+)", line)
            if m and m.group(1) in installed and installed[m.group(1)] != m.group(2):
                print(f"warning: {m.group(1)} {installed[m.group(1)]} is installed, {path} pins {m.group(2)}; "
                      "the fixtures may change", file=sys.stderr)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", metavar="CASE", help="cases to regenerate (default: all)")
    ap.add_argument("--list", action="store_true", help="print the case names and exit")
    args = ap.parse_args(argv)
    assert jax.default_backend() == "cpu", jax.default_backend()
    check_pins()
    cases = build_cases()
    names = [c.name for c in cases]
    assert len(set(names)) == len(names), "duplicate case names"
    if args.list:
        print("\n".join(names))
        return
    unknown = [n for n in args.cases if n not in names]
    if unknown:
        ap.error(f"unknown case(s) {unknown}; known: {names}")
    selected = [c for c in cases if not args.cases or c.name in args.cases]

    manifest_path = os.path.join(HERE, "manifest.json")
    entries: "OrderedDict[str, dict]" = OrderedDict()
    if args.cases and os.path.isfile(manifest_path):  # partial run: keep the other entries
        with open(manifest_path) as f:
            for e in json.load(f, object_pairs_hook=OrderedDict)["cases"]:
                entries[e["name"]] = e
    for case in selected:
        entries[case.name] = run_case(case)
        e = entries[case.name]
        print(f"{case.name}: " + (", ".join(e["instructions"]) if case.track is not None else
                                  "opcodes " + ", ".join(e["hlo_opcodes"])))
    ordered = [entries[n] for n in names if n in entries]
    manifest = OrderedDict([
        ("generator", "Fixtures/ops/generate.py"),
        ("versions", OrderedDict([("jax", jax.__version__), ("jaxlib", jax.lib.__version__),
                                  ("numpy", np.__version__), ("ml_dtypes", ml_dtypes.__version__)])),
        ("backend", "cpu"),
        ("cases", ordered),
    ])
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
