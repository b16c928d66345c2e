#!/usr/bin/env python3
"""Reference runs of XLA CPU's rng-bit-generator, for RandomBitGeneratorTests.

Prints a Swift source file (RandomBitGeneratorReference.swift): one entry per
run with the algorithm (as StableHLO names it), the initial state, the output
element width and shape, and what XLA CPU returned: the new state and every
output element's bits (row-major).

* u64[2] states: `jax.lax.rng_bit_generator` under `jax.jit` on CPU with
  `jax_enable_x64` (needed for uint64 output and for passing the u64[2] state
  as it is), for algorithms RNG_THREE_FRY, RNG_PHILOX and RNG_DEFAULT, dtypes
  uint8/16/32/64, several states (zero, all ones, counters that wrap during
  the call) and shapes (scalar, odd and even counts, shapes whose Threefry
  fill differs from a flat one, zero-size).
* u64[3] Philox states: JAX only lowers u32[4]/u64[2] keys, so these compile
  a one-op StableHLO module with the CPU client directly (checked first to
  agree with jax.jit on u64[2] states).

The script also asserts the facts the Swift side relies on: RNG_DEFAULT is
Philox on CPU; uint8/uint16 outputs are the low 8/16 bits of the uint32
output for the same state and shape (and advance the state the same way);
JAX's u32[4] key [a, b, c, d] is the u64[2] state [a | b << 32, c | d << 32].

Usage:
    JAX_PLATFORMS=cpu python3 make_rng_bits.py > RandomBitGeneratorReference.swift
    swift format format -i RandomBitGeneratorReference.swift
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import jaxlib  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_enable_x64", True)

from jax._src import xla_bridge  # noqa: E402
from jax._src.lib import xla_client  # noqa: E402

ONES = (1 << 64) - 1

ALGORITHMS = {
    "THREE_FRY": lax.RandomAlgorithm.RNG_THREE_FRY,
    "PHILOX": lax.RandomAlgorithm.RNG_PHILOX,
    "DEFAULT": lax.RandomAlgorithm.RNG_DEFAULT,
}

DTYPES = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}

STATES2 = [
    (0, 0),
    (ONES, ONES),
    (0x0000000200000001, 0x0000000400000003),  # JAX's u32[4] key [1, 2, 3, 4]
    (0x0123456789ABCDEF, 0xFEDCBA9876543210),
    (0x9E3779B97F4A7C15, ONES - 2),  # the counter wraps during the call
]

SHAPES = [
    (), (1,), (3,), (4,), (5,), (7,), (9,),
    (2, 3), (3, 5), (5, 3), (3, 1, 5), (1, 7, 1), (3, 5, 5), (4, 3, 3),
    (0,), (2, 0),
]

STATES3 = [
    (0, 0, 0),
    (ONES, ONES, ONES),
    (0x0123456789ABCDEF, ONES - 1, 0x13198A2E03707344),  # low word wraps
    (0x0123456789ABCDEF, ONES - 1, ONES),  # and the high word too
    (7, 11, 13),
]

SHAPES3 = [(), (1,), (5,), (7,), (2, 3), (3, 5), (9,)]


def run_jit(algorithm, state, width, shape):
    """One rng_bit_generator through jax.jit; state is u64[2] or u32[4]."""
    key = np.array(state, dtype=np.uint64 if len(state) == 2 else np.uint32)
    fn = jax.jit(lambda k: lax.rng_bit_generator(
        k, shape, DTYPES[width], algorithm=ALGORITHMS[algorithm]))
    new_state, bits = fn(jnp.asarray(key))
    return [int(x) for x in np.asarray(new_state)], [int(x) for x in np.asarray(bits).reshape(-1)]


def run_stablehlo(algorithm, state, width, shape):
    """One rng_bit_generator compiled from StableHLO text by the CPU client."""
    backend = xla_bridge.get_backend("cpu")
    n = len(state)
    dims = "".join(f"{d}x" for d in shape)
    out = f"tensor<{dims}ui{width}>"
    st = f"tensor<{n}xui64>"
    src = f"""
module @rbg {{
  func.func public @main(%state: {st}) -> ({st}, {out}) {{
    %s, %v = "stablehlo.rng_bit_generator"(%state)
        {{rng_algorithm = #stablehlo<rng_algorithm {algorithm}>}} : ({st}) -> ({st}, {out})
    return %s, %v : {st}, {out}
  }}
}}"""
    devices = backend.local_devices()[:1]
    exe = backend.compile_and_load(src, xla_client.DeviceList(tuple(devices)), xla_client.CompileOptions())
    arg = jax.device_put(np.array(state, dtype=np.uint64), devices[0])
    new_state, bits = exe.execute([arg])
    return [int(x) for x in np.asarray(new_state)], [int(x) for x in np.asarray(bits).reshape(-1)]


def check_facts():
    """Asserts what the Swift implementation and its documentation assume."""
    for state in STATES2:
        for shape in SHAPES:
            for width in DTYPES:
                assert run_jit("DEFAULT", state, width, shape) == run_jit("PHILOX", state, width, shape)
            for algorithm in ("THREE_FRY", "PHILOX"):
                s32, b32 = run_jit(algorithm, state, 32, shape)
                for width in (8, 16):
                    s, b = run_jit(algorithm, state, width, shape)
                    mask = (1 << width) - 1
                    assert s == s32 and b == [x & mask for x in b32], (algorithm, state, width, shape)
    # JAX's u32[4] key packs little-endian into the u64[2] state.
    for algorithm in ALGORITHMS:
        s4, b4 = run_jit(algorithm, (1, 2, 3, 4), 32, (2, 3))
        s2, b2 = run_jit(algorithm, STATES2[2], 32, (2, 3))
        words = [(s2[i // 2] >> (32 * (i % 2))) & 0xFFFFFFFF for i in range(4)]
        assert b4 == b2 and s4 == words, (algorithm, s4, s2)
    # The direct StableHLO path agrees with jax.jit.
    for algorithm in ALGORITHMS:
        for width in DTYPES:
            for shape in ((), (5,), (3, 5)):
                assert run_stablehlo(algorithm, STATES2[3], width, shape) == run_jit(
                    algorithm, STATES2[3], width, shape)


def hex_literal(x):
    return "0x%X" % x


def swift_array(values, fmt=hex_literal):
    return "[" + ", ".join(fmt(v) for v in values) + "]"


def entry(algorithm, state, width, shape, new_state, bits):
    return "        RandomBitReference(%s, %s, %d, %s, %s, %s)," % (
        '"%s"' % algorithm, swift_array(state), width, swift_array(shape, str),
        swift_array(new_state), swift_array(bits))


def main():
    check_facts()
    print("// Generated by make_rng_bits.py (jax %s, jaxlib %s, XLA CPU)." % (jax.__version__, jaxlib.__version__))
    print("// Do not edit: regenerate with")
    print("// `JAX_PLATFORMS=cpu python3 make_rng_bits.py > RandomBitGeneratorReference.swift`,")
    print("// then `swift format format -i RandomBitGeneratorReference.swift`.")
    print()
    print("enum RandomBitGeneratorReference {")
    print("    /// u64[2] states, through `jax.jit(jax.lax.rng_bit_generator)`.")
    print("    static let twoWordStates: [RandomBitReference] = [")
    for algorithm in ALGORITHMS:
        # RNG_DEFAULT is checked to equal RNG_PHILOX above; a few states keep the mapping tested here.
        states = STATES2 if algorithm != "DEFAULT" else STATES2[1:3]
        for state in states:
            for shape in SHAPES:
                for width in DTYPES:
                    new_state, bits = run_jit(algorithm, state, width, shape)
                    print(entry(algorithm, state, width, shape, new_state, bits))
    print("    ]")
    print("    /// u64[3] Philox states, through a StableHLO module compiled by the CPU client.")
    print("    static let threeWordStates: [RandomBitReference] = [")
    for algorithm in ("PHILOX", "DEFAULT"):
        for state in STATES3:
            for shape in SHAPES3:
                for width in DTYPES:
                    new_state, bits = run_stablehlo(algorithm, state, width, shape)
                    print(entry(algorithm, state, width, shape, new_state, bits))
    print("    ]")
    print("}")


if __name__ == "__main__":
    main()
