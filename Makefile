# fpaudit: the two commands are `make demo` and `make test`.
SWIFT ?= swift
SHELL := /bin/bash
BUILD_FLAGS ?=
## Release binaries link the Swift runtime and Foundation statically: a
## process starts in about 6 ms instead of 13 (BENCHMARKS.md, the softmax row).
## On an x86-64 machine with the x86-64-v3 features (AVX2, FMA, BMI2, ...) they
## are also built for that CPU: a fused multiply-add, the core of the
## double-double truth, is then one instruction instead of a call into libm
## (the same bits; the layer's verify 39.9 s -> 35.4 s). Such a binary does not
## run on older CPUs: `make release NATIVE_CPU=` builds a portable one.
NATIVE_CPU ?= $(shell bash scripts/native-cpu.sh)
## Cross-module optimisation lets the compiler specialise the generic
## evaluators (FPEval) where FPVerify calls them (softmax verify 24.1 -> 20.5 ms).
## Release binaries skip the run-time checks of exclusive access (as the Swift
## standard library's own build does): the interpreter's per-node bookkeeping
## paid an access-set insertion per class property touched (softmax samples
## 10.5 -> 9.8 ms). Debug builds, and so `make test`, keep the checks.
RELEASE_FLAGS ?= -c release --static-swift-stdlib -Xswiftc -cross-module-optimization \
	-Xswiftc -enforce-exclusivity=unchecked \
	$(if $(NATIVE_CPU),-Xswiftc -target-cpu -Xswiftc $(NATIVE_CPU))
## How release binaries are linked, to start faster (lld, packed relocations,
## no exported symbols, libstdc++/SQLite/zlib from their archives: the
## dynamic loader's share of a start halves, 2-4 ms less per process;
## BENCHMARKS.md): scripts/release-link.sh prepares RELEASE_LINK and prints
## the flags; `make release RELEASE_LINK_FLAGS=` links as plain SwiftPM does.
RELEASE_LINK = .build/release-link
RELEASE_LINK_FLAGS ?= $$(bash scripts/release-link.sh $(RELEASE_LINK))
RELEASE_BUILD = $(if $(RELEASE_LINK_FLAGS),PKG_CONFIG_PATH=$(CURDIR)/$(RELEASE_LINK)/pkgconfig$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH}) \
	$(SWIFT) build $(RELEASE_FLAGS) $(RELEASE_LINK_FLAGS)
FPAUDIT = .build/release/fpaudit

.PHONY: all deps build release demo test lint format docs bench man completions fuzz clean

all: build

## Installs the C headers the build needs when they are missing: MPFR
## (libmpfr-dev), zlib (zlib1g-dev) and SQLite (libsqlite3-dev), and pkg-config.
deps:
	@missing=""; \
	[ -f /usr/include/mpfr.h ] || missing="$$missing libmpfr-dev"; \
	[ -f /usr/include/zlib.h ] || missing="$$missing zlib1g-dev"; \
	[ -f /usr/include/sqlite3.h ] || missing="$$missing libsqlite3-dev"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(RELEASE_BUILD) --product fpaudit

## Verifies every shipped rewrite pair and prints a one-line verdict for each.
demo: release
	@bash scripts/demo.sh $(FPAUDIT)

## Our tests are XCTest; the last line is the plain "N passed, N failed" summary.
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	@set -o pipefail; $(SWIFT) test --skip-build --disable-swift-testing $(BUILD_FLAGS) 2>&1 | tee .build/test.log
	@awk '/^Test Suite .All tests. (passed|failed)/ {getline; n=$$2; f=$$5} END {if (n == "") exit 1; print n - f " passed, " f " failed"}' .build/test.log

## API reference: DocC (swift-docc-plugin) into .build/docs.
## Style: the toolchain's `swift format` with the repository's .swift-format;
## `lint` fails on any difference (CI runs it), `format` rewrites in place.
docs:
	mkdir -p .build/docs
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target FPAuditKit \
		--disable-indexing --output-path .build/docs/FPAuditKit.doccarchive

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Examples Fuzz

format:
	$(SWIFT) format --in-place --recursive Sources Tests Examples Fuzz

## Benchmarks (not timed tests): MPFR interpreter vs a C loop, IEEE interpreter vs a Swift loop, verify on the fixtures.
bench: deps
	$(RELEASE_BUILD) --product fpaudit
	$(RELEASE_BUILD) --product fpaudit-bench
	.build/release/fpaudit-bench

## Fuzzes the five readers (HLO text, JSON graph, values, policy, checkpoints) with libFuzzer,
## FUZZ_SECONDS each; instrumented build in .build-fuzz (docs/fuzzing.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	bash scripts/fuzz.sh all $(FUZZ_SECONDS)

## Man pages (docs/man, committed) and shell completions, generated from the argument parser.
man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	mkdir -p docs/man && cp .build/plugins/GenerateManual/outputs/fpaudit/*.1 docs/man/ && rm -f docs/man/fpaudit.help.1

completions: release
	mkdir -p .build/completions
	for shell in bash zsh fish; do $(FPAUDIT) --generate-completion-script $$shell > .build/completions/fpaudit.$$shell; done

clean:
	rm -rf .build
