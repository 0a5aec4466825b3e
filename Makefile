# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make serve   build the site and preview it at http://127.0.0.1:8000
#   make test    run every test (browser tests need /usr/bin/chromium: .ci/run installs it)
# and two more are what CI and contributors run: make check, make build.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build check test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/python build.py serve

# make build [BASE_URL=https://example.org/timeline/]: the site in output/
build: $(STAMP)
	$(BIN)/python build.py build $(if $(BASE_URL),--base-url "$(BASE_URL)")

# make check [CHANGED=origin/main]: validate everything; with CHANGED, problems in files
# changed since that git ref are listed first
check: $(STAMP)
	$(BIN)/python build.py check $(if $(CHANGED),--changed "$(CHANGED)")

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf output .pytest_cache
