#!/usr/bin/env python3
"""Independent reference values for the FPEval evaluators.

Prints a Swift source file (ElementwiseReference.swift) of hex-float tables:

* IEEE declared precision, per dtype (f64, f32, f16, bf16):
  - `+ - * /` and `sqrt` with numpy float64 / float32 / float16 arithmetic
    (bf16: float32 arithmetic, then the float32 bits rounded to bf16);
  - transcendentals, fmod, pow and atan2 through ctypes calls into glibc's
    libm (`exp`/`expf`, `log`/`logf`, ...): the double version for f64, the
    float version for f32, f16 and bf16 (whose result is then narrowed);
  - narrowing float32 -> float16 with numpy (round to nearest even), and
    float32 -> bf16 by integer manipulation of the float32 bits (round to
    nearest even of the top 16 bits);
  - exact ops (neg, abs, sign, floor, ...) and XLA's maximum/minimum/compare/
    select/clamp semantics written out explicitly.
* IEEE double mode: f32- and f16-typed inputs computed with the double libm.
* MPFR: mpmath at 80 decimal digits (exact Fractions for exact ops), then a
  correct rounding to binary64 (and to binary32) by integer arithmetic.
* dot and reduce: float32 products and sequential (or pairwise-tree)
  float32 accumulation written out with numpy scalars; exact sums (Fractions)
  for the MPFR domain.

Usage: python3 make_reference.py > ElementwiseReference.swift
"""

import ctypes
import math
import struct
import sys
from fractions import Fraction

import mpmath
import numpy as np
from mpmath import mp

mp.dps = 80
np.seterr(all="ignore")

LIBM = ctypes.CDLL("libm.so.6")
NAN = math.nan
INF = math.inf


def libm(name, arity, single):
    """A libm function: `name` (double) or `name + 'f'` (float)."""
    fn = getattr(LIBM, name + ("f" if single else ""))
    ctype = ctypes.c_float if single else ctypes.c_double
    fn.restype = ctype
    fn.argtypes = [ctype] * arity
    return fn


# MARK: - Formats

def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def from_f32_bits(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def bf16_from_f32(x):
    """Round a float32 value to bf16: nearest-even on the float32 bit pattern."""
    x = float(np.float32(x))
    if math.isnan(x):
        return NAN
    bits = f32_bits(x)
    lsb = (bits >> 16) & 1
    bits = ((bits + 0x7FFF + lsb) & 0xFFFF0000) & 0xFFFFFFFF
    return from_f32_bits(bits)


def narrow(x32, dtype):
    """A float32 result stored in `dtype` (one rounding)."""
    x32 = np.float32(x32)
    if dtype == "f32":
        return float(x32)
    if dtype == "f16":
        return float(np.float16(x32))
    if dtype == "bf16":
        return bf16_from_f32(x32)
    raise ValueError(dtype)


def representable(x, dtype):
    """An input value of `dtype` near x (inputs only need to be representable)."""
    if dtype == "f64":
        return float(x)
    return narrow(np.float32(x), dtype)


def round_fraction(q, precision, emin, emax):
    """Correctly rounded (ties to even) value of the rational q in a binary format
    with `precision` significand bits and normal exponents `emin...emax` (IEEE
    convention, gradual underflow, overflow to infinity), as a Python float."""
    if q == 0:
        return 0.0
    sign = -1 if q < 0 else 1
    q = abs(q)
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    # now 2^e <= q < 2^(e+1)
    quantum = max(e, emin) - (precision - 1)
    scaled = q / (Fraction(2) ** quantum)
    n = math.floor(scaled)
    rest = scaled - n
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2 == 1):
        n += 1
    if n >= 2 ** precision:
        n, quantum = n // 2, quantum + 1  # carried into the next binade (n was 2^precision)
    if quantum + precision - 1 > emax:
        return sign * INF
    return sign * float(Fraction(n) * Fraction(2) ** quantum)


def to_fraction(v):
    if isinstance(v, Fraction):
        return v
    if isinstance(v, float):
        return Fraction(v)
    v = mp.mpf(v)
    s, man, exp, _ = v._mpf_
    return Fraction(-man if s else man) * Fraction(2) ** exp


def mp_to_f64(v):
    return round_fraction(to_fraction(v), 53, -1022, 1023)


def checked(fn, *args):
    """fn(*args) at the working precision, checked against 150 digits: both
    must round to the same binary64 and binary32 values."""
    value = fn(*args)
    with mp.workdps(150):
        wide = fn(*args)
    assert mp_to_f64(value) == mp_to_f64(wide), (fn, args)
    assert mp_to_f32(value) == mp_to_f32(wide), (fn, args)
    return value


def mp_to_f32(v):
    return round_fraction(to_fraction(v), 24, -126, 127)


# MARK: - Swift output

def lit(x):
    x = float(x)
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    if x == 0:
        return "-0x0p+0" if math.copysign(1, x) < 0 else "0x0p+0"
    if abs(x) < 2.0 ** -1022:
        return "Double(bitPattern: 0x%016x)" % struct.unpack("<Q", struct.pack("<d", x))[0]
    text = x.hex()  # e.g. 0x1.8000000000000p+1: drop the trailing zeros
    mantissa, exponent = text.split("p")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + "p" + exponent


def lits(xs):
    return "[" + ", ".join(lit(x) for x in xs) + "]"


def ints(xs):
    return "[" + ", ".join(str(int(x)) for x in xs) + "]"


# MARK: - Elementwise semantics

def sign(x):
    if math.isnan(x) or x == 0:
        return x
    return 1.0 if x > 0 else -1.0


def xla_max(a, b):
    if math.isnan(a) or math.isnan(b):
        return NAN
    if a == b:
        return b if math.copysign(1, a) < 0 else a
    return a if a > b else b


def xla_min(a, b):
    if math.isnan(a) or math.isnan(b):
        return NAN
    if a == b:
        return a if math.copysign(1, a) < 0 else b
    return a if a < b else b


COMPARE = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}

LIBM_UNARY = {"exp": "exp", "expm1": "expm1", "log": "log", "log1p": "log1p", "cbrt": "cbrt",
              "tanh": "tanh", "sin": "sin", "cos": "cos", "tan": "tan", "erf": "erf",
              "atan": "atan", "sinh": "sinh", "cosh": "cosh", "asin": "asin", "acos": "acos",
              "asinh": "asinh", "acosh": "acosh", "atanh": "atanh"}
LIBM_BINARY = {"remainder": "fmod", "power": "pow", "atan2": "atan2"}

UNARY_INPUTS = {
    "neg": [0.0, -0.0, 1.5, -2.25, INF, -INF, NAN, 0.1],
    "abs": [-0.0, 0.0, -3.5, 2.0, -INF, NAN, -0.1],
    "sign": [-0.0, 0.0, -3.5, 2.5, INF, -INF, NAN, 1e-30, -1e-6],
    "exp": [0.0, 1.0, -1.0, 0.5, 10.0, -10.0, -16.0, -17.0, 11.5, 88.5, 100.0, -INF, INF, NAN],
    "expm1": [0.0, -0.0, 1e-5, -1e-5, 1.0, -1.0, 0.5, 20.0, -20.0],
    "log": [1.0, 2.0, 0.5, 10.0, 1e-3, 0.0, -0.0, -1.0, INF, NAN, 65504.0],
    "log1p": [0.0, -0.0, 1e-5, -0.5, 1.0, -1.0, -2.0, 100.0],
    "sqrt": [0.0, -0.0, 1.0, 2.0, 0.5, 3.0, 1e-6, -1.0, INF, NAN, 65504.0],
    "rsqrt": [1.0, 2.0, 4.0, 0.5, 3.0, 0.0, -0.0, -1.0, INF, 100.0],
    "cbrt": [0.0, -0.0, 1.0, 8.0, -8.0, 2.0, -2.0, 27.5, 1e-6, INF, -INF],
    "tanh": [0.0, -0.0, 0.5, -0.5, 1.0, 3.0, -3.0, 20.0, -20.0, 1e-4],
    "logistic": [0.0, -0.0, 1.0, -1.0, 5.0, -5.0, 20.0, -20.0, 100.0, -100.0, 0.25, INF, -INF, NAN],
    "sin": [0.0, -0.0, 0.5, 1.0, -1.0, 3.0, 3.140625, 100.0, INF],
    "cos": [0.0, 0.5, 1.0, -1.0, 3.0, 1.5703125, 100.0, INF],
    "tan": [0.0, -0.0, 0.5, 1.0, -1.0, 1.5, 1.5703125, 100.0],
    "erf": [0.0, -0.0, 0.5, -0.5, 1.0, 2.0, -2.0, 4.0, 0.01],
    "floor": [0.5, -0.5, 1.5, -1.5, 2.0, -0.0, 0.0, 2.75, -2.75, INF, NAN, 1e-3, -1e-3],
    "ceil": [0.5, -0.5, 1.5, -1.5, 2.0, -0.0, 0.0, 2.75, -2.75, -INF, NAN, 1e-3, -1e-3],
    "roundNearestEven": [0.5, 1.5, 2.5, -2.5, -0.5, 3.5, 2.25, 2.75, -0.0, 1e-3, -1e-3, 1024.5],
    "roundNearestAfz": [0.5, 1.5, 2.5, -2.5, -0.5, 3.5, 2.25, 2.75, -0.0, 1e-3, -1e-3, 1024.5, 0.49999997, INF, NAN],
    "atan": [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 10.0, 1e-4, 1e10, INF, -INF, NAN],
    "sinh": [0.0, -0.0, 0.5, -0.5, 1.0, 3.0, -3.0, 10.0, 1e-4, 89.0, -89.5, INF, NAN],
    "cosh": [0.0, -0.0, 0.5, -0.5, 1.0, 3.0, -3.0, 10.0, 1e-4, 89.0, -89.5, INF, NAN],
    "asin": [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 0.99, 1e-4, 1.5, -2.0, NAN],
    "acos": [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 0.99, 1e-4, 1.5, -2.0, NAN],
    "asinh": [0.0, -0.0, 0.5, -0.5, 1.0, 3.0, -3.0, 1e-4, 1e10, INF, -INF, NAN],
    "acosh": [1.0, 1.5, 2.0, 10.0, 1e10, 1.0009765625, 0.5, 0.0, -1.0, INF, NAN],
    "atanh": [0.0, -0.0, 0.5, -0.5, 0.99, 1e-4, 1.0, -1.0, 1.5, NAN],
}

BINARY_INPUTS = {
    "add": [(1.0, 2.0), (0.1, 0.2), (-0.0, -0.0), (-0.0, 0.0), (INF, -INF), (1e30, 1e30),
            (60000.0, 60000.0), (2.0 ** -14, -(2.0 ** -15) - 2.0 ** -17), (NAN, 1.0), (1.0, 2.0 ** -24),
            (1.0, 1.0 / 3.0)],
    "subtract": [(1.0, 1.0), (0.1, 0.3), (-0.0, 0.0), (INF, INF), (1.5, 2.0 ** -30), (3.0, 1.0 / 3.0),
                 (2.0 ** -13, 2.0 ** -13 - 2.0 ** -22)],
    "multiply": [(60000.0, 2.0), (0.1, 0.1), (-0.0, 5.0), (INF, 0.0), (2.0 ** -14, 0.5), (3.0, 1.0 / 3.0),
                 (1e20, 1e20), (-1.5, 1.25), (2.0 ** -14, 2.0 ** -10)],
    "divide": [(1.0, 3.0), (1.0, 0.0), (-1.0, 0.0), (0.0, 0.0), (1.0, -0.0), (2.0 ** -14, 8.0), (7.0, 2.0),
               (2.0, 7.0), (60000.0, 0.5)],
    "remainder": [(5.5, 2.0), (-5.5, 2.0), (5.5, -2.0), (-5.5, -2.0), (1.0, 0.0), (INF, 1.0), (1.0, INF),
                  (-0.0, 1.0), (0.3, 0.1), (-4.0, 2.0)],
    "power": [(-2.0, 3.0), (2.0, 0.5), (2.0, -1.0), (0.0, 0.0), (-2.0, 0.5), (10.0, 2.0), (1.5, 2.5),
              (0.0, -1.0), (NAN, 0.0), (1.0, NAN), (2.0, 20.0), (-0.0, 3.0)],
    "maximum": [(1.0, 2.0), (2.0, 1.0), (NAN, 1.0), (1.0, NAN), (-0.0, 0.0), (0.0, -0.0), (-INF, -1.0),
                (NAN, NAN), (-0.0, -0.0)],
    "minimum": [(1.0, 2.0), (2.0, 1.0), (NAN, 1.0), (1.0, NAN), (-0.0, 0.0), (0.0, -0.0), (INF, -1.0),
                (NAN, NAN), (0.0, 0.0)],
    "atan2": [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.0, -1.0), (-0.0, -1.0), (0.0, 0.0), (-0.0, -0.0),
              (1.0, 0.0), (INF, INF), (NAN, 1.0), (0.5, 3.0)],
}

COMPARE_INPUTS = [(1.0, 2.0), (2.0, 1.0), (1.0, 1.0), (-0.0, 0.0), (NAN, 1.0), (1.0, NAN), (NAN, NAN),
                  (INF, INF), (-INF, 1.0), (0.5, 0.75), (-1.5, -0.25)]

SELECT_INPUTS = [(1, 1.5, -2.0), (0, 1.5, -2.0), (1, NAN, 3.0), (0, NAN, 3.0), (1, -0.0, 0.0), (0, 1.0, -0.0)]

CLAMP_INPUTS = [(0.0, -1.0, 1.0), (0.0, 0.5, 1.0), (0.0, 2.0, 1.0), (0.0, NAN, 1.0), (0.0, -0.0, 1.0),
                (-1.0, -0.0, 1.0), (-1.0, 0.0, -0.0), (NAN, 0.5, 1.0), (0.0, INF, 1.0), (0.25, -INF, 0.75)]

IS_FINITE_INPUTS = [0.0, -0.0, 1.0, INF, -INF, NAN, 65504.0, -3.5]


def round_afz(x):
    """Nearest integer, halfway cases away from zero, keeping the sign of zero (exact, with Fractions)."""
    if math.isnan(x) or math.isinf(x):
        return x
    q = math.floor(abs(Fraction(x)) + Fraction(1, 2))
    return math.copysign(float(q), x)


def ieee_unary(op, x, dtype):
    single = dtype != "f64"
    if op == "neg":
        return -x
    if op == "abs":
        return abs(x)
    if op == "sign":
        return sign(x)
    if op in ("floor", "ceil", "roundNearestEven"):
        fn = {"floor": np.floor, "ceil": np.ceil, "roundNearestEven": np.rint}[op]
        return float(fn(np.float64(x)))  # exact in every format
    if op == "roundNearestAfz":
        return round_afz(x)  # exact in every format
    if op == "sqrt":
        if dtype == "f64":
            return float(np.sqrt(np.float64(x)))
        if dtype == "f16":
            return float(np.sqrt(np.float16(x)))
        return narrow(np.sqrt(np.float32(x)), dtype)
    if op == "rsqrt":
        if dtype == "f64":
            return float(np.float64(1) / np.sqrt(np.float64(x)))
        return narrow(np.float32(1) / np.sqrt(np.float32(x)), dtype)
    if op == "logistic":
        if dtype == "f64":
            e = libm("exp", 1, False)(-x)
            return float(np.float64(1) / (np.float64(1) + np.float64(e)))
        e = np.float32(libm("exp", 1, True)(-x))
        return narrow(np.float32(1) / (np.float32(1) + e), dtype)
    result = libm(LIBM_UNARY[op], 1, single)(x)
    return result if dtype == "f64" else narrow(result, dtype)


def ieee_binary(op, a, b, dtype):
    if op in ("add", "subtract", "multiply", "divide"):
        fn = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide}[op]
        if dtype == "f64":
            return float(fn(np.float64(a), np.float64(b)))
        if dtype == "f32":
            return float(fn(np.float32(a), np.float32(b)))
        if dtype == "f16":
            return float(fn(np.float16(a), np.float16(b)))
        return bf16_from_f32(fn(np.float32(a), np.float32(b)))
    if op == "maximum":
        return xla_max(a, b)
    if op == "minimum":
        return xla_min(a, b)
    result = libm(LIBM_BINARY[op], 2, dtype != "f64")(a, b)
    return result if dtype == "f64" else narrow(result, dtype)


def double_mode_unary(op, x):
    return ieee_unary(op, x, "f64")


def double_mode_binary(op, a, b):
    return ieee_binary(op, a, b, "f64")


# MARK: - MPFR references (mpmath, 80 digits)

def real_cbrt(x):
    v = mp.mpf(x)
    return -mpmath.cbrt(-v) if v < 0 else mpmath.cbrt(v)


def fmod_exact(a, b):
    qa, qb = Fraction(a), Fraction(b)
    return qa - qb * math.trunc(qa / qb)


MPFR_UNARY = {
    "neg": (lambda x: -Fraction(x), [1.5, -0.1, 1e300]),
    "abs": (lambda x: abs(Fraction(x)), [-2.25, 0.1, -1e-300]),
    "sign": (lambda x: Fraction((x > 0) - (x < 0)), [-3.7, 2.0, 1e-300]),
    "exp": (mpmath.exp, [1.0, -1.0, 0.5, 0.1, 709.7, -745.0, 100.0, 1e-10]),
    "expm1": (mpmath.expm1, [1e-10, -1e-10, 1.0, -1.0, 0.1, 50.0]),
    "log": (mpmath.log, [2.0, 0.5, 10.0, 0.1, 1e-300, 1 + 2.0 ** -52]),
    "log1p": (mpmath.log1p, [1e-10, -0.5, 1.0, 0.1, 1e300]),
    "sqrt": (mpmath.sqrt, [2.0, 3.0, 0.1, 1e-300, 0.25]),
    "rsqrt": (lambda x: 1 / mpmath.sqrt(x), [2.0, 3.0, 0.1, 0.25, 1e-300, 1e300]),
    "cbrt": (real_cbrt, [2.0, -8.0, 27.0, 0.1, -3.0, 1e-300]),
    "tanh": (mpmath.tanh, [0.5, -0.5, 1e-10, 0.1, 20.0, 3.0]),
    "logistic": (lambda x: 1 / (1 + mpmath.exp(-mp.mpf(x))),
                 [0.5, -0.5, 1.0, 0.1, 10.0, -10.0, 40.0, -40.0, 700.0, -700.0, 1e-10]),
    "sin": (mpmath.sin, [1.0, 0.5, 0.1, 1e22, -2.0, 3.0]),
    "cos": (mpmath.cos, [1.0, 0.5, 0.1, 1e22, -2.0, 1.5707963267948966]),
    "tan": (mpmath.tan, [1.0, 0.1, 1.5707963267948966, 1e22, -0.5]),
    "erf": (mpmath.erf, [0.5, -0.5, 0.1, 1e-10, 3.0, -2.0]),
    "floor": (lambda x: Fraction(math.floor(Fraction(x))), [2.5, -2.5, 0.3, 1e300, 4503599627370495.5]),
    "ceil": (lambda x: Fraction(math.ceil(Fraction(x))), [2.5, -2.5, 0.3, 1e300, 4503599627370495.5]),
    "roundNearestEven": (lambda x: Fraction(round(Fraction(x))), [2.5, 3.5, -2.5, 1.5, 2.4, 4503599627370495.5]),
    "roundNearestAfz": (lambda x: Fraction(round_afz(x)), [2.5, 3.5, -2.5, 1.5, 2.4, 4503599627370495.5, -0.5000001]),
    "atan": (mpmath.atan, [0.5, -0.5, 1e-10, 0.1, 1e20, 3.0]),
    "sinh": (mpmath.sinh, [0.5, -0.5, 1e-10, 0.1, 20.0, 700.0]),
    "cosh": (mpmath.cosh, [0.5, -0.5, 1e-10, 0.1, 20.0, 700.0]),
    "asin": (mpmath.asin, [0.5, -0.5, 1e-10, 0.1, 0.999, 1.0]),
    "acos": (mpmath.acos, [0.5, -0.5, 1e-10, 0.1, 0.999, -1.0]),
    "asinh": (mpmath.asinh, [0.5, -0.5, 1e-10, 0.1, 1e20, 3.0]),
    "acosh": (mpmath.acosh, [1.5, 2.0, 1 + 2.0 ** -40, 10.0, 1e20, 3.0]),
    "atanh": (mpmath.atanh, [0.5, -0.5, 1e-10, 0.1, 0.999, 1 - 2.0 ** -40]),
}

MPFR_BINARY = {
    "add": (lambda a, b: Fraction(a) + Fraction(b), [(0.1, 0.2), (1.0, 2.0 ** -60), (1e16, 1.5), (-1.5, 0.25)]),
    "subtract": (lambda a, b: Fraction(a) - Fraction(b), [(0.3, 0.1), (1.0, 1e-20), (1e16 + 2, 1e16)]),
    "multiply": (lambda a, b: Fraction(a) * Fraction(b), [(0.1, 3.0), (1e200, 1e200), (1 + 2.0 ** -52, 1 + 2.0 ** -52)]),
    "divide": (lambda a, b: Fraction(a) / Fraction(b), [(1.0, 3.0), (0.1, 0.7), (7.0, -0.5), (1e300, 1e-100)]),
    "remainder": (fmod_exact, [(5.5, 2.0), (-5.5, 2.0), (5.5, -2.0), (0.3, 0.1), (1e22, 0.1)]),
    "power": (lambda a, b: mpmath.power(mp.mpf(a), mp.mpf(b)),
              [(-2.0, 3.0), (2.0, 0.5), (10.0, -2.0), (1.5, 2.5), (3.0, 1.0 / 3.0), (1.0000001, 1e9)]),
    "maximum": (lambda a, b: max(Fraction(a), Fraction(b)), [(1.0, 2.0), (-1.0, -2.0), (0.1, 0.2)]),
    "minimum": (lambda a, b: min(Fraction(a), Fraction(b)), [(1.0, 2.0), (-1.0, -2.0), (0.1, 0.2)]),
    "atan2": (mpmath.atan2, [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.5, 2.0), (0.1, -0.3), (3.0, 1e-300)]),
}

# f32-typed graph in the MPFR domain: the truth is not rounded to f32 on the way.
MPFR_F32_UNARY = {
    "exp": (mpmath.exp, [0.1, 1.0, -3.5]),
    "logistic": (lambda x: 1 / (1 + mpmath.exp(-mp.mpf(x))), [0.1, 2.0, -3.5]),
    "erf": (mpmath.erf, [0.1, 0.75, -1.25]),
    "cbrt": (real_cbrt, [0.1, 3.0, -10.0]),
    "rsqrt": (lambda x: 1 / mpmath.sqrt(x), [0.1, 3.0, 10.0]),
}


# MARK: - dot and reduce

def sample(n, seed):
    """Deterministic f32 values of mixed magnitude (so that rounding matters)."""
    out = []
    for k in range(n):
        v = math.sin(1.7 * k + seed) * (10.0 ** ((k + seed) % 4 - 1))
        out.append(float(np.float32(v)))
    return out


def strides(shape):
    s, running = [1] * len(shape), 1
    for axis in reversed(range(len(shape))):
        s[axis] = running
        running *= shape[axis]
    return s


def indices(shape):
    if any(d == 0 for d in shape):
        return
    index = [0] * len(shape)
    while True:
        yield list(index)
        axis = len(shape) - 1
        while axis >= 0:
            index[axis] += 1
            if index[axis] < shape[axis]:
                break
            index[axis] = 0
            axis -= 1
        if axis < 0:
            return


def sum_f32_sequential(terms):
    acc = np.float32(0)
    for t in terms:
        acc = np.float32(acc + np.float32(t))
    return float(acc)


def tree_f32(terms, lo, hi):
    if hi - lo == 1:
        return np.float32(terms[lo])
    mid = (lo + hi) // 2
    return np.float32(tree_f32(terms, lo, mid) + tree_f32(terms, mid, hi))


def sum_f32_pairwise(terms, init=0.0):
    if len(terms) == 1:
        return float(np.float32(np.float32(init) + np.float32(terms[0])))
    return float(np.float32(np.float32(init) + tree_f32(terms, 0, len(terms))))


def dot_terms(lhs, lshape, rhs, rshape, lb, rb, lc, rc):
    """Per output element (row-major), the list of (lhs, rhs) operand pairs."""
    ls, rs = strides(lshape), strides(rshape)
    lfree = [d for d in range(len(lshape)) if d not in lb and d not in lc]
    rfree = [d for d in range(len(rshape)) if d not in rb and d not in rc]
    out_shape = [lshape[d] for d in lb] + [lshape[d] for d in lfree] + [rshape[d] for d in rfree]
    contracted = [lshape[d] for d in lc]
    rows = []
    for index in indices(out_shape):
        nb, nl = len(lb), len(lfree)
        l = sum(index[k] * ls[lb[k]] for k in range(nb)) + sum(index[nb + k] * ls[lfree[k]] for k in range(nl))
        r = sum(index[k] * rs[rb[k]] for k in range(nb)) + \
            sum(index[nb + nl + k] * rs[rfree[k]] for k in range(len(rfree)))
        pairs = []
        for cidx in indices(contracted):
            lo = sum(i * ls[d] for i, d in zip(cidx, lc))
            ro = sum(i * rs[d] for i, d in zip(cidx, rc))
            pairs.append((lhs[l + lo], rhs[r + ro]))
        rows.append(pairs)
    return out_shape, rows


DOTS = [
    # name, operand dtype, result dtype, lhs shape, rhs shape, lhs_batch, rhs_batch, lhs_contracting,
    # rhs_contracting, seed (picked so that f32 accumulation and the two orders make a difference)
    ("matrixVector", "f32", "f32", [3, 5], [5], [], [], [1], [0], 4),
    ("matrixMatrix", "f32", "f32", [2, 6], [6, 3], [], [], [1], [0], 4),
    ("batchMatmul", "f32", "f32", [2, 2, 4], [2, 4, 3], [0], [0], [2], [1], 1),
    ("middleContraction", "f32", "f32", [2, 5, 2], [5, 3], [], [], [1], [0], 5),
    ("bf16ToF32", "bf16", "f32", [2, 6], [6], [], [], [1], [0], 7),
]


def emit_dots():
    print("    static let dots: [DotReference] = [")
    for (name, odt, rdt, lshape, rshape, lb, rb, lc, rc, seed) in DOTS:
        n_l = int(np.prod(lshape))
        n_r = int(np.prod(rshape))
        lhs = [representable(v, odt) for v in sample(n_l, seed)]
        rhs = [representable(v, odt) for v in sample(n_r, seed + 1)]
        out_shape, rows = dot_terms(lhs, lshape, rhs, rshape, lb, rb, lc, rc)
        sequential, pairwise, exact, in_double, double_mode = [], [], [], [], []
        for pairs in rows:
            products = [float(np.float32(np.float32(a) * np.float32(b))) for a, b in pairs]
            sequential.append(sum_f32_sequential(products))
            pairwise.append(sum_f32_pairwise(products))
            exact.append(mp_to_f64(sum(Fraction(a) * Fraction(b) for a, b in pairs)))
            in_double.append(float(np.float32(sum(a * b for a, b in pairs))))
            acc = 0.0  # double mode: binary64 products and sequential binary64 sums
            for a, b in pairs:
                acc = acc + a * b
            double_mode.append(acc)
        # The test only discriminates if f32 accumulation differs from a wider one.
        # The tests only discriminate if f32 accumulation differs from a wider
        # one, and the sequential order from the pairwise one.
        assert any(x != y for x, y in zip(sequential, in_double)), name
        assert any(x != y for x, y in zip(sequential, pairwise)), name
        print("        DotReference(")
        print("            name: \"%s\", operandDType: .%s, resultDType: .%s," % (name, odt, rdt))
        print("            lhsShape: %s, rhsShape: %s, outShape: %s," % (lshape, rshape, out_shape))
        print("            dimensions: DotDimensions(lhsBatch: %s, rhsBatch: %s, lhsContracting: %s, rhsContracting: %s),"
              % (lb, rb, lc, rc))
        print("            lhs: %s," % lits(lhs))
        print("            rhs: %s," % lits(rhs))
        print("            sequential: %s," % lits(sequential))
        print("            pairwise: %s," % lits(pairwise))
        print("            double: %s," % lits(double_mode))
        print("            exact: %s)," % lits(exact))
    print("    ]")


def emit_reduce():
    # f32[3,7] summed over dimension 1: sequential and pairwise differ.
    values = sample(21, 3)
    rows = [values[7 * r: 7 * r + 7] for r in range(3)]
    sequential = [sum_f32_sequential(row) for row in rows]
    pairwise = [sum_f32_pairwise(row) for row in rows]
    exact = [mp_to_f64(sum(Fraction(v) for v in row)) for row in rows]
    assert sequential != pairwise
    print("    /// f32[3,7] reduced over dimension 1 with `add` from +0.")
    print("    static let reduceRowsInput: [Double] = %s" % lits(values))
    print("    static let reduceRowsSequential: [Double] = %s" % lits(sequential))
    print("    static let reduceRowsPairwise: [Double] = %s" % lits(pairwise))
    print("    static let reduceRowsExact: [Double] = %s" % lits(exact))


# MARK: - Main

def swift_op(op):
    return "." + op


def emit_ieee(dtype):
    print("    static let %sUnary: [UnaryReference] = [" % dtype)
    for op, inputs in UNARY_INPUTS.items():
        xs = [representable(x, dtype) for x in inputs]
        ys = [ieee_unary(op, x, dtype) for x in xs]
        print("        UnaryReference(%s, %s,\n                       %s)," % (swift_op(op), lits(xs), lits(ys)))
    print("    ]")
    print("    static let %sBinary: [BinaryReference] = [" % dtype)
    for op, pairs in BINARY_INPUTS.items():
        a = [representable(p[0], dtype) for p in pairs]
        b = [representable(p[1], dtype) for p in pairs]
        ys = [ieee_binary(op, u, v, dtype) for u, v in zip(a, b)]
        print("        BinaryReference(%s, %s,\n                        %s,\n                        %s),"
              % (swift_op(op), lits(a), lits(b), lits(ys)))
    print("    ]")


def emit_shared():
    a = [p[0] for p in COMPARE_INPUTS]
    b = [p[1] for p in COMPARE_INPUTS]
    print("    static let compareLhs: [Double] = %s" % lits(a))
    print("    static let compareRhs: [Double] = %s" % lits(b))
    print("    static let compare: [ComparisonDirection: [Int64]] = [")
    for d, fn in COMPARE.items():
        print("        .%s: %s," % (d, ints(int(fn(u, v)) for u, v in zip(a, b))))
    print("    ]")
    print("    static let selectPredicate: [Int64] = %s" % ints(p[0] for p in SELECT_INPUTS))
    print("    static let selectOnTrue: [Double] = %s" % lits(p[1] for p in SELECT_INPUTS))
    print("    static let selectOnFalse: [Double] = %s" % lits(p[2] for p in SELECT_INPUTS))
    print("    static let selectExpected: [Double] = %s" % lits(p[1] if p[0] else p[2] for p in SELECT_INPUTS))
    print("    static let clampLow: [Double] = %s" % lits(p[0] for p in CLAMP_INPUTS))
    print("    static let clampOperand: [Double] = %s" % lits(p[1] for p in CLAMP_INPUTS))
    print("    static let clampHigh: [Double] = %s" % lits(p[2] for p in CLAMP_INPUTS))
    print("    static let clampExpected: [Double] = %s"
          % lits(xla_min(xla_max(x, lo), hi) for lo, x, hi in CLAMP_INPUTS))
    print("    static let isFiniteInput: [Double] = %s" % lits(IS_FINITE_INPUTS))
    print("    static let isFiniteExpected: [Int64] = %s" % ints(int(math.isfinite(x)) for x in IS_FINITE_INPUTS))


def emit_double_mode(dtype):
    print("    /// %s-typed inputs evaluated in double mode (every op in binary64)." % dtype)
    print("    static let doubleMode%sUnary: [UnaryReference] = [" % dtype.upper())
    for op, inputs in UNARY_INPUTS.items():
        xs = [representable(x, dtype) for x in inputs]
        print("        UnaryReference(%s, %s,\n                       %s),"
              % (swift_op(op), lits(xs), lits(double_mode_unary(op, x) for x in xs)))
    print("    ]")
    print("    static let doubleMode%sBinary: [BinaryReference] = [" % dtype.upper())
    for op, pairs in BINARY_INPUTS.items():
        a = [representable(p[0], dtype) for p in pairs]
        b = [representable(p[1], dtype) for p in pairs]
        print("        BinaryReference(%s, %s,\n                        %s,\n                        %s),"
              % (swift_op(op), lits(a), lits(b), lits(double_mode_binary(op, u, v) for u, v in zip(a, b))))
    print("    ]")


def emit_mpfr():
    print("    /// f64 inputs; expected: mpmath (%d digits) correctly rounded to binary64." % mp.dps)
    print("    static let mpfrUnary: [UnaryReference] = [")
    for op, (fn, inputs) in MPFR_UNARY.items():
        print("        UnaryReference(%s, %s,\n                       %s),"
              % (swift_op(op), lits(inputs), lits(mp_to_f64(checked(fn, x)) for x in inputs)))
    print("    ]")
    print("    static let mpfrBinary: [BinaryReference] = [")
    for op, (fn, pairs) in MPFR_BINARY.items():
        a = [p[0] for p in pairs]
        b = [p[1] for p in pairs]
        print("        BinaryReference(%s, %s,\n                        %s,\n                        %s),"
              % (swift_op(op), lits(a), lits(b), lits(mp_to_f64(checked(fn, u, v)) for u, v in zip(a, b))))
    print("    ]")
    print("    /// f32 inputs to an f32-typed graph in the MPFR domain: `expected` is the")
    print("    /// truth rounded to binary64, `expectedF32` the truth rounded once to binary32.")
    print("    static let mpfrF32Unary: [MPFRF32Reference] = [")
    for op, (fn, inputs) in MPFR_F32_UNARY.items():
        xs = [representable(x, "f32") for x in inputs]
        print("        MPFRF32Reference(%s, %s,\n                         %s,\n                         %s),"
              % (swift_op(op), lits(xs), lits(mp_to_f64(checked(fn, x)) for x in xs), lits(mp_to_f32(checked(fn, x)) for x in xs)))
    print("    ]")


def main():
    print("// Generated by make_reference.py (numpy %s, mpmath %s at %d digits, glibc libm via ctypes)."
          % (np.__version__, mpmath.__version__, mp.dps))
    print("// Do not edit: regenerate with `python3 make_reference.py > ElementwiseReference.swift`.")
    print("import FPGraph")
    print()
    print("enum ElementwiseReference {")
    for dtype in ("f64", "f32", "f16", "bf16"):
        emit_ieee(dtype)
    emit_shared()
    emit_double_mode("f32")
    emit_double_mode("f16")
    emit_mpfr()
    emit_dots()
    emit_reduce()
    print("}")


if __name__ == "__main__":
    main()
