// swift-tools-version:6.0
import PackageDescription

/// Swift language mode 5 keeps the evaluators free of Sendable ceremony; the
/// concurrency they use is confined to `FPVerify`'s task group.
let languageMode: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "fpaudit",
    products: [
        .executable(name: "fpaudit", targets: ["fpaudit"]),
        .library(name: "FPAuditKit", targets: ["FPAuditKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // `.npz` checkpoints and recorded inputs (zip archives of `.npy` arrays).
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // `make docs`: the DocC API reference (swift package generate-documentation).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries and C shims
        /// MPFR and GMP, found with pkg-config; only `FPMPFR` imports this module.
        .systemLibrary(
            name: "CMPFR",
            pkgConfig: "mpfr",
            providers: [.apt(["libmpfr-dev"])]
        ),
        /// Small C helpers: MPFR macros Swift cannot call, an allocation counter,
        /// and the plain C baseline loop the benchmark compares against.
        .target(
            name: "CMPFRShims",
            dependencies: ["CMPFR"],
            linkerSettings: [.linkedLibrary("mpfr"), .linkedLibrary("gmp")]
        ),

        /// zlib, for the audit log's compressed blobs; only `FPAuditLog` imports it.
        .systemLibrary(
            name: "CFPZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Numbers
        /// Float formats (f16, bf16, f32, f64): rounding, bit patterns, ULP distance,
        /// hex-float text, seeded sampling.
        .target(
            name: "FPNumerics",
            dependencies: [.product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: languageMode
        ),
        /// Correctly rounded MPFR arithmetic on preallocated buffers.
        .target(
            name: "FPMPFR",
            dependencies: ["CMPFR", "CMPFRShims", "FPNumerics"],
            swiftSettings: languageMode
        ),

        // MARK: - Graphs
        /// The graph model: dtypes, shapes, ops, validation, shape inference, hashes.
        .target(
            name: "FPGraph",
            dependencies: ["FPNumerics", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: languageMode
        ),
        /// Readers and writers: the JSON graph format, the concrete-values format,
        /// and checkpoints (`.safetensors`, `.npz`).
        .target(
            name: "FPFormats",
            dependencies: ["FPGraph", "FPNumerics", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: languageMode
        ),

        // MARK: - Evaluation and verification
        /// One interpreter over several number domains: IEEE declared precision,
        /// IEEE double, MPFR, and the rigorous enclosures of the tiered truth
        /// (binary64 intervals, double-double balls).
        .target(
            name: "FPEval",
            dependencies: ["FPGraph", "FPNumerics", "FPMPFR",
                           .product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: languageMode
        ),
        /// Verification subjects read from graph files, interface pairing, sampling, adaptive-precision truth,
        /// error metrics and the comparison the policies judge.
        .target(
            name: "FPVerify",
            dependencies: ["FPEval", "FPFormats", "FPGraph", "FPMPFR", "FPNumerics"],
            swiftSettings: languageMode
        ),
        /// Pass-by-pass verification of an optimisation pipeline (XLA dump
        /// directories and trace manifests).
        .target(
            name: "FPTrace",
            dependencies: ["FPVerify", "FPFormats", "FPGraph", "FPNumerics"],
            swiftSettings: languageMode
        ),
        /// Delta debugging of a failing pair down to the smallest pair of
        /// subgraphs that still fails (`fpaudit reduce`).
        .target(
            name: "FPReduce",
            dependencies: ["FPEval", "FPGraph", "FPNumerics"],
            swiftSettings: languageMode
        ),
        /// Policies: YAML rules over the measured metrics, scopes, waivers, verdicts.
        .target(
            name: "FPPolicy",
            dependencies: ["FPVerify", "FPNumerics", "FPGraph", .product(name: "Yams", package: "Yams"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: languageMode
        ),
        /// Report rendering: text table and `fpaudit.report/v1` JSON.
        .target(
            name: "FPReport",
            dependencies: ["FPVerify", "FPTrace", "FPEval", "FPGraph", "FPNumerics"],
            swiftSettings: languageMode
        ),

        /// The audit log: an append-only, hash-chained SQLite store of every
        /// verified transformation, with content-addressed compressed blobs,
        /// optional Ed25519 signatures, queries and chain verification.
        .target(
            name: "FPAuditLog",
            dependencies: ["FPVerify", "FPFormats", "FPEval", "FPGraph", "FPNumerics", "CFPZlib",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "CryptoExtras", package: "swift-crypto")],
            swiftSettings: languageMode
        ),

        /// The library pipeline: verify a pair or trace a pipeline under a
        /// policy, judged, with audit log drafts; re-exports every module above.
        .target(
            name: "FPAuditKit",
            dependencies: ["FPVerify", "FPTrace", "FPPolicy", "FPReport", "FPFormats", "FPEval", "FPGraph", "FPNumerics",
                           "FPAuditLog", "FPReduce"],
            swiftSettings: languageMode
        ),

        // MARK: - Executables
        .target(
            name: "FPAuditCLI",
            dependencies: ["FPAuditKit", "FPMPFR",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: languageMode
        ),
        .executableTarget(name: "fpaudit", dependencies: ["FPAuditCLI"], swiftSettings: languageMode),
        .executableTarget(
            name: "fpaudit-bench",
            dependencies: ["FPEval", "FPFormats", "FPMPFR", "CMPFRShims", "FPVerify", "FPPolicy", "FPTrace", "FPAuditLog", "_TestSupport",
                           .product(name: "Numerics", package: "swift-numerics"),
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: languageMode
        ),

        // MARK: - Tests
        .target(name: "_TestSupport", dependencies: ["FPGraph", "FPFormats", "FPVerify", "FPAuditLog"], path: "Tests/_TestSupport",
                swiftSettings: languageMode),
        .testTarget(name: "FPNumericsTests", dependencies: ["FPNumerics"], exclude: ["make_rng_bits.py"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPMPFRTests", dependencies: ["FPMPFR", "CMPFRShims"], exclude: ["make_reference.py"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPGraphTests", dependencies: ["FPGraph", "_TestSupport"], swiftSettings: languageMode),
        .testTarget(name: "FPFormatsTests",
                    dependencies: ["FPFormats", "_TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    swiftSettings: languageMode),
        .testTarget(name: "FPEvalTests", dependencies: ["FPEval", "FPFormats", "_TestSupport"], exclude: ["make_reference.py", "make_literal_reference.py"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPVerifyTests", dependencies: ["FPVerify", "FPFormats", "FPTrace", "CMPFRShims", "_TestSupport"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPPolicyTests", dependencies: ["FPPolicy", "FPTrace", "_TestSupport"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPReduceTests", dependencies: ["FPReduce", "FPEval", "FPFormats", "FPNumerics", "_TestSupport"],
                    swiftSettings: languageMode),
        .testTarget(name: "FPTraceTests", dependencies: ["FPTrace", "FPPolicy", "_TestSupport"], swiftSettings: languageMode),
        .testTarget(name: "FPAuditLogTests",
                    dependencies: ["FPAuditLog", "_TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: languageMode),
        .testTarget(name: "FPAuditKitTests", dependencies: ["FPAuditKit", "_TestSupport"], swiftSettings: languageMode),
        .testTarget(name: "FPAuditCLITests",
                    dependencies: ["FPAuditCLI", "FPAuditLog", "_TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: languageMode),
        /// Appends synthetic entries to a log in a loop, for the multi-process
        /// and kill-during-append tests of `FPAuditLogTests`.
        /// The README's library example, built by CI: verify a rewrite under the default policy.
        .executableTarget(name: "verify-pair", dependencies: ["FPAuditKit"], path: "Examples/VerifyPair",
                          swiftSettings: languageMode),
        .executableTarget(name: "fpaudit-log-stress", dependencies: ["FPAuditLog", "_TestSupport"], path: "Tests/LogStress",
                          swiftSettings: languageMode),
    ]
)
