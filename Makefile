# Vitaran — the habits. `make setup` then `make test` on a fresh Debian machine.
SHELL := /bin/bash
GO ?= go
VERSION ?= 0.1.0
LDFLAGS := -s -w -X vitaran/backend/app.Version=$(VERSION)
WAILS := bin/wails
DATA ?= $(CURDIR)/demo-data
ADDR ?= 127.0.0.1:8080
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Every Go package of ours (node_modules can hold stray Go files).
PKGS = $(shell $(GO) list ./... | grep -v /node_modules/)

.PHONY: setup setup-desktop deps frontend cli test test-go test-e2e test-dates test-windows test-desktop lint bench bench-ho run build build-windows tools clean

## setup: system packages (Chromium for browser tests, PostgreSQL for head office's database tests), Go modules, npm packages, the frontend and the CLI
setup: deps frontend cli

deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation fonts-dejavu-core >/dev/null; \
	  else echo "install Chromium (apt-get install chromium) for the browser tests"; exit 1; fi; fi
	@# PostgreSQL binaries for head office's database tests; the tests run their own
	@# throw-away cluster, so the Debian service is kept from starting (policy-rc.d).
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq; \
	    own=0; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own=1; fi; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; st=$$?; \
	    if [ $$own = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; [ $$st = 0 ]; \
	  else echo "install PostgreSQL (apt-get install postgresql) for head office's PostgreSQL tests; without it they are skipped"; fi; fi
	$(GO) mod download
	cd frontend && npm ci --no-audit --no-fund

## frontend: build the UI into frontend/dist (embedded by the Go binary)
frontend:
	cd frontend && npm run build
	@touch frontend/dist/.gitkeep

## cli: bin/vitaran, every command without the desktop window (no GTK needed)
cli:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/vitaran .

## test: Go tests (real bbolt files, real HTTP on 127.0.0.1), the Windows build check, the browser tests, the dates
test: test-go test-windows test-e2e test-dates

test-go:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  echo "NOTE: no PostgreSQL on this machine: head office's PostgreSQL tests (backend/headoffice/pgstore) are SKIPPED; make setup installs it"
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)
	$(GO) test -count=1 -tags desktop -run TestTheDesktopBuild ./backend/cli

test-windows:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -tags desktop,production -o /dev/null .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null .

test-e2e: cli
	cd frontend && npm run test:e2e

## test-dates: the date-sensitive tests (Go tests named OnAnyDay, the owner's browser test) with "today"
## pinned (VITARAN_TODAY, test-only) to a 1st of a month, 1 April (numbering restarts), 31 March and 29 February
DATES ?= 2026-12-01 2027-04-01 2027-03-31 2028-02-29
test-dates: cli
	@set -eo pipefail; for d in $(DATES); do echo "== today is $$d"; \
	  VITARAN_TODAY=$$d $(GO) test -count=1 -run OnAnyDay $(PKGS) | { grep -v -e 'no test files' -e 'no tests to run' || true; }; \
	  VITARAN_TODAY=$$d node --test frontend/e2e/owner.test.mjs; done

## test-desktop: the Linux desktop build in a real window under Xvfb, screenshot in screenshots/
test-desktop: build
	./scripts/desktop-screenshot.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)
	cd frontend && npm run typecheck && npm run lint

## bench: the DESIGN.md bars on the large reference book (VITARAN_BENCH_SIZE=small for a quick run)
bench: export VITARAN_BENCH_SIZE ?= large
bench: cli
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m $(PKGS) | tee bench.txt

## bench-ho: head office on PostgreSQL (a throw-away cluster): nightly ingest through HTTP and the
## dashboard over a month of VITARAN_HO_BENCH_DISTRIBUTORS distributors' rollups (default 2,500)
bench-ho:
	$(GO) test -run '^$$' -bench 'HeadOffice' -benchtime 3x -timeout 60m ./backend/headoffice/pgstore/ | tee bench-ho.txt

## run: a demo book, the Tally emulator (127.0.0.1:9000), the IRP emulator (127.0.0.1:9100) and the browser door
run: cli
	@test -f $(DATA)/vitaran.book || ./bin/vitaran demo --size small --data $(DATA)
	./bin/vitaran tally sim --addr 127.0.0.1:9000 & sim=$$!; ./bin/vitaran irp sim --addr 127.0.0.1:9100 & irp=$$!; \
	trap "kill $$sim $$irp" EXIT; \
	./bin/vitaran serve --addr $(ADDR) --data $(DATA)

tools: $(WAILS)
$(WAILS): tools/go.mod
	cd tools && $(GO) build -o ../$(WAILS) github.com/wailsapp/wails/v2/cmd/wails

## setup-desktop: the system packages for the Linux desktop build, the Windows installer and the window screenshot
setup-desktop:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev nsis xvfb xauth imagemagick xdotool >/dev/null

## build: the Linux desktop binary build/bin/vitaran-desktop (WebKitGTK 4.1; Linux needs no resources, so plain go build)
build: frontend
	CGO_ENABLED=1 $(GO) build -tags desktop,production,webkit2_41 -trimpath -ldflags '$(LDFLAGS)' -o build/bin/vitaran-desktop .

## build-windows: the Windows GUI exe (manifest, icon) and the NSIS installer (needs nsis)
build-windows: frontend $(WAILS)
	$(WAILS) build -s -skipbindings -platform windows/amd64 -trimpath -clean -nsis -ldflags '-X vitaran/backend/app.Version=$(VERSION)'

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html
