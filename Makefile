# meshlight: the one entry point. `make demo` serves the simulator, `make test` runs every suite.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
GOROOT_DIR := $(shell $(GO) env GOROOT)
PKGS_NATIVE := ./photonics/... ./train/... ./render/...

.PHONY: all deps deps-go test test-go test-vet test-node bench demo clean

all: test

## deps: install what the tests need, only what is missing (Go modules, apt packages, npm packages).
deps: deps-go

deps-go:
	$(GO) mod download

## test: every test suite, after installing what it needs.
test: deps test-vet test-go test-node

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

## demo: build and serve the simulator.
demo:
	@echo "demo: not yet"

clean:
	rm -rf bin _site static/meshlight.wasm static/wasm_exec.js wasm/e2e/out
