# Two commands do all set-up on a fresh machine:
#   make run   create the venv, install, start the app on the bundled data
#   make test  create the venv, install, lint, run every test
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint format bench screenshots clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Loopback only: a copy on one's own machine is for its one user (owner "local"); deploy/ serves a team.
run: $(VENV)/.installed
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# axe-core (pinned in package-lock.json) for the accessibility test, from the npm registry.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: lint node_modules/axe-core/axe.min.js
	$(PY) -m pytest

# The browser journeys save a screenshot of every page; the README shows these copies.
screenshots: $(VENV)/.installed
	$(PY) -m pytest -q tests/browser/test_journeys.py tests/browser/test_browser_compare.py
	mkdir -p docs/screenshots && cp out/screenshots/*.png docs/screenshots/

bench: $(VENV)/.installed
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
