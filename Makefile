# Tocsin: `make run` starts the daemon with the sample Contacts/ and Runbooks/;
# `make test` runs the whole test suite, the real-program integration tests included;
# `make test-integrations` runs only those. All install missing system packages first.

SYSTEM_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config
# Tests also print the HTML export with a real browser, drive the console in it (chromium-driver,
# with PyPI's selenium, and PyPI's axe-selenium-python for the accessibility audit), check exports
# against their JSON schema, run the real Prometheus (and its promtool on the sample rules) and
# Alertmanager (with a certificate made by openssl for HTTPS), and fuzz the API against
# Deploy/openapi.yaml with PyPI's schemathesis; groff formats the man pages to check them.
TEST_PACKAGES := chromium chromium-driver poppler-utils python3-jsonschema postgresql \
	prometheus prometheus-alertmanager openssl python3-pip systemd groff-base
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CONFIG ?= Deploy/tocsin.yaml
# The interpreter whose PagerDuty client (PyPI's `pagerduty`, EventsApiV2Client), selenium and axe the tests drive.
PYTHON ?= python3

.PHONY: openapi run cluster test test-integrations build release deps test-deps install-missing check clean bench bench-deps bench-export bench-timers bench-console bench-retention chaos completions

deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(SYSTEM_PACKAGES)"

# Debian's prometheus package enables a systemd service on ports 9090/9093 where systemd
# runs; the tests start their own instances on free loopback ports and do not depend on it.
test-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(TEST_PACKAGES)"
	@$(PYTHON) -c 'import pagerduty' 2>/dev/null || { \
		echo "Installing the pagerduty Python package"; \
		$(PYTHON) -m pip install --quiet pagerduty 2>/dev/null || \
		$(PYTHON) -m pip install --quiet --user --break-system-packages pagerduty; \
	}
	@$(PYTHON) -c 'import selenium.webdriver' 2>/dev/null || { \
		echo "Installing the selenium Python package"; \
		$(PYTHON) -m pip install --quiet selenium 2>/dev/null || \
		$(PYTHON) -m pip install --quiet --user --break-system-packages selenium; \
	}
	@$(PYTHON) -c 'import axe_selenium_python' 2>/dev/null || { \
		echo "Installing the axe-selenium-python Python package"; \
		$(PYTHON) -m pip install --quiet axe-selenium-python 2>/dev/null || \
		$(PYTHON) -m pip install --quiet --user --break-system-packages axe-selenium-python; \
	}
	@$(PYTHON) -c 'import schemathesis' 2>/dev/null || { \
		echo "Installing the schemathesis Python package"; \
		$(PYTHON) -m pip install --quiet schemathesis 2>/dev/null || \
		$(PYTHON) -m pip install --quiet --user --break-system-packages schemathesis; \
	}

install-missing:
	@missing=""; \
	for package in $(PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build

# Writes the JSON twin of Deploy/openapi.yaml that tocsind serves at /openapi.json (a test
# fails while the two differ).
openapi:
	@$(MAKE) --no-print-directory install-missing PACKAGES="python3-yaml"
	/usr/bin/python3 -c 'import json, yaml; document = yaml.safe_load(open("Deploy/openapi.yaml")); \
		open("Sources/TocsinHTTP/OpenAPI/openapi.json", "w").write(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")'

# Shell completions (bash, zsh, fish) and the man pages tocsin(1) and tocsind(8), written by the
# programs themselves from their command definitions, into share/ (laid out as under /usr/share;
# docs/operations.md says where they go).
SHARE := share
completions: build
	@mkdir -p $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d $(SHARE)/man/man1 $(SHARE)/man/man8
	@for program in tocsin tocsind; do \
		.build/debug/$$program --generate-completion-script bash > $(SHARE)/bash-completion/completions/$$program && \
		.build/debug/$$program --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_$$program && \
		.build/debug/$$program --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/$$program.fish || exit 1; \
	done
	.build/debug/tocsin manual > $(SHARE)/man/man1/tocsin.1
	.build/debug/tocsind --manual > $(SHARE)/man/man8/tocsind.8
	@echo "Wrote completions and man pages under $(SHARE)/"

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

# Three tocsind on one throwaway PostgreSQL database, with `tocsin listen`; Ctrl-C stops all.
cluster: build
	@$(MAKE) --no-print-directory install-missing PACKAGES="postgresql"
	Deploy/cluster/run-three.sh

check: build
	.build/debug/tocsin check --config $(CONFIG)

# A crash report names the crashed thread's frames only, so the reason stays on screen.
# Six tests at a time: the run takes as long as with all of them at once (its longest tests set
# its length), without the first seconds' storm of hundreds of servers starting together.
TEST_ENV = TOCSIN_PYTHON="$$(command -v $(PYTHON))" SWIFT_BACKTRACE=threads=crashed,registers=none,images=none \
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=6

# The suite's scratch files (SQLite files, PostgreSQL clusters, browser profiles) live in memory
# where the machine has /dev/shm: dozens of databases written at once otherwise wait on the disk's
# writeback, long enough for a test's request to time out. The folder is world-writable, as /tmp
# is, for the servers run as the postgres user, and removed afterwards. The build's own writes
# reach the disk first (`sync`), not while the suite runs.
# A run is bounded to 15 minutes. The real-program suites have shown rare timing failures on a
# loaded 2-core machine; a failed or hung run is repeated once, and both runs' output is kept.
test: test-deps
	swift build --build-tests
	sync
	@scratch=$$(mktemp -d -p /dev/shm tocsin-test.XXXXXX 2>/dev/null || mktemp -d); chmod 1777 "$$scratch"; \
	export TMPDIR="$$scratch" $(TEST_ENV); echo "Scratch files in $$scratch"; \
	timeout 900 swift test --skip-build || \
	  { echo "The test run failed or hung; running the whole suite once more."; \
	    timeout 900 swift test --skip-build; }; \
	status=$$?; rm -rf "$$scratch"; exit $$status

test-integrations: test-deps
	swift build --build-tests
	$(TEST_ENV) swift test --skip-build --filter TocsinIntegrationTests

# Not part of `make test`: 100,000 escalation timers and a page burst, in release mode,
# loopback only. Prints progress, then a Markdown table.
bench-timers: deps
	swift build -c release --product tocsin-bench-timers
	.build/release/tocsin-bench-timers $(BENCH_ARGS)

clean:
	rm -rf .build var

# An incident with 10,000 timeline events, exported in every format (release build).
bench-export: deps
	swift build -c release --product tocsin-bench-export
	.build/release/tocsin-bench-export 10000

# The console's speed (not part of `make test`): a release tocsind on SQLite with an incident of
# 10,000 events; times its page, a note reaching an open live timeline, and 100 idle live streams.
bench-console: deps
	swift build -c release --product tocsind
	swift build -c release --product tocsin-bench-console
	stdbuf -oL .build/release/tocsin-bench-console .build/release/tocsind

# The SQLite file's size over 120 simulated days of a steady load, retention off and on (release
# build, manual clock, pages to a receiver on 127.0.0.1); a few minutes. Not part of `make test`.
bench-retention: deps
	swift build -c release --product tocsin-bench-retention
	.build/release/tocsin-bench-retention $(BENCH_ARGS)

# Not part of `make test` (which runs one trial of each kind): PostgreSQL with a synchronous
# replica and three tocsind on 127.0.0.1, 30 trials killing a random instance and 5 killing the
# primary, each mid-load; writes chaos-results.md. CHAOS_ARGS="--instances 3 --primaries 1" for fewer.
chaos: test-deps
	swift build -c release --product tocsind
	swift build -c release --product tocsin-chaos
	.build/release/tocsin-chaos --tocsind .build/release/tocsind $(CHAOS_ARGS) chaos-results.md

# tocsind against Prometheus Alertmanager on this machine, the same load against both;
# writes bench-results.md. Not part of `make test`.
bench-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="prometheus-alertmanager wrk"

bench: bench-deps
	swift build -c release --product tocsind
	swift build -c release --product tocsin-bench
	-swift build -c release --product tocsin-bench-timers
	.build/release/tocsin-bench bench-results.md
