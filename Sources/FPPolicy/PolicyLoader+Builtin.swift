extension PolicyLoader {
    /// The text of `Policies/default.yaml`, byte for byte (a test compares them).
    static let builtinDefaultYAML = #"""
# fpaudit default policy: the verdict rules fpaudit applies when no --policy
# is given. The tool embeds a byte-identical copy of this file
# (Sources/FPPolicy/PolicyLoader+Builtin.swift); a test keeps them equal.
# Language reference: docs/policy-language.md.

# The policy's name and version are printed in every report, beside its
# canonical hash.
name: default
version: "1"

# No `settings:` and no `inputs:`: the command line's values and the graphs'
# declared `sample` distributions apply (1024 samples, seed 1, declared
# precision, sequential reductions, subnormals kept, adaptive truth).

rules:
  # A rewrite must never turn a finite result into inf/NaN (or the reverse)
  # where the truth and the original agree on finiteness.
  - id: new-nonfinite
    description: the rewrite produces non-finite results the original does not
    severity: error
    require: new_nonfinite == 0

  # Accuracy: how many more bits the rewrite gets wrong than the original, at
  # the worst point. More than 2 bits (4x the error) fails the rewrite ...
  - id: bits-lost
    description: the rewrite loses more than 2 bits at some point
    severity: error
    require: bits_lost.max <= 2

  # ... and more than half a bit (but not more than 2, which the rule above
  # already reports) is a warning.
  - id: bits-lost-warning
    description: the rewrite loses more than 0.5 bit at some point
    severity: warning
    require: bits_lost.max <= 0.5 or bits_lost.max > 2

  # Semantics: the rewritten graph's exact (real-number) function must round
  # to the same values as the original's. More than 1 ulp apart is a
  # different function ...
  - id: semantic-deviation
    description: the rewrite changes the real function by more than 1 ulp
    severity: error
    require: semantic.max_ulps <= 1

  # ... and exactly 1 ulp apart (a rounding boundary) is a warning.
  - id: semantic-deviation-warning
    description: the truths of the two graphs differ by 1 ulp
    severity: warning
    require: semantic.max_ulps == 0 or semantic.max_ulps > 1

  # Per run: samples whose truth never stabilised up to the precision cap (in
  # either graph) are not measured, so the figures cover fewer samples.
  - id: reference-unstable
    description: some samples' truth did not stabilise and were not measured
    severity: warning
    require: samples.reference_unstable == 0

  # Per run: with no sample measured there is nothing to judge.
  - id: nothing-measured
    description: no sample could be measured
    severity: error
    require: samples.measured > 0

  # Per run, for information: a comparison changed outcome between two truth
  # precisions (fpaudit resolved it by raising the precision).
  - id: branch-flip
    description: a comparison flipped between truth precisions
    severity: info
    require: samples.branch_flips == 0

# No waivers in the default policy.
waivers: []

"""#
}
