# The two commands of the README are `make run` and `make test`; everything
# they need (a Postgres included) is provided by cmd/devdb, so nothing has to
# be installed by hand beyond Go.
GO      ?= go
DEVDB   := $(GO) run ./cmd/devdb
PKGS    ?= ./...

.PHONY: all build run test crash-test vet fmt clean bench soak bench-growth bench-floor bench-tools chromium reportbench

all: build

build:
	$(GO) build -trimpath -o bin/server ./cmd/server

## run: serve on :8080 with a private Postgres in ./.data/pg (or DATABASE_URL); the
## first start creates the demo merchant and .data/admin-token (unless ADMIN_TOKEN is set)
run: build
	$(DEVDB) run -dir .data/pg -- scripts/dev-run.sh

## test: the whole suite against a real Postgres (TEST_DATABASE_URL, else
## testcontainers, else a throwaway local cluster)
test: vet chromium
	$(DEVDB) test -- $(GO) test -count=1 -timeout 20m $(PKGS)
	$(MAKE) crash-test CRASH_ARGS="$(CRASH_SHORT)"

## crash-test: sales, and balance updates with an Idempotency-Key and no
## ticket, at a server on its own durable Postgres; SIGKILL the server
## mid-load, then `pg_ctl -m immediate` Postgres; every request answered with
## success is in the ledger exactly once, retries post at most once, the
## ledger check passes. `make test` runs a short form.
CRASH_ARGS  ?= -duration 8s -conns 128 -contacts 1000
CRASH_SHORT ?= -duration 3s -conns 32 -contacts 40
crash-test: build
	$(GO) build -trimpath -o bin/loadgen ./cmd/loadgen
	./bin/loadgen -crash -server bin/server -out .data/crash $(CRASH_ARGS)

vet:
	$(GO) vet ./...

## chromium: the panel's browser tests need Debian's chromium (installed when root)
chromium:
	@scripts/ensure-chromium.sh

fmt:
	gofmt -l -w .

clean:
	rm -rf bin

# Benchmarks (BENCHMARKS.md). Without BENCH_URL the load generator starts the
# server on a durable Postgres (fsync on) in ./.data/bench, loads it, checks
# the ledger, then runs $(SHARED)/bench/pg-reference.sh on the same cluster.
SHARED     ?= ../shared
BENCH_OUT  ?= .data/bench-run
BENCH_ARGS ?=
PROFILE    ?=
LOADGEN     = ./bin/loadgen -out $(BENCH_OUT) -json $(BENCH_OUT)/results.json -profile=$(if $(filter 1,$(PROFILE)),true,false)

## bench: mix, sales-only and reads-only phases at 256 terminals (PROFILE=1: CPU profile; BENCH_URL: an existing server)
bench: build bench-tools
	$(GO) build -trimpath -o bin/loadgen ./cmd/loadgen
	@mkdir -p $(BENCH_OUT)
	@if [ -n "$(BENCH_URL)" ]; then $(LOADGEN) -url "$(BENCH_URL)" -reference "" $(BENCH_ARGS); \
	else $(DEVDB) run -dir .data/bench -db puntos_bench -- $(LOADGEN) -server bin/server -reference $(SHARED)/bench/pg-reference.sh $(BENCH_ARGS); fi

## soak: the realistic mix for 10 minutes with webhooks on, throughput every 30s, outbox drained at the end
soak:
	$(MAKE) bench BENCH_ARGS="-phases mix -duration 10m -interval 30s -webhooks -reference '' $(BENCH_ARGS)"

## bench-growth: history and report latency with the ledger at 10^5 and 10^7 postings (SQL generate_series fill)
bench-growth:
	$(MAKE) bench BENCH_ARGS="-phases '' -contacts 1000 -grow 1e5,1e7 -reference '' $(BENCH_ARGS)"

## bench-floor: the same 256 terminals against a do-nothing net/http server: the most any endpoint could reach here
bench-floor:
	$(GO) build -trimpath -o bin/loadgen ./cmd/loadgen
	./bin/loadgen -floor -duration 20s $(BENCH_ARGS)

# The reference script needs psql, pgbench and python3: install them when root.
bench-tools:
	@command -v psql >/dev/null && command -v pgbench >/dev/null && command -v python3 >/dev/null || \
	{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client python3; \
	  else echo "make bench needs psql, pgbench and python3 (Debian: apt-get install postgresql postgresql-client python3)"; exit 1; fi; }

## reportbench: a month of the JSON API's daily reports over a year of a busy merchant
## (1M transactions generated once, in SQL, in ./.data/bench database puntos_reports)
reportbench:
	$(GO) build -trimpath -o bin/reportbench ./cmd/reportbench
	$(DEVDB) run -dir .data/bench -db puntos_reports -- ./bin/reportbench
