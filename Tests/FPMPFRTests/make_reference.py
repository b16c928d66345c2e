#!/usr/bin/env python3
"""Generates MPFRReference.swift: independent reference values for FPMPFR's kernels.

Every expected value is the correctly rounded (ties to even) binary64 value of
the exact result: exact operations (add, multiply, fmod, floor, ...) are done
with Python Fractions; transcendental ones with mpmath at 200 decimal digits
and then rounded to binary64 exactly (Fraction -> float is correctly rounded,
including subnormals). Inputs and outputs are printed as Swift hex-float
literals. Signed zeros and NaNs are not covered here (mpmath has neither);
the Swift tests check those special cases by hand.

Usage: python3 make_reference.py > MPFRReference.swift
"""

import math
import struct
from fractions import Fraction

import mpmath
from mpmath import mp

mp.dps = 200


def to_double(value):
    """Correctly rounded binary64 value of an mpf or Fraction."""
    if isinstance(value, Fraction):
        exact = value
    else:
        value = mp.mpf(value)
        if mpmath.isnan(value):
            raise ValueError("NaN reference")
        if mpmath.isinf(value):
            return math.inf if value > 0 else -math.inf
        if value == 0:
            return 0.0
        sign, man, exp, _ = value._mpf_  # value = (-1)^sign * man * 2^exp
        exact = Fraction(-man if sign else man) * (Fraction(2) ** exp)
    try:
        return float(exact)  # int / int true division: correctly rounded
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def swift_literal(x):
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    if x != 0 and abs(x) < 2.0 ** -1022:
        # Swift warns on subnormal float literals; spell them as bit patterns.
        bits = struct.unpack("<Q", struct.pack("<d", x))[0]
        return "Double(bitPattern: 0x%016x)" % bits
    return x.hex()


def exact(x):
    return Fraction(x)


def round_half_even(q):
    return Fraction(round(q))  # Python's round on Fraction: ties to even


def fmod(a, b):
    q = exact(a) / exact(b)
    truncated = math.trunc(q)
    return exact(a) - exact(b) * truncated


def real_cbrt(x):
    v = mp.mpf(x)
    return -mpmath.cbrt(-v) if v < 0 else mpmath.cbrt(v)


UNARY = {
    "neg": (lambda x: -exact(x), [1.5, -float.fromhex('0x1.fffffffffffffp+1023'), 5e-324, math.inf]),
    "abs": (lambda x: abs(exact(x)), [-2.25, 3.0, -5e-324, -math.inf]),
    "sign": (lambda x: Fraction((x > 0) - (x < 0)), [-3.7, 2.0, 1e-300, -math.inf, math.inf]),
    "exp": (lambda x: mpmath.exp(x), [1.0, -1.0, 0.5, 709.7, 710.0, -745.1, -746.0, 1e-10, 100.0]),
    "expm1": (lambda x: mpmath.expm1(x), [1e-10, -1e-10, 1.0, -1.0, 0.5, 50.0, -50.0]),
    "log": (lambda x: mpmath.log(x), [2.0, 0.5, 10.0, 1e-300, 1 + 2**-52, 5e-324, 1.7e308]),
    "log1p": (lambda x: mpmath.log1p(x), [1e-10, -0.5, 1.0, 1e300, -1 + 2**-53, math.inf]),
    "sqrt": (lambda x: mpmath.sqrt(x), [2.0, 3.0, 1e-300, 5e-324, 0.25, 1e300, math.inf]),
    "rsqrt": (lambda x: 1 / mpmath.sqrt(x), [2.0, 3.0, 0.25, 1e-300, 1e300, 5e-324]),
    "cbrt": (real_cbrt, [2.0, -8.0, 27.0, 1e-300, -3.0, 5e-324]),
    "tanh": (lambda x: mpmath.tanh(x), [0.5, -0.5, 1e-10, 20.0, -20.0, 3.0]),
    "logistic": (lambda x: 1 / (1 + mpmath.exp(-mp.mpf(x))),
                 [0.5, -0.5, 1.0, 10.0, -10.0, 30.0, -30.0, 700.0, -700.0, 1e-10, -745.0]),
    "sin": (lambda x: mpmath.sin(x), [1.0, 0.5, 1e22, math.pi, 1e-10, -2.0, 1e300]),
    "cos": (lambda x: mpmath.cos(x), [1.0, 0.5, 1e22, math.pi / 2, 1e-10, -2.0, 1e300]),
    "tan": (lambda x: mpmath.tan(x), [1.0, math.pi / 2, 1e22, -0.5, 1e-10]),
    "erf": (lambda x: mpmath.erf(x), [0.5, -0.5, 1e-10, 3.0, 6.0, -2.0]),
    "floor": (lambda x: Fraction(math.floor(exact(x))), [2.5, -2.5, 0.3, -0.3, 1e300, 4503599627370495.5]),
    "ceil": (lambda x: Fraction(math.ceil(exact(x))), [2.5, -2.5, 0.3, 1e300, 4503599627370495.5]),
    "roundNearestEven": (lambda x: round_half_even(exact(x)),
                         [2.5, 3.5, -3.5, -2.5, 0.5, 1.5, 4503599627370495.5, 2.4999999999999996]),
    "roundNearestAfz": (lambda x: Fraction(math.copysign(math.floor(abs(exact(x)) + Fraction(1, 2)), x)),
                        [2.5, 3.5, -3.5, -2.5, 0.5, 1.5, 4503599627370495.5, 2.4999999999999996]),
    "atan": (lambda x: mpmath.atan(x), [0.5, -0.5, 1e-10, 1e300, 3.0, -1.0]),
    "sinh": (lambda x: mpmath.sinh(x), [0.5, -0.5, 1e-10, 20.0, 710.0, -3.0]),
    "cosh": (lambda x: mpmath.cosh(x), [0.5, -0.5, 1e-10, 20.0, 710.0, -3.0]),
    "asin": (lambda x: mpmath.asin(x), [0.5, -0.5, 1e-10, 0.999, 1.0, -1.0]),
    "acos": (lambda x: mpmath.acos(x), [0.5, -0.5, 1e-10, 0.999, -1.0, 1 - 2**-53]),
    "asinh": (lambda x: mpmath.asinh(x), [0.5, -0.5, 1e-10, 1e300, 3.0, -20.0]),
    "acosh": (lambda x: mpmath.acosh(x), [1.5, 2.0, 1 + 2**-52, 1e300, 3.0, 10.0]),
    "atanh": (lambda x: mpmath.atanh(x), [0.5, -0.5, 1e-10, 0.999, 1 - 2**-53, -0.25]),
}

BINARY = {
    "add": (lambda a, b: exact(a) + exact(b),
            [(1.0, 2**-60), (1e16, 1.5), (0.1, 0.2), (1e308, 1e308), (5e-324, 5e-324), (-1.5, 0.25)]),
    "subtract": (lambda a, b: exact(a) - exact(b),
                 [(1.0, 1e-20), (0.3, 0.1), (1e16 + 2, 1e16), (-1e308, 1e308), (2**-1022, 2**-1023 + 2**-1074)]),
    "multiply": (lambda a, b: exact(a) * exact(b),
                 [(0.1, 3.0), (1e200, 1e200), (1e-200, 1e-200), (1 + 2**-52, 1 + 2**-52), (-2.5, 4.0),
                  (2**-537, 2**-537 * 1.5)]),
    "divide": (lambda a, b: exact(a) / exact(b),
               [(1.0, 3.0), (2.0, 3.0), (-1.0, 7.0), (1e-300, 1e10), (1e300, 1e-10), (5e-324, 2.0),
                (1.5 * 5e-324, 2.0), (7.0, -0.5)]),
    "remainder": (fmod, [(7.0, 3.0), (7.0, -3.0), (5.5, 2.0), (1e300, 3.0), (0.1, 0.03), (1e22, 0.1), (-5.25, 0.5)]),
    "power": (lambda a, b: mpmath.power(mp.mpf(a), mp.mpf(b)),
              [(2.0, 0.5), (2.0, 10.0), (10.0, -2.0), (-8.0, 3.0), (0.5, 1074.0), (2.0, 1024.0),
               (1.0000001, 1e9), (-2.0, -3.0), (3.0, 1 / 3), (0.5, 1075.0)]),
    "maximum": (lambda a, b: max(exact(a), exact(b)), [(1.0, 2.0), (-1.0, -2.0), (3.5, 3.5), (-math.inf, 1.0)]),
    "minimum": (lambda a, b: min(exact(a), exact(b)), [(1.0, 2.0), (-1.0, -2.0), (3.5, 3.5), (-math.inf, 1.0)]),
    "atan2": (lambda a, b: mpmath.atan2(a, b),
              [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.5, 2.0), (1e-300, 1e300), (3.0, 1e-300), (1.0, -1e-300)]),
}


def unary_value(name, fn, x):
    if math.isinf(x):
        table = {
            "neg": -x, "abs": math.inf, "sign": math.copysign(1.0, x),
            "log1p": math.inf, "sqrt": math.inf,
        }
        return table[name]
    return to_double(fn(x))


def binary_value(name, fn, a, b):
    if math.isinf(a) or math.isinf(b):
        table = {"maximum": max(a, b), "minimum": min(a, b)}
        return table[name]
    return to_double(fn(a, b))


def main():
    print("// swift-format-ignore-file")
    print("// Generated by make_reference.py (mpmath %s, %d digits): do not edit." % (mpmath.__version__, mp.dps))
    print("// Expected values are the correctly rounded binary64 results.")
    print("@testable import FPMPFR")
    print()
    print("/// Independent reference results for every unary and binary kernel.")
    print("enum MPFRReference {")
    print("    struct Unary { let op: MPFRUnaryOp; let x: Double; let expected: Double }")
    print("    struct Binary { let op: MPFRBinaryOp; let a: Double; let b: Double; let expected: Double }")
    print()
    print("    static let unary: [Unary] = [")
    for name, (fn, inputs) in UNARY.items():
        for x in inputs:
            y = unary_value(name, fn, x)
            print("        Unary(op: .%s, x: %s, expected: %s), // %s(%r) = %r"
                  % (name, swift_literal(x), swift_literal(y), name, x, y))
    print("    ]")
    print()
    print("    static let binary: [Binary] = [")
    for name, (fn, inputs) in BINARY.items():
        for a, b in inputs:
            y = binary_value(name, fn, a, b)
            print("        Binary(op: .%s, a: %s, b: %s, expected: %s), // %s(%r, %r) = %r"
                  % (name, swift_literal(a), swift_literal(b), swift_literal(y), name, a, b, y))
    print("    ]")
    print("}")


if __name__ == "__main__":
    main()
