# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make serve   build the site and preview it at http://127.0.0.1:8000 (PORT=8001 for another port)
#   make test    lint, type-check and run every test (browser tests need /usr/bin/chromium: .ci/run installs it)
# and two more are what CI and contributors run: make check, make build.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build check test lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# make serve [PORT=8000]
serve: $(STAMP)
	$(BIN)/python build.py serve $(if $(PORT),--port $(PORT))

# make build [BASE_URL=https://example.org/timeline/] [REPOSITORY_URL=https://github.com/OWNER/REPO] [STRICT=1]
build: $(STAMP)
	$(BIN)/python build.py build $(if $(BASE_URL),--base-url "$(BASE_URL)") $(if $(REPOSITORY_URL),--repository-url "$(REPOSITORY_URL)") $(if $(STRICT),--strict)

# make check [STRICT=1] [CHANGED=origin/main]: validate everything; STRICT=1 makes warnings
# errors; with CHANGED, problems in files changed since that git ref are listed first
check: $(STAMP)
	$(BIN)/python build.py check $(if $(STRICT),--strict) $(if $(CHANGED),--changed "$(CHANGED)")

test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check site_builder tests benchmarks scripts build.py
	$(BIN)/mypy

# make messages: re-extract the interface strings into site_builder/locales/messages.pot and
# merge them into every catalogue (then translate what is new in each messages.po)
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-location --sort-output --project site-builder \
	  --header-comment "# Every interface string of site-builder, extracted by \`make messages\` (Babel, babel.cfg)." \
	  -o site_builder/locales/messages.pot .
	$(BIN)/pybabel --quiet update -i site_builder/locales/messages.pot -d site_builder/locales --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
