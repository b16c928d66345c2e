#!/usr/bin/env bash
# Runs `fpaudit verify` on every shipped JSON rewrite pair: one line per pair
# with the verdict and the key figures, then the full report of one pair, a
# pass-by-pass trace of a real XLA dump, and what the audit log made of it all.
set -u
fpaudit=${1:-.build/release/fpaudit}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every run below is recorded in this audit log (not in .fpaudit/ of the repository).
export FPAUDIT_LOG="$tmp/audit.db"
# One line per pair: the verdict, the excess of the rewrite's error over the
# original's and the budget (worst of p50/p95/p99, and at the worst point),
# the share of points where it is worse / better, and the expected verdict.
summary() {
  python3 - "$@" <<'PY'
import json, sys
name, code, path, want = sys.argv[1:5]
try:
    r = json.load(open(path))
except Exception:
    print(f"{name:<28} error (exit {code})"); sys.exit(0)
cmp = [o.get("comparison") or {} for o in r["outputs"]]
ex = [c.get("excess_bits", {}) for c in cmp]
q = max(max(e.get("p50", 0), e.get("p95", 0), e.get("p99", 0)) for e in ex)
m = max(e.get("max", 0) for e in ex)
worse = max(c.get("worse_points", 0) / max(c.get("points", 1), 1) for c in cmp)
better = max(c.get("better_points", 0) / max(c.get("points", 1), 1) for c in cmp)
nf = sum(o["new_nonfinite"] for o in r["outputs"])
mark = "" if r["verdict"] == want else "   <-- differs"
print(f"{name:<28} {r['verdict']:<7} {q:>8.2f} {m:>8.2f} {100*worse:>6.1f}% {100*better:>6.1f}% {nf:>7}  {want} (exit {code}){mark}")
PY
}
header() { printf '%-28s %-7s %8s %8s %7s %7s %7s  %s\n' "$1" verdict "excess q" "excess w" worse better "new n-f" expected; }

header "Fixtures/json pair"
for dir in Fixtures/json/*/; do
  name=$(basename "$dir")
  [ -f "$dir/original.json" ] || continue
  "$fpaudit" verify "$dir/original.json" "$dir/rewritten.json" --format json --quiet --pass "$name" > "$tmp/$name.json"
  code=$?
  want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("verdict","?"))' "$dir/expect.json" 2>/dev/null || echo "?")
  summary "$name" "$code" "$tmp/$name.json" "$want"
done
echo
# The JAX-made pairs: two Python functions lowered separately, so their
# interfaces are paired by position; inputs as the manifest gives them.
if [ -f Fixtures/rewrites/manifest.json ]; then
  header "Fixtures/rewrites pair"
  python3 -c '
import json
for p in json.load(open("Fixtures/rewrites/manifest.json")):
    print(p["name"], p["verdict"], " ".join("--input=%s=%s" % kv for kv in p["inputs"].items()))
' | while read -r name want inputs; do
    # shellcheck disable=SC2086
    "$fpaudit" verify "Fixtures/rewrites/$name/original.hlo.txt" "Fixtures/rewrites/$name/rewritten.hlo.txt" \
      $inputs --format json --quiet --no-log > "$tmp/rw-$name.json"
    summary "$name" "$?" "$tmp/rw-$name.json" "$want"
  done
  echo
fi
echo
pair=Fixtures/json/log1p-naive
if [ -d "$pair" ]; then
  echo "Full report of $pair:"
  "$fpaudit" verify "$pair/original.json" "$pair/rewritten.json" --quiet --no-log
fi
echo
echo "Pass-by-pass trace of a real XLA dump (transformer block, 256 samples per step):"
"$fpaudit" trace Fixtures/xla/transformer_block/dump --samples 256 --quiet | grep -v " unchanged$"
echo
echo "A trained flax classifier with its real weights (safetensors, bound by pytree path) on its recorded inputs:"
model=Fixtures/xla/trained_classifier
"$fpaudit" trace "$model/dump" --params "$model/weights.safetensors" --inputs-from "$model/inputs.npz" --quiet \
  | grep -v " unchanged$"
echo
echo "The audit log of these runs: every pass whose 99th-percentile error grew by more than 2 bits:"
"$fpaudit" log stats --where 'excess_bits.p99 > 2'
echo
"$fpaudit" log verify
echo
echo "Replaying the recorded log1p-naive verification from the log alone:"
"$fpaudit" log replay "$("$fpaudit" log query --pass log1p-naive --format csv | sed -n 2p | cut -d, -f1)"
exit 0
