# pathproof: build, demo, test. `make test` is what CI runs (.ci/run).
GO        ?= go
STATICCHECK_VERSION ?= v0.8.2
PKGS      := ./...
# duckdb-go's Arrow interface: the --db loader hands its rows to DuckDB as
# Arrow columns with it (internal/store/stream_arrow.go, ≈ 10 % of a load's
# CPU); without the tag it copies them value by value (stream_udf.go).
TAGS      ?= duckdb_arrow
# --version: the git description of the checkout (tag, commits since, commit, -dirty).
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null)
LDFLAGS   := -X github.com/pathproof/pathproof/internal/cli.Version=$(VERSION)

.PHONY: build demo test lint fmt generate bench fuzz

# How long make fuzz runs each fuzz target.
FUZZTIME  ?= 30s
# The most time the fuzzer spends minimising one new input. Go's default
# (60 s) lets a worker minimise for minutes without reporting ("execs: N
# (0/sec)"), which looked like a hang of FuzzStream (golang/go#51484).
FUZZMINIMIZE ?= 5s

build:
	@echo "building pathproof (the first build compiles DuckDB, a few minutes)…"
	$(GO) build -tags '$(TAGS)' -ldflags "$(LDFLAGS)" -o bin/pathproof ./cmd/pathproof

# The main job on built-in data: no Azure needed.
demo: build
	bin/pathproof demo

# The whole suite: formatting, vet, staticcheck, every test (fuzz seeds
# included). testsum prints what go test prints, then why tests skipped.
test: lint
	@$(GO) build -o bin/testsum ./internal/testenv/testsum
	@echo "testing (the first run compiles DuckDB, a few minutes)…"
	bin/testsum $(GO) test -tags '$(TAGS)' -json -count=1 -timeout 30m $(PKGS)
	@echo "testing the store's loader without the Arrow interface (a plain go build)…"
	bin/testsum $(GO) test -json -count=1 -timeout 10m ./internal/store ./internal/ingest

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet -tags '$(TAGS)' $(PKGS)
	$(GO) vet ./internal/store
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags '$(TAGS)' $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./internal/store

# Every fuzz target in turn for FUZZTIME each (go test fuzzes one target at
# a time). An input that fails is written to the package's testdata/fuzz/;
# commit it with the fix, so the plain test run replays it from then on.
fuzz:
	@failed=""; \
	for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u); do \
	  for target in $$($(GO) test -tags '$(TAGS)' -list '^Fuzz' ./$$dir | grep '^Fuzz'); do \
	    echo "== $$dir $$target ($(FUZZTIME))"; \
	    $(GO) test -tags '$(TAGS)' -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$$dir || failed="$$failed $$dir.$$target"; \
	  done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz targets that failed:$$failed"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

generate:
	$(GO) generate ./internal/codes

bench:
	@ls bench/*.sh | grep -v '/lib.sh$$' | while read s; do echo "== $$s"; bash $$s; done
