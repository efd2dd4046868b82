# Logister: `make run` builds everything and starts a zero-config server; `make test` runs every test.
# `make help` lists every target.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || true)
LDFLAGS := -s -w \
	-X github.com/logister/logister/server/internal/buildinfo.version=$(VERSION) \
	-X github.com/logister/logister/server/internal/buildinfo.commit=$(COMMIT)
# Go-installed tools (golangci-lint) live here; .ci/run reuses the directory when it exists.
TOOLS_DIR ?= $(HOME)/.cache/logister/tools
GOLANGCI_LINT_VERSION := v2.15.0
GO_TEST_FLAGS ?= -race -count=1 -timeout 10m
# The module's Go packages (./... would also walk node_modules, where an npm package ships Go code).
GO_PACKAGES := ./server/... ./api/... ./migrations/... ./frontend/...
# Redis of the second ingestion benchmark run (rate-limit counters in Redis).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/0

SPA_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
	frontend/vite.config.ts frontend/package.json $(wildcard frontend/tsconfig*.json)

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_\/-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

## ---- everyday ----

.PHONY: run
run: build ## Build everything from a fresh clone and start the zero-config server on :8080.
	./bin/logister serve

.PHONY: build
build: bin/logister ## Build the single binary, web app included, into bin/logister.

bin/logister: frontend/dist/app/index.html $(shell find server api migrations frontend -name '*.go' -o -name '*.sql' | grep -v node_modules) go.mod go.sum
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/logister ./server/cmd/logister

frontend/dist/app/index.html: node_modules/.package-lock.json $(SPA_SOURCES)
	npm run build

node_modules/.package-lock.json: package.json package-lock.json frontend/package.json
	npm ci --ignore-scripts --no-audit --no-fund

.PHONY: deps
deps: node_modules/.package-lock.json ## Download Go modules and install npm packages.
	go mod download

.PHONY: test
test: test-go test-frontend test-e2e ## Run every test (needs PostgreSQL, Redis and Chromium; see README).

.PHONY: test-go
test-go: ## Go unit and integration tests against real PostgreSQL and Redis, fuzz seed corpora included.
	go test $(GO_TEST_FLAGS) $(GO_PACKAGES)

.PHONY: test-frontend
test-frontend: node_modules/.package-lock.json ## The web app's unit tests (Vitest).
	npm test

.PHONY: test-e2e
test-e2e: bin/logister ## The web app's journeys in Chromium (Playwright) against bin/logister and a fresh database.
	npm run e2e

## ---- contract ----

.PHONY: generate
generate: node_modules/.package-lock.json ## Regenerate api/, the web app's API types and postman/ from openapi.yaml.
	go generate ./api/...
	npm run generate

.PHONY: check-generated
check-generated: generate ## Fail if generated files differ from what is committed.
	@if ! git diff --quiet -- api frontend/src/api postman || [ -n "$$(git status --porcelain -- api frontend/src/api postman)" ]; then \
		git --no-pager diff --stat -- api frontend/src/api postman; git status --short -- api frontend/src/api postman; \
		echo "Generated files are out of date: run 'make generate' and commit the result."; exit 1; fi

## ---- quality ----

.PHONY: lint
lint: node_modules/.package-lock.json $(TOOLS_DIR)/golangci-lint ## gofmt, go vet, golangci-lint, eslint and tsc.
	@unformatted=$$(gofmt -l server api migrations frontend/embed.go); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet $(GO_PACKAGES)
	$(TOOLS_DIR)/golangci-lint run $(GO_PACKAGES)
	npm run lint
	npm run typecheck

$(TOOLS_DIR)/golangci-lint:
	GOBIN=$(TOOLS_DIR) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

.PHONY: bench
bench: bin/logister ## Ingestion (rate-limit counters in process, then in Redis) and inbox benchmarks (~7 min): docs/benchmarks/.
	go run ./server/cmd/logister-bench -binary bin/logister -out docs/benchmarks
	go run ./server/cmd/logister-bench -binary bin/logister -redis $(BENCH_REDIS_URL) -out docs/benchmarks/redis
	go run ./server/cmd/logister-seed -bench -out docs/benchmarks

## ---- housekeeping ----

.PHONY: clean
clean: ## Remove build output (keeps ./data, the zero-config database).
	rm -rf bin frontend/dist/app

.PHONY: services
services: ## Start local PostgreSQL and Redis for the tests if they are not running (Debian).
	.ci/services
