# Two commands for a newcomer: `make serve` (live preview) and `make test` (everything).
# Both create .venv and install the exact versions in requirements.lock first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The build package (overrides/ttg_build, named in mkdocs.yml `markdown_extensions`) must be
# importable by every generator. Each environment gets a .pth file naming overrides/ (so a bare
# `.venv/bin/mkdocs serve` works too), and make's own commands put this checkout's overrides/ first
# (PYTHONPATH, below).
build_pth = $(1)/bin/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'ttg-build.pth').write_text('$(CURDIR)/overrides\n')"

.PHONY: setup generators serve build test test-stress test-repeat chromium bench links-online ledger lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(call build_pth,$(VENV))
	touch $(STAMP)

setup: $(STAMP)

# The live preview's port: `make serve PORT=8001` when 8000 is taken.
PORT ?= 8000

serve: setup
	@$(BIN)/python -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(s.connect_ex(('127.0.0.1', $(PORT))) == 0)" \
	  || { echo "Port $(PORT) is already in use. Try: make serve PORT=8001" >&2; exit 1; }
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# `make build GENERATOR=properdocs` or `GENERATOR=zensical` builds with another generator, from its
# own environment; the first line names the generator and its version. Every build then runs the
# post-build pipeline (overrides/ttg_build/pipeline: redirects, share images, search, the offline
# page, fingerprints, the inlined stylesheet, CSP and host files) and ends with its output check:
# a site that lost its citations, warning signs, the check's numbers, its CSP or host files is
# refused, whatever made it. MkDocs and ProperDocs run the pipeline from their hook
# (overrides/hooks/pipeline.py), and the check runs once more on its own; Zensical skips hooks,
# so the pipeline runs after it, as its own command.
GENERATOR ?= mkdocs
GEN_VENV = .venv-$(GENERATOR)
# The build package (overrides/ttg_build), importable by the generators and the pipeline.
export PYTHONPATH := $(CURDIR)/overrides$(if $(PYTHONPATH),:$(PYTHONPATH))
PIPELINE = $(BIN)/python -m ttg_build.pipeline site --docs docs --config mkdocs.yml
OUTPUT_CHECK = $(BIN)/python -m ttg_build.pipeline.output_check site --docs docs

# .venv-properdocs, .venv-zensical: the site's pins plus the generator's (and its own helpers').
.venv-%/.installed: requirements.lock requirements-generators.lock
	$(PYTHON) -m venv .venv-$*
	.venv-$*/bin/pip install --quiet -r requirements.lock $$(grep -E '^$*==' requirements-generators.lock) \
	  $$(grep -E '^(deepmerge|tomli)==' requirements-generators.lock)
	$(call build_pth,.venv-$*)
	touch $@

generators: .venv-properdocs/.installed .venv-zensical/.installed

ifeq ($(GENERATOR),mkdocs)
BUILD_NEEDS = setup
BUILD_CMD = @echo "Building with $$($(BIN)/mkdocs --version)"; $(BIN)/mkdocs build --strict
AFTER_BUILD = $(OUTPUT_CHECK)
else ifeq ($(GENERATOR),properdocs)
BUILD_NEEDS = setup $(GEN_VENV)/.installed
BUILD_CMD = @echo "Building with $$($(GEN_VENV)/bin/properdocs --version)"; $(GEN_VENV)/bin/properdocs build --strict
AFTER_BUILD = $(OUTPUT_CHECK)
else ifeq ($(GENERATOR),zensical)
# Zensical skips MkDocs hooks but runs the page-content steps (Markdown extensions, so the pages'
# own checks run there too) and reads mkdocs.yml as it is. It caches pages between builds and does
# not know that a page depends on docs/_data/*.yml: --clean, so a changed data file is seen. The
# site-wide citation check (an entry or claim note no page uses), a hook on MkDocs, runs after it.
BUILD_NEEDS = setup $(GEN_VENV)/.installed
BUILD_CMD = @echo "Building with zensical $$($(GEN_VENV)/bin/zensical --version)"; \
	$(GEN_VENV)/bin/zensical build --clean && $(BIN)/python -m ttg_build.citations site --docs docs \
	  || { rm -rf site-refused; [ ! -d site ] || mv site site-refused; exit 1; }
AFTER_BUILD = $(PIPELINE)
else
$(error GENERATOR must be mkdocs, properdocs or zensical, not '$(GENERATOR)')
endif

# A refused site is moved aside (site-refused/, to look at), so nothing half-built is left to deploy.
build: $(BUILD_NEEDS)
	rm -rf site-refused
	$(BUILD_CMD)
	@$(AFTER_BUILD) \
	  || { rm -rf site-refused; mv site site-refused; echo "Moved the refused build to site-refused/." >&2; exit 1; }

# Browser tests need a Chromium. Use CHROME_PATH if set, else Debian's /usr/bin/chromium,
# installing it with apt when we can.
chromium:
	@if [ -n "$$CHROME_PATH" ] && [ -x "$$CHROME_PATH" ]; then exit 0; fi; \
	if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "Installing Debian's chromium for the browser tests (apt-get)..."; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium. Install it with your package manager, or set CHROME_PATH=/path/to/chromium." >&2; \
	  exit 1; \
	fi

# The suite runs on this machine's cores, four at most (each worker builds the site and starts a
# Chromium of its own): `make test TEST_JOBS=1` runs it in one process. Tests that share a costly
# module fixture (the tuning set typed into the search box) are kept on one worker (xdist_group).
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 4 ] && n=4; echo $$n)
test: setup chromium generators
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup

# Maintainers: the whole suite with busy processes beside it (STRESS_CPUS of them, default 2, one
# per core here), as on a loaded CI runner: a test that waits for time instead of a state fails here.
# The busy loops stop with the suite, and in 30 minutes at most whatever happens.
STRESS_CPUS ?= 2
test-stress: setup chromium
	@pids=; for i in $$(seq $(STRESS_CPUS)); do timeout 1800 sh -c 'while :; do :; done' & pids="$$pids $$!"; done; \
	trap 'kill $$pids 2>/dev/null' EXIT; \
	echo "test-stress: $(STRESS_CPUS) busy processes beside the suite"; \
	$(MAKE) --no-print-directory test

# Maintainers: hunt a flaky test by running it many times, stopping at the first failure, e.g.
#   make test-repeat TEST=tests/test_check.py::test_back_button_goes_back_a_question_and_start_again_resets N=30
TEST ?= tests
N ?= 20
test-repeat: setup chromium
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m pytest "$(TEST)" --repeat $(N) -x -q

# Maintainers only: checks external links online (tests never touch the network).
links-online: build
	$(BIN)/lychee --no-progress --include-fragments --index-files index.html --root-dir "$(CURDIR)/site" --exclude-path site/404.html site/

bench: setup chromium
	$(BIN)/python tests/bench/run.py
	$(BIN)/python tests/bench/search.py

# Record new pages and {#anchors} in the URL ledger (published URLs must keep working).
ledger: setup
	$(BIN)/python tests/ledger.py

# Re-resolve the lock after changing pins in pyproject.toml.
lock:
	rm -rf /tmp/ttg-lock && $(PYTHON) -m venv /tmp/ttg-lock
	/tmp/ttg-lock/bin/pip install --quiet ".[test]"
	/tmp/ttg-lock/bin/pip freeze --exclude thigh-twitch-guide > requirements.lock

clean:
	rm -rf site site-refused .venv .venv-properdocs .venv-zensical .pytest_cache
