# The two set-up commands of README.md: `make run` and `make test`. Each first installs the
# Debian/Ubuntu packages the build needs when they are missing.

GO        ?= go
# cgo packages: Fyne's OpenGL/GLFW driver and libusb for gousb; poppler-utils gives the tests
# pdftotext, to read the labels back out of the PDFs; postgresql the server of the warehouse
# journal's tests.
APT_PKGS  := gcc pkg-config libgl1-mesa-dev xorg-dev libusb-1.0-0-dev libasound2-dev
TEST_PKGS := poppler-utils zbar-tools postgresql
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCHTIME ?= 1s

.PHONY: run test bench deps build fuzz clean

deps:
	@missing=""; for p in $(APT_PKGS) $(if $(filter test bench,$(MAKECMDGOALS)),$(TEST_PKGS)); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! command -v $(GO) >/dev/null 2>&1; then missing="$$missing golang-go"; fi; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "station: missing system packages:$$missing; install them with your package manager" >&2; exit 1; \
	  fi; \
	  echo "station: installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(GO) build -tags migrated_fynedo -o bin/station ./cmd/station

# The station on the built-in JOS simulator.
run: build
	./bin/station -demo

# The tests run with a throw-away PostgreSQL cluster (internal/pgtest/withpg) for the journal's
# PostgreSQL backend, started in a temporary folder and removed afterwards.
test: deps
	$(GO) vet ./...
	$(GO) run ./internal/pgtest/withpg $(GO) test -race ./...

bench: deps
	$(GO) run ./internal/pgtest/withpg $(GO) test -run='^$$' -bench=. -benchmem -benchtime=$(BENCHTIME) ./...

clean:
	rm -rf bin
