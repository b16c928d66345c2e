#!/usr/bin/env bash
# Fuzzes fpaudit's readers with libFuzzer (see docs/fuzzing.md).
#
#   scripts/fuzz.sh TARGET SECONDS     TARGET: hlo, graph-json, values, policy or all
#   scripts/fuzz.sh build [TARGET]     only build the fuzzer binaries
#
# The library modules are built by SwiftPM into a separate scratch path
# (.build-fuzz, never the normal .build) with `--sanitize fuzzer --sanitize
# address`, which instruments every Swift and C module for coverage and ASan.
# SwiftPM passes those to swiftc as two `-sanitize=` flags of which only the
# last counts, so `-Xswiftc -sanitize=fuzzer,address` restores coverage of the
# Swift code.
# SwiftPM's executable targets rename `main`, which libFuzzer must provide, so
# each entry file Fuzz/TARGET.swift (defining LLVMFuzzerTestOneInput) is then
# compiled and linked by swiftc against those modules and objects.
#
# Environment: FUZZ_SCRATCH (default .build-fuzz), FUZZ_FLAGS (extra libFuzzer
# flags, e.g. "-jobs=2 -workers=2" or "-only_ascii=1").
set -euo pipefail

# The whole script is one block, read before it runs, so that editing the file
# while a long run is under way cannot change what that run executes.
{

cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH=${FUZZ_SCRATCH:-$ROOT/.build-fuzz}
BIN=$SCRATCH/debug
TARGETS=(hlo graph-json values policy checkpoint)

usage() {
    echo "usage: $0 {hlo|graph-json|values|policy|checkpoint|all} SECONDS" >&2
    echo "       $0 build [TARGET]" >&2
    exit 2
}

## Builds the instrumented library modules (all four targets need a subset of FPPolicy's closure).
build_modules() {
    echo "== building instrumented modules into ${SCRATCH#"$ROOT"/}" >&2
    env -u FUZZ_FLAGS swift build --scratch-path "$SCRATCH" --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address \
        --target FPPolicy >&2
}

## The C-module flags (`-Xcc -fmodule-map-file=...`, `-Xcc -I -Xcc ...`) SwiftPM
## compiled FPPolicy with, read from its build manifest, one per line.
module_flags() {
    python3 - "$SCRATCH/debug.yaml" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith('  "C.FPPolicy-') and l.endswith('.module":'))
args = json.loads(next(l for l in lines[start:] if l.lstrip().startswith("args:")).split("args:", 1)[1])
i = 0
while i < len(args):
    if args[i] == "-Xcc":
        print(args[i]); print(args[i + 1]); i += 2
    else:
        i += 1
PY
}

## Links Fuzz/$1.swift with libFuzzer's main into $SCRATCH/fuzz-$1.
link_target() {
    local target=$1 out=$SCRATCH/fuzz-$1
    local objects=() flags=() dir
    # Every object of the library modules SwiftPM built; no executable or test target is built here.
    for dir in "$BIN"/*.build; do
        case $(basename "$dir") in
            fpaudit.build | fpaudit-bench.build | verify-pair.build | fpaudit-log-stress.build | *Tests.build) continue ;;
        esac
        while IFS= read -r -d '' o; do objects+=("$o"); done < <(find "$dir" -name '*.o' -print0)
    done
    while IFS= read -r f; do flags+=("$f"); done < <(module_flags)
    echo "== linking ${out#"$ROOT"/}" >&2
    swiftc -sanitize=fuzzer,address -parse-as-library -g -use-ld=lld \
        -I "$BIN/Modules" "${flags[@]}" \
        "$ROOT/Fuzz/$target.swift" "${objects[@]}" \
        -lmpfr -lgmp -lstdc++ \
        -o "$out"
}

## The seed files of a target, from the repository's fixtures.
seeds() {
    case $1 in
        hlo)
            find Fixtures/hlo Fixtures/rewrites Fixtures/ops Fixtures/trace -type f \
                \( -name '*.hlo' -o -name '*.hlo.txt' -o -name '*.txt' \) ! -name 'xla-opcodes.txt'
            find Fixtures/xla -path '*/dump/*' -type f -name '*.txt'
            ;;
        graph-json)
            find Fixtures/json Fixtures/rewrites Fixtures/trace -type f -name '*.json' \
                ! -name 'expect.json' ! -name 'manifest.json'
            ;;
        values)
            find Fixtures -type f \( -name 'inputs.json' -o -name 'outputs.json' -o -name 'set*.json' \
                -o -name 'reference_f64.json' -o -name '*values*.json' \)
            ;;
        policy)
            find Policies Fixtures/policy -type f \( -name '*.yaml' -o -name '*.yml' \)
            ;;
        checkpoint)
            find Fixtures/checkpoints Fixtures/xla/trained_classifier -type f \
                \( -name '*.safetensors' -o -name '*.npz' -o -name '*.jsonl' \)
            ;;
    esac
}

## Runs one target for $2 seconds.
run_target() {
    local target=$1 seconds=$2
    local work=$SCRATCH/fuzz-work/$target
    local crashes=$SCRATCH/fuzz-crashes/$target
    mkdir -p "$work/corpus" "$work/seeds" "$crashes" "Fuzz/corpus/$target"
    # Seeds are copied (flattened, named by content hash) so that libFuzzer
    # never writes into the repository; new inputs go to $work/corpus.
    rm -rf "$work/seeds" && mkdir -p "$work/seeds"
    local f
    while IFS= read -r f; do
        cp "$f" "$work/seeds/$(sha1sum "$f" | cut -c1-16)"
    done < <(seeds "$target")
    if [ "$target" = policy ]; then
        # The policies shown in the documentation (```yaml blocks) are seeds too.
        awk -v dir="$work/seeds" '/^```yaml/ {n++; on=1; next} /^```/ {on=0} on {print > (dir "/doc-" FILENAME_ID n ".yaml")}' \
            FILENAME_ID=pl docs/policy-language.md
        awk -v dir="$work/seeds" '/^```yaml/ {n++; on=1; next} /^```/ {on=0} on {print > (dir "/doc-" FILENAME_ID n ".yaml")}' \
            FILENAME_ID=ci docs/ci.md
    fi
    # Short inputs run faster and find the same parser bugs; the largest XLA
    # dumps (up to 145 KB) are truncated to their first max_len bytes.
    local max_len=16384
    local dict=()
    [ -f "Fuzz/$target.dict" ] && dict=(-dict="Fuzz/$target.dict")
    echo "== fuzzing $target for ${seconds}s ($(ls "$work/seeds" | wc -l) seeds," \
        "$(ls "Fuzz/corpus/$target" | wc -l) regression inputs)" >&2
    local status=0
    # shellcheck disable=SC2086
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1} \
        "$SCRATCH/fuzz-$target" \
        -max_total_time="$seconds" -max_len=$max_len -timeout=20 -rss_limit_mb=3072 \
        -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
        ${FUZZ_FLAGS:-} \
        "$work/corpus" "$work/seeds" "Fuzz/corpus/$target" || status=$?
    if [ -n "$(ls -A "$crashes")" ]; then
        echo "== $target: findings in ${crashes#"$ROOT"/}:" >&2
        ls -l "$crashes" >&2
        cat >&2 <<EOF
To keep one as a regression input:
  $SCRATCH/fuzz-$target -minimize_crash=1 -runs=10000 -exact_artifact_path=/tmp/min $crashes/crash-...
  cp /tmp/min Fuzz/corpus/$target/crash-<short-description>
then fix the bug; FuzzCorpusReplayTests replays Fuzz/corpus/$target in \`make test\`.
EOF
    fi
    return $status
}

[ $# -ge 1 ] || usage
case $1 in
    build)
        build_modules
        if [ $# -ge 2 ]; then link_target "$2"; else for t in "${TARGETS[@]}"; do link_target "$t"; done; fi
        ;;
    all)
        [ $# -eq 2 ] || usage
        build_modules
        for t in "${TARGETS[@]}"; do link_target "$t"; done
        failed=0
        for t in "${TARGETS[@]}"; do run_target "$t" "$2" || failed=1; done
        exit $failed
        ;;
    hlo | graph-json | values | policy | checkpoint)
        [ $# -eq 2 ] || usage
        build_modules
        link_target "$1"
        run_target "$1" "$2"
        ;;
    *) usage ;;
esac
exit
}
