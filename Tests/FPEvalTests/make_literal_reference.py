#!/usr/bin/env python3
"""Reference values for ConstantLiteralTests: the MPFR truth of `x * c` where
`c` is an f32 constant written as the decimal 0.1 (the real 1/10, not its f32
rounding) and `x` an f32 parameter.

mpmath at 200 bits rounds to nearest at each step exactly as MPFR does at a
working precision of 200 bits: the literal read rounded to nearest, then one
correctly rounded product. Printed as 55 significant digits in the
`d.ddd…e<exp>` form of `MPFRBuffer.decimal(_:digits:)`.

Usage: python3 make_literal_reference.py
"""

import decimal
import struct

import mpmath


def f32(x):
    """The float32 nearest to x (round to nearest even), as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def correctly_rounded(v, digits):
    """v (an mpf: exactly man * 2^exp) to `digits` significant digits, ties to even."""
    sign, man, exp, _ = v._mpf_
    wide = decimal.Context(prec=2000)
    exact = wide.multiply(decimal.Decimal(man), wide.power(decimal.Decimal(2), exp))
    rounded = decimal.Context(prec=digits, rounding=decimal.ROUND_HALF_EVEN).plus(exact)
    _, ds, e = rounded.as_tuple()
    text = "".join(map(str, ds)).ljust(digits, "0")
    exponent = e + len(ds) - 1
    return ("-" if sign else "") + text[0] + "." + text[1:] + "e" + str(exponent)


mpmath.mp.prec = 200
for x in [3.0, f32(0.7), f32(1e-30), f32(-12345.678)]:
    v = mpmath.mpf(x) * mpmath.mpf("0.1")
    print(f'({float(x).hex()}, "{correctly_rounded(v, 55)}"),')
