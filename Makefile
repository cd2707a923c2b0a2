.PHONY: demo test test-services build vet docker

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
