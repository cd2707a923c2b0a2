.PHONY: demo test test-services build vet docker bench bench-quick

# Run the demo (embedded mode: SQLite + in-process Redis, nothing to install).
demo:
	go run ./cmd/weerbaar demo

# The whole test suite; tests that need PostgreSQL/Redis skip without them.
test:
	go vet ./...
	go test -count=1 -timeout 20m ./...

# The suite against the local PostgreSQL and Redis, as CI runs it.
test-services:
	bash .ci/run

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/weerbaar ./cmd/weerbaar

vet:
	go vet ./...

docker:
	docker build -t weerbaar .

# Benchmarks against same-run baselines (pgbench -N, a no-op asynq task, a
# bare rule loop) on the local PostgreSQL and Redis, then in embedded mode
# at a tenth of the load; writes bench/RESULTS.md. The first run seeds
# 100,000 candidates (a few minutes); later runs reuse the data set.
bench:
	go run ./bench -mode both -out bench/RESULTS.md

# The same, small and short (a smoke test; figures say little).
bench-quick:
	go run ./bench -quick -mode both -out /dev/stdout
