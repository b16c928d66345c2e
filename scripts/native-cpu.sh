#!/usr/bin/env bash
# Prints the LLVM CPU name release builds target on this machine: `haswell`
# (the x86-64-v3 feature set: AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE, XSAVE)
# when the CPU has every one of those features, otherwise nothing (a
# portable build). Used by the Makefile's NATIVE_CPU.
flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) "
for feature in avx2 bmi1 bmi2 f16c fma abm movbe xsave; do
    case "$flags" in
        *" $feature "*) ;;
        *) exit 0 ;;
    esac
done
echo haswell
