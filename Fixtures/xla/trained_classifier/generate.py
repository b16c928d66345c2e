#!/usr/bin/env python3
"""Makes Fixtures/xla/trained_classifier: a flax model with REAL weights.

A small flax classifier (Dense 32, GELU, LayerNorm, Dense 32, GELU, Dense 3,
log_softmax) is trained for 400 Adam steps on a three-armed spiral that this script
draws from a fixed seed. Then it writes, next to this script:

  weights.safetensors   the trained variables, flattened with "." by
                        safetensors.flax.save_file: params.Dense_0.kernel, ...
  inputs.npz            a recorded input set: `x` with a leading sample axis,
                        32 samples of [16, 2] points from the same spiral
  outputs/xla.npz       `y` [32, 16, 3]: what XLA CPU computed, sample by sample
  outputs/f64.npz       `y`: the same in float64 (jax_enable_x64, weights upcast)
  reference_f64/        the float64 module's HLO (its constants are f64 values)
  dump/*.txt            XLA's pass-by-pass HLO snapshots of
                        jax.jit(predict)(variables, x), whose parameters JAX names
                        variables['params']['Dense_0']['kernel'], ... in op_name
  training.json         the loss before and after training, and the accuracy

    pip install -r Fixtures/xla/requirements.txt safetensors==0.8.0 optax==0.2.8
    python3 Fixtures/xla/trained_classifier/generate.py
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SEED = 20261206
SAMPLES, BATCH = 32, 16


def spiral(rng, n):
    """n points of a three-armed spiral with noise, and their arm (the class)."""
    labels = rng.integers(0, 3, size=n)
    t = rng.uniform(0.05, 1.0, size=n)
    angle = 3.5 * t + labels * (2 * np.pi / 3) + rng.normal(scale=0.12, size=n)
    points = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=-1) * 4.0
    return points.astype(np.float32), labels


def model():
    import flax.linen as nn
    import jax

    class Classifier(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.gelu(nn.Dense(32)(x), approximate=True)
            x = nn.LayerNorm()(x)
            x = nn.gelu(nn.Dense(32)(x), approximate=True)
            return jax.nn.log_softmax(nn.Dense(3)(x), axis=-1)

    return Classifier()


def train():
    import jax
    import jax.numpy as jnp
    import optax
    from flax.traverse_util import flatten_dict
    from safetensors.flax import save_file

    rng = np.random.default_rng(SEED)
    points, labels = spiral(rng, 3000)
    m = model()
    variables = m.init(jax.random.PRNGKey(0), jnp.zeros((BATCH, 2), jnp.float32))
    optimizer = optax.adam(1e-2)
    state = optimizer.init(variables)

    def loss(v, x, y):
        return -jnp.mean(jnp.take_along_axis(m.apply(v, x), y[:, None], axis=-1))

    @jax.jit
    def step(v, s, x, y):
        value, grads = jax.value_and_grad(loss)(v, x, y)
        updates, s = optimizer.update(grads, s, v)
        return optax.apply_updates(v, updates), s, value

    before = float(loss(variables, points, labels))
    for i in range(400):
        batch = rng.integers(0, len(points), size=128)
        variables, state, _ = step(variables, state, points[batch], labels[batch])
    after = float(loss(variables, points, labels))
    accuracy = float(np.mean(np.argmax(np.asarray(m.apply(variables, points)), -1) == labels))
    flat = {k: np.asarray(v) for k, v in flatten_dict(variables, sep=".").items()}
    save_file({k: jnp.asarray(v) for k, v in flat.items()}, os.path.join(HERE, "weights.safetensors"))

    recorded, _ = spiral(rng, SAMPLES * BATCH)
    np.savez(os.path.join(HERE, "inputs.npz"), x=recorded.reshape(SAMPLES, BATCH, 2))
    with open(os.path.join(HERE, "training.json"), "w") as f:
        json.dump({"steps": 400, "loss_before": before, "loss_after": after, "accuracy": accuracy}, f, indent=1)
        f.write("\n")


def run_xla():
    """In a fresh process with the dump flags: XLA CPU's outputs and the HLO snapshots."""
    import jax
    import jax.numpy as jnp
    from flax.traverse_util import unflatten_dict
    from safetensors.numpy import load_file

    variables = unflatten_dict(load_file(os.path.join(HERE, "weights.safetensors")), sep=".")
    xs = np.load(os.path.join(HERE, "inputs.npz"))["x"]
    m = model()

    def predict(variables, x):
        return m.apply(variables, x)

    f = jax.jit(predict)
    ys = np.stack([np.asarray(f(variables, jnp.asarray(x))) for x in xs])
    os.makedirs(os.path.join(HERE, "outputs"), exist_ok=True)
    np.savez(os.path.join(HERE, "outputs", "xla.npz"), y=ys)


def run_f64():
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from flax.traverse_util import unflatten_dict
    from safetensors.numpy import load_file

    weights = {k: v.astype(np.float64) for k, v in load_file(os.path.join(HERE, "weights.safetensors")).items()}
    variables = unflatten_dict(weights, sep=".")
    xs = np.load(os.path.join(HERE, "inputs.npz"))["x"].astype(np.float64)
    m = model()

    def predict(variables, x):
        return m.apply(variables, x)

    ys = np.stack([np.asarray(m.apply(variables, jnp.asarray(x))) for x in xs])
    np.savez(os.path.join(HERE, "outputs", "f64.npz"), y=ys)
    # The float64 module itself, for the MPFR truth check: its constants are f64 values.
    os.makedirs(os.path.join(HERE, "reference_f64"), exist_ok=True)
    with open(os.path.join(HERE, "reference_f64", "predict_f64.hlo.txt"), "w") as f:
        f.write(jax.jit(predict).lower(variables, jnp.asarray(xs[0])).as_text(dialect="hlo"))


def main():
    if len(sys.argv) > 1:
        {"--xla": run_xla, "--f64": run_f64}[sys.argv[1]]()
        return
    train()
    with tempfile.TemporaryDirectory() as tmp:
        # The source file in the HLO metadata is recorded relative to the repository.
        env = dict(os.environ, XLA_FLAGS=f"--xla_dump_to={tmp} --xla_dump_hlo_pass_re=.* --xla_dump_hlo_as_text",
                   JAX_PLATFORMS="cpu",
                   JAX_HLO_SOURCE_FILE_CANONICALIZATION_REGEX="^" + re.escape(REPO_ROOT + os.sep))
        subprocess.run([sys.executable, __file__, "--xla"], env=env, check=True, cwd=HERE)
        dump = os.path.join(HERE, "dump")
        shutil.rmtree(dump, ignore_errors=True)
        os.makedirs(dump)
        for path in glob.glob(os.path.join(tmp, "*jit_predict*.txt")):
            name = os.path.basename(path)
            if "buffer-assignment" in name or "memory-usage" in name or "live-range" in name:
                continue
            shutil.copy(path, dump)
    subprocess.run([sys.executable, __file__, "--f64"], check=True, cwd=HERE,
                   env=dict(os.environ, JAX_PLATFORMS="cpu"))


if __name__ == "__main__":
    main()
