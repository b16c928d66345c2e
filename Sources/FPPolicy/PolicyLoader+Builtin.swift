extension PolicyLoader {
    /// The text of `Policies/default.yaml`, byte for byte (a test compares them).
    static let builtinDefaultYAML = #"""
        # fpaudit default policy: the verdict rules fpaudit applies when no --policy
        # is given. The tool embeds a byte-identical copy of this file
        # (Sources/FPPolicy/PolicyLoader+Builtin.swift); a test keeps them equal.
        # Language reference: docs/policy-language.md; the reasoning behind each
        # rule, with the rewrite classes it was checked on: docs/default-policy.md.
        #
        # It judges what the users of the outputs see: the REWRITTEN graph's error
        # against the truth, compared with the ORIGINAL's error and with a budget
        # derived from the output format and the reduction length (budget_bits),
        # over the distribution of measured points (quantiles, mean, max), not at
        # the one point where the rewrite happens to round the other way. The
        # pointwise figures (bits_lost.*, worse_share) stay in every report as
        # evidence and drive only an info finding here; Policies/strict.yaml judges
        # pointwise.
        #
        # excess_bits.S = rewritten.bits.S - max(original.bits.S, budget_bits), for
        # S in p50, p95, p99, max, mean: how far the rewrite's error distribution
        # goes beyond both the original's and the budget (negative: it does not).

        # The policy's name and version are printed in every report, beside its
        # canonical hash.
        name: default
        version: "2"

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

          # The bulk of the error distribution: at the median, the 95th or the 99th
          # percentile the rewrite is more than 2 bits (4x) worse than both the
          # original and the budget. Rewrites that leave every declared-precision
          # result bit-identical (changed_points == 0) cannot lose accuracy.
          - id: accuracy-regression
            description: the rewrite's error distribution is more than 2 bits worse than the original's and the budget
            severity: error
            require: max(excess_bits.p50, excess_bits.p95, excess_bits.p99) <= 2 or changed_points == 0

          # On average more than 1 bit (2x) worse than both.
          - id: mean-regression
            description: the rewrite's mean error is more than 1 bit worse than the original's and the budget
            severity: error
            require: excess_bits.mean <= 1 or changed_points == 0

          # The tail: the rewrite's worst point is more than 6 bits (64x) worse than
          # the original's worst point and the budget, so a regression confined to
          # a few inputs (log(1+x) at tiny x among ordinary ones) still fails.
          - id: tail-regression
            description: the rewrite's worst error is more than 6 bits worse than the original's worst and the budget
            severity: error
            require: excess_bits.max <= 6 or changed_points == 0

          # Small real losses: the rewrite is worse than the original at clearly
          # more points than it is better (by more than 1 % of the points, and
          # beyond chance: a sign test over the samples, z above 4), and that costs
          # something: the mean error grows by more than
          # 0.01 bit or a quantile goes more than a quarter of a bit beyond the
          # original's and the budget. Rounding noise (a reassociated sum) is worse
          # and better about equally often and stays below; x/y -> x*(1/y) warns: 1
          # extra ulp on about a quarter of the points, never better. A systematic
          # loss within the reduction budget warns too (it does not fail).
          - id: accuracy-loss
            description: the rewrite is systematically less accurate than the original
            severity: warning
            require: |
              worse_points_share <= better_points_share + 0.01
                or sign_test_z <= 4
                or (rewritten.bits.mean - original.bits.mean <= 0.01
                    and max(excess_bits.p50, excess_bits.p95, excess_bits.p99) <= 0.25)

          # The worst point is more than 3 bits (8x) worse than the original's worst
          # point and the budget.
          - id: tail-loss
            description: the rewrite's worst error is more than 3 bits worse than the original's worst and the budget
            severity: warning
            require: excess_bits.max <= 3 or changed_points == 0

          # The rewritten graph's exact function moved further from the original's
          # than the original's own declared-precision error ever is. A constant
          # rounded to its dtype (constant folding) moves it by less; a mistyped
          # constant by more (and then also fails the accuracy rules).
          - id: semantic-change
            description: the rewrite changes the real function by more than the original's own rounding error
            severity: warning
            require: semantic.max_ulps <= max(1, original.ulps.max) or changed_points == 0

          # For information: the rewrite is worse than the original by more than
          # half a bit at some point (one ulp where the original was exact, say).
          - id: pointwise-loss
            description: the rewrite is less accurate than the original at some points
            severity: info
            require: bits_lost.max <= 0.5

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
