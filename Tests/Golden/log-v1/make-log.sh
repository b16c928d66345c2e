#!/usr/bin/env bash
# Makes Tests/Golden/log-v1/audit.db: an audit log written by fpaudit 2c8b410
# (the last commit whose entries are `fpaudit.log-entry/v1`), so the test suite
# proves `log replay` still reproduces entries recorded before the change.
#
# Usage (as root, for a neutral host name): Tests/Golden/log-v1/make-log.sh FPAUDIT
# where FPAUDIT is an fpaudit binary built at commit 2c8b410. The entries cover:
# verify (default policy; a failing pair), verify with policy data files and
# a waiver, verify --replay, verify with every option changed, a trace with
# changed and unchanged steps, and a trace whose step cannot be read (error).
set -euo pipefail
fpaudit=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../../.." && pwd)
out="$repo/Tests/Golden/log-v1"
work=/fixture
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp -r "$repo/Fixtures/json/reciprocal-multiply" "$repo/Fixtures/json/softmax-naive" \
    "$repo/Fixtures/json/bf16-roundtrip" "$repo/Fixtures/trace/affine" "$repo/Policies" .
mkdir policy && cp "$repo/Fixtures/policy/w.npy" policy/
cat > policy/waived.yaml <<'Y'
name: waived
version: 1
extends: ../Policies/default.yaml
inputs:
  w: data(w.npy)
  "x*": uniform(-4, 4)
waivers:
  - rule: mean-regression
    reason: bf16 round trip is the point of the fixture
    approved_by: fixture
    expires: 2099-12-31
Y
mkdir broken && cp affine/step0-input.json affine/step1-rename.json broken/
sed 's/"add"/"frobnicate"/' affine/step2-algsimp.json > broken/step2-algsimp.json
printf '[\n {"pass": "input", "graph": "step0-input.json"},\n {"pass": "rename", "graph": "step1-rename.json"},\n {"pass": "algsimp", "graph": "step2-algsimp.json"}\n]\n' > broken/trace.json
export USER=fixture
log=(--log "$work/audit.db" --quiet)
run() { unshare --uts sh -c 'hostname fixture && exec "$@"' sh "$fpaudit" "$@" "${log[@]}" > /dev/null || true; }
run verify reciprocal-multiply/original.json reciprocal-multiply/rewritten.json --samples 64
run verify softmax-naive/original.json softmax-naive/rewritten.json --samples 64
run verify bf16-roundtrip/original.json bf16-roundtrip/rewritten.json --policy policy/waived.yaml --samples 32 \
    --save-worst worst.json
run verify bf16-roundtrip/original.json bf16-roundtrip/rewritten.json --replay worst.json
run verify reciprocal-multiply/original.json reciprocal-multiply/rewritten.json --policy Policies/strict.yaml \
    --fail-on warning --exec double --reduction-order pairwise --subnormals flush --match position --pass algsimp \
    --samples 16 --seed 7 --input 'x=uniform(1, 2)'
run trace affine/trace.json --samples 32
run trace broken/trace.json --samples 16
cp "$work/audit.db" "$out/audit.db"
"$fpaudit" log list --log "$out/audit.db" --limit 100
