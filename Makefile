# pathproof: build, demo, test. `make test` is what CI runs (.ci/run).
GO        ?= go
STATICCHECK_VERSION ?= v0.8.2
PKGS      := ./...
# --version: the git description of the checkout (tag, commits since, commit, -dirty).
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null)
LDFLAGS   := -X github.com/pathproof/pathproof/internal/cli.Version=$(VERSION)

.PHONY: build demo test lint fmt generate bench

build:
	@echo "building pathproof (the first build compiles DuckDB, a few minutes)…"
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/pathproof ./cmd/pathproof

# The main job on built-in data: no Azure needed.
demo: build
	bin/pathproof demo

# The whole suite: formatting, vet, staticcheck, every test (fuzz seeds
# included). testsum prints what go test prints, then why tests skipped.
test: lint
	@$(GO) build -o bin/testsum ./internal/testenv/testsum
	@echo "testing (the first run compiles DuckDB, a few minutes)…"
	bin/testsum $(GO) test -json -count=1 -timeout 30m $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

generate:
	$(GO) generate ./internal/codes

bench:
	@ls bench/*.sh | grep -v '/lib.sh$$' | while read s; do echo "== $$s"; bash $$s; done
