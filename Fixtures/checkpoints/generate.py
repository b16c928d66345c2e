"""Makes the checkpoint fixtures the FPFormats checkpoint tests read.

- every.safetensors: one tensor per safetensors dtype fpaudit reads, written by the
  `safetensors` package (numpy API), with a flax-style `__metadata__`;
- every.npz / every_compressed.npz: the NumPy dtypes, written by np.savez and
  np.savez_compressed (bf16 and f8 have no NumPy descr, so they are not in .npz);
- expected.json: each tensor's dtype, shape and values (floats as hex, exactly), read
  back with numpy/ml_dtypes: the independent values the tests compare with;
- pytree.safetensors / pytree.npz: a flax-like parameter tree flattened with "." and "/",
  for the naming-rule tests;
- SHA256SUMS: the files' SHA-256, as `sha256sum` prints them.

Run from the repository root: python3 Fixtures/checkpoints/generate.py
(pinned: numpy 2.4.6, ml_dtypes 0.6.0, safetensors 0.8.0).
"""
import glob
import hashlib
import json
import os

import ml_dtypes
import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261206)

floats = np.concatenate([
    np.array([0.0, -0.0, 1.0, -2.5, 0.1, 1e-3, 65504.0, np.inf, -np.inf]),
    rng.normal(size=7) * 10,
])


def tensors():
    out = {}
    out["f64"] = (floats.reshape(4, 4)).astype(np.float64)
    out["f32"] = floats.astype(np.float32).reshape(2, 8)
    out["f16"] = floats.astype(np.float16).reshape(16)
    out["bf16"] = floats.astype(ml_dtypes.bfloat16).reshape(4, 2, 2)
    out["f8e4m3fn"] = np.clip(floats[:8], -448, 448).astype(ml_dtypes.float8_e4m3fn)
    out["f8e5m2"] = floats[:8].astype(ml_dtypes.float8_e5m2)
    out["s8"] = np.array([-128, -1, 0, 1, 127], dtype=np.int8)
    out["u8"] = np.array([0, 1, 200, 255], dtype=np.uint8)
    out["s16"] = np.array([-32768, -2, 3, 32767], dtype=np.int16)
    out["u16"] = np.array([0, 65535, 1234], dtype=np.uint16)
    out["s32"] = np.array([[-2**31, -7], [9, 2**31 - 1]], dtype=np.int32)
    out["u32"] = np.array([0, 2**32 - 1, 77], dtype=np.uint32)
    out["s64"] = np.array([-2**63, -5, 2**62, 2**63 - 1], dtype=np.int64)
    out["u64"] = np.array([0, 2**63 - 1, 5], dtype=np.uint64)
    out["pred"] = np.array([True, False, True], dtype=np.bool_)
    out["scalar"] = np.array(3.25, dtype=np.float32)
    return out


def expected_entry(a):
    if a.dtype.kind == "f" or a.dtype in (ml_dtypes.bfloat16, ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2):
        values = [float(x).hex() for x in a.astype(np.float64).reshape(-1)]
    elif a.dtype == np.bool_:
        values = [int(x) for x in a.reshape(-1)]
    else:
        values = [int(x) for x in a.reshape(-1)]
    return {"shape": list(a.shape), "values": values}


def main():
    ts = tensors()
    save_file(ts, os.path.join(HERE, "every.safetensors"), metadata={"format": "flax", "note": "fpaudit fixture"})
    numpy_native = {k: v for k, v in ts.items() if k not in ("bf16", "f8e4m3fn", "f8e5m2")}
    np.savez(os.path.join(HERE, "every.npz"), **numpy_native)
    np.savez_compressed(os.path.join(HERE, "every_compressed.npz"), **numpy_native)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({k: expected_entry(v) for k, v in ts.items()}, f, indent=1, sort_keys=True)
        f.write("\n")

    # A flax-like tree: params/{Dense_0,Dense_1,LayerNorm_0}/{kernel,bias,scale}.
    tree = {
        "params.Dense_0.kernel": rng.normal(size=(5, 4)).astype(np.float32),
        "params.Dense_0.bias": rng.normal(size=(4,)).astype(np.float32),
        "params.LayerNorm_0.scale": np.ones(4, dtype=np.float32),
        "params.LayerNorm_0.bias": np.zeros(4, dtype=np.float32),
        "params.head.kernel": rng.normal(size=(4, 2)).astype(np.float32),
        "params.head.bias": rng.normal(size=(2,)).astype(np.float32),
    }
    save_file(tree, os.path.join(HERE, "pytree.safetensors"))
    np.savez(os.path.join(HERE, "pytree.npz"), **{k.replace(".", "/"): v for k, v in tree.items()})

    # SHA-256 of every checkpoint, the independent value the report's hashes are checked against.
    with open(os.path.join(HERE, "SHA256SUMS"), "w") as f:
        for path in sorted(glob.glob(os.path.join(HERE, "*.safetensors")) + glob.glob(os.path.join(HERE, "*.npz"))):
            with open(path, "rb") as g:
                f.write(f"{hashlib.sha256(g.read()).hexdigest()}  {os.path.basename(path)}\n")


if __name__ == "__main__":
    main()
