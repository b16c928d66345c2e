#!/usr/bin/env python3
"""The baseline of BENCHMARKS.md's softmax row: the measurement `fpaudit verify` makes
of stable vs naive softmax (f32[8], x ~ uniform(50, 92), 1024 samples), written as a
short mpmath script: both graphs in float32 (numpy, summed left to right as fpaudit's
sequential order does), the truth of the stable graph with mpmath at a fixed 128 bits,
and each output element's error in bits (log2(1 + ulps of f32)).

    python3 scripts/bench/softmax_mpmath.py [SAMPLES]
"""
import sys

import mpmath
import numpy as np

mpmath.mp.prec = 128
np.seterr(all="ignore")  # the naive softmax overflows: that is what is measured
SAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
rng = np.random.default_rng(1)
xs = rng.uniform(50, 92, size=(SAMPLES, 8)).astype(np.float32)


def ordinal(v):
    i = np.array(v, dtype=np.float32).view(np.int32).astype(np.int64)
    return np.where(i < 0, -(i & 0x7FFFFFFF), i)


def bits(got, truth):
    # A non-finite result where the truth is finite is a maximal error (32 bits), as in fpaudit.
    if not np.isfinite(got):
        return 32.0
    return float(np.log2(1 + abs(int(ordinal(got)) - int(ordinal(np.float32(truth))))))


def softmax_f32(x, stable):
    d = x - x.max() if stable else x
    e = np.exp(d).astype(np.float32)
    s = np.float32(0)
    for v in e:  # sequential, as fpaudit's default reduction order
        s = np.float32(s + v)
    return (e / s).astype(np.float32)


lost = []
worst = {True: 0.0, False: 0.0}
for x in xs:
    exps = [mpmath.exp(mpmath.mpf(float(v))) for v in x]
    total = mpmath.fsum(exps)
    truth = [float(e / total) for e in exps]
    errors = {}
    for stable in (True, False):
        y = softmax_f32(x, stable)
        errors[stable] = [bits(y[k], truth[k]) for k in range(8)]
        worst[stable] = max(worst[stable], max(errors[stable]))
    lost.append(max(b - a for a, b in zip(errors[True], errors[False])))
print(f"original bits max {worst[True]:.2f}, rewritten bits max {worst[False]:.2f}, bits lost max {max(lost):.2f}")
