# Two commands for a newcomer: `make serve` (live preview) and `make test` (everything).
# Both create .venv and install the exact versions in requirements.lock first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup serve build test chromium bench links-online ledger lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(STAMP)

setup: $(STAMP)

# The live preview's port: `make serve PORT=8001` when 8000 is taken.
PORT ?= 8000

serve: setup
	@$(BIN)/python -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(s.connect_ex(('127.0.0.1', $(PORT))) == 0)" \
	  || { echo "Port $(PORT) is already in use. Try: make serve PORT=8001" >&2; exit 1; }
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

build: setup
	$(BIN)/mkdocs build --strict

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

test: setup chromium
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m pytest

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
	rm -rf site .venv .pytest_cache
