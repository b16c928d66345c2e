"""Runs fpaudit verify on every pair (or the named ones) and compares the verdict and
every figure with expect.json, for each seed of SEEDS (default 1):

    SEEDS=1,2,3 FPAUDIT=.build/release/fpaudit python3 Fixtures/rewrites/check_fpaudit.py [PAIR ...]

fpaudit's sampler draws other numbers than derive_expectations.py, so this is
how the ranges and the robustness of the verdicts were checked against it.
Exits 1 when anything differs. The test suite runs the same check at seed 1.
"""
import sys, os, json, subprocess
FP = os.environ.get("FPAUDIT", ".build/release/fpaudit")
ROOT = os.path.dirname(os.path.abspath(__file__))
seeds = [int(s) for s in os.environ.get("SEEDS", "1").split(",")]
man = json.load(open(f"{ROOT}/manifest.json"))
names = sys.argv[1:] or [e["name"] for e in man]
rows = []
bad = False
for e in man:
    if e["name"] not in names: continue
    name = e["name"]
    exp = json.load(open(f"{ROOT}/{name}/expect.json"))
    for seed in seeds:
        cmd = [FP, "verify", f"{ROOT}/{name}/original.hlo.txt", f"{ROOT}/{name}/rewritten.hlo.txt", "--no-log", "--quiet",
               "--format", "json", "--seed", str(seed), "--workers", "1"]
        for k, v in e["inputs"].items():
            cmd += ["--input", f"{k}={v}"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        try:
            d = json.loads(p.stdout)
        except Exception:
            print(f"{name}: fpaudit failed rc={p.returncode}: {p.stderr[:500]}"); bad = True; continue
        issues = []
        if d["verdict"] != exp["verdict"]:
            issues.append(f"VERDICT fpaudit {d['verdict']} expected {exp['verdict']}")
        for k, (o, x) in enumerate(zip(d["outputs"], exp["outputs"])):
            c = o["comparison"]; n = c["points"]
            ex = c["excess_bits"]
            got = {
                "budget_bits": c["budget_bits"],
                "original_bits_max": o["original"]["bits"]["max"], "rewritten_bits_max": o["rewritten"]["bits"]["max"],
                "original_bits_mean": o["original"]["bits"]["mean"], "rewritten_bits_mean": o["rewritten"]["bits"]["mean"],
                "excess_quantiles": max(ex["p50"], ex["p95"], ex["p99"]), "excess_mean": ex["mean"], "excess_max": ex["max"],
                "worse_points_share": c["worse_points"] / n, "better_points_share": c["better_points"] / n,
                "changed_points_share": c["changed_points"] / n, "new_nonfinite_fraction": o["new_nonfinite"] / n,
            }
            for key, val in got.items():
                rng = x[key]
                if key == "budget_bits":
                    if abs(val - rng) > 1e-9: issues.append(f"#{k} {key} {val} != {rng}")
                    continue
                if val is None or not (rng[0] - 1e-9 <= val <= rng[1] + 1e-9):
                    issues.append(f"#{k} {key} {val:.4f} outside {rng}")
            fail = [ch["rule"] for ch in d["checks"] if not ch["held"] and ch["severity"] != "info"]
        print(f"{name:26s} seed {seed}: fpaudit {d['verdict']:4s} expect {exp['verdict']:4s} failed {sorted(set(fail))} "
              f"unstable {d['samples']['reference_unstable']} {'OK' if not issues else 'ISSUES: ' + '; '.join(issues)}", flush=True)
        bad = bad or bool(issues)
sys.exit(1 if bad else 0)
