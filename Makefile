# Tocsin: `make run` starts the daemon with the sample Contacts/ and Runbooks/;
# `make test` runs the whole test suite. Both install missing system packages first.

SYSTEM_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG ?= Deploy/tocsin.yaml

.PHONY: run test build release deps check clean bench-timers

deps:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

# Starts `tocsin listen` (prints every page the sample people receive) in the background
# and tocsind in the foreground; Ctrl-C stops both.
run: build
	@mkdir -p var
	@.build/debug/tocsin check --config $(CONFIG) >/dev/null
	@.build/debug/tocsin listen --port 9099 & listener=$$!; \
	trap "kill $$listener 2>/dev/null" EXIT INT TERM; \
	.build/debug/tocsind --config $(CONFIG)

check: build
	.build/debug/tocsin check --config $(CONFIG)

test: deps
	swift build --build-tests
	swift test --skip-build

# Not part of `make test`: 100,000 escalation timers and a page burst, in release mode,
# loopback only. Prints progress, then a Markdown table.
bench-timers: deps
	swift build -c release --product tocsin-bench-timers
	.build/release/tocsin-bench-timers $(BENCH_ARGS)

clean:
	rm -rf .build var
