# The two set-up commands of README.md: `make run` and `make test`. Each first installs the
# Debian/Ubuntu packages the build needs when they are missing.

GO        ?= go
# cgo packages: Fyne's OpenGL/GLFW driver and libusb for gousb; poppler-utils gives the tests
# pdftotext, to read the labels back out of the PDFs; postgresql the server of the warehouse
# journal's tests.
APT_PKGS  := gcc pkg-config libgl1-mesa-dev xorg-dev libusb-1.0-0-dev libasound2-dev
TEST_PKGS := poppler-utils zbar-tools postgresql
# The Windows build: mingw for Fyne's cgo, makensis for the installer; its tests run the exes
# under Wine on Xvfb, and print through Wine's spooler to a CUPS raw queue.
WIN_PKGS  := gcc-mingw-w64-x86-64 nsis
WINE_PKGS := wine64 wine xvfb xdotool imagemagick cups cups-bsd
VERSION   ?= 1.0.$(shell git rev-list --count HEAD 2>/dev/null || echo 0)
WIN_ENV   := GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCHTIME ?= 1s

.PHONY: run test bench deps build fuzz clean windows windows-test

deps:
	@missing=""; for p in $(APT_PKGS) $(if $(filter test bench,$(MAKECMDGOALS)),$(TEST_PKGS)) \
	    $(if $(filter windows windows-test,$(MAKECMDGOALS)),$(WIN_PKGS)) $(if $(filter windows-test,$(MAKECMDGOALS)),$(WINE_PKGS)); do \
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

# dist/windows: station.exe (the window, no console), station-cli.exe (the same program as a
# console program, for the command line) and station-setup.exe (the installer). The resources
# (icon, version, DPI-aware manifest) are made into a .syso that go build links into both.
windows: deps
	$(GO) tool go-winres make --in packaging/windows/winres.json --out cmd/station/rsrc --arch amd64 \
	  --product-version $(VERSION).0 --file-version $(VERSION).0
	mkdir -p dist/windows
	$(WIN_ENV) $(GO) build -tags migrated_fynedo -trimpath -ldflags "-s -w -H windowsgui" -o dist/windows/station.exe ./cmd/station
	$(WIN_ENV) $(GO) build -tags migrated_fynedo -trimpath -ldflags "-s -w" -o dist/windows/station-cli.exe ./cmd/station
	makensis -V2 -DVERSION=$(VERSION) -DDIST=$(CURDIR)/dist/windows packaging/windows/station.nsi
	@ls -l dist/windows

# The Windows code vetted for Windows, then the exes and the installer run under Wine.
windows-test: windows
	$(WIN_ENV) $(GO) vet -tags migrated_fynedo -trimpath ./...
	STATION_WINDOWS_DIST=$(CURDIR)/dist/windows $(GO) test -count=1 -timeout 30m -v ./internal/wintest/

clean:
	rm -rf bin dist cmd/station/rsrc_windows_*.syso
