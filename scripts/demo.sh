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
printf '%-22s %-7s %9s %12s %9s  %s\n' fixture verdict "bits lost" "semantic" "new n-f" "expected"
for dir in Fixtures/json/*/; do
  name=$(basename "$dir")
  [ -f "$dir/original.json" ] || continue
  "$fpaudit" verify "$dir/original.json" "$dir/rewritten.json" --format json --quiet --pass "$name" > "$tmp/$name.json"
  code=$?
  python3 - "$name" "$code" "$tmp/$name.json" "$dir/expect.json" <<'PY'
import json, sys
name, code, path, expect = sys.argv[1:5]
try:
    r = json.load(open(path))
except Exception:
    print(f"{name:<22} error (exit {code})"); sys.exit(0)
try:
    want = json.load(open(expect)).get("verdict", "?")
except Exception:
    want = "?"
lost = max(o["bits_lost"]["max"] for o in r["outputs"])
sem = max(o["semantic"]["max_ulps"] for o in r["outputs"])
nf = sum(o["new_nonfinite"] for o in r["outputs"])
print(f"{name:<22} {r['verdict']:<7} {lost:>9.2f} {sem:>12.4g} {nf:>9}  {want} (exit {code})")
PY
done
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
echo "The audit log of these runs: every pass that lost more than 2 bits somewhere:"
"$fpaudit" log stats --where 'bits_lost.max > 2'
echo
"$fpaudit" log verify
echo
echo "Replaying the recorded log1p-naive verification from the log alone:"
"$fpaudit" log replay "$("$fpaudit" log query --pass log1p-naive --format csv | sed -n 2p | cut -d, -f1)"
exit 0
