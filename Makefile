# The two commands of the README are `make run` and `make test`; everything
# they need (a Postgres included) is provided by cmd/devdb, so nothing has to
# be installed by hand beyond Go.
GO      ?= go
DEVDB   := $(GO) run ./cmd/devdb
PKGS    ?= ./...

.PHONY: all build run test vet fmt clean

all: build

build:
	$(GO) build -trimpath -o bin/server ./cmd/server

## run: serve on :8080 with a private Postgres in ./.data/pg (or DATABASE_URL)
run: build
	$(DEVDB) run -dir .data/pg -- ./bin/server serve

## test: the whole suite against a real Postgres (TEST_DATABASE_URL, else
## testcontainers, else a throwaway local cluster)
test: vet
	$(DEVDB) test -- $(GO) test -count=1 -timeout 20m $(PKGS)

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .

clean:
	rm -rf bin
