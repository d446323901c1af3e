# pathproof: build, demo, test. `make test` is what CI runs (.ci/run).
GO        ?= go
STATICCHECK_VERSION ?= v0.8.2
PKGS      := ./...

.PHONY: build demo test lint fmt generate bench

build:
	$(GO) build -o bin/pathproof ./cmd/pathproof

# The main job on built-in data: no Azure needed.
demo:
	$(GO) run ./cmd/pathproof demo

# The whole suite: formatting, vet, staticcheck, every test (fuzz seeds included).
test: lint
	$(GO) test -count=1 -timeout 30m $(PKGS)

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
