# Two commands on a fresh clone: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-lan test samples bench clean axe

# axe-core for the accessibility test (tests/app/package-lock.json pins it), from the npm registry:
# installed when tests/app/node_modules is missing or older than the lock file. Without npm the
# test is skipped, saying why (in CI, CI=true, it fails).
NODE_MODULES := tests/app/node_modules

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Only the tests need it (`make run` does not).
axe:
	@if [ ! -d $(NODE_MODULES) ] || [ tests/app/package-lock.json -nt $(NODE_MODULES)/.package-lock.json ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/app --no-audit --no-fund --loglevel=error; \
	  else echo "make: npm is missing, so axe-core is not installed: the accessibility test will skip (fail in CI)" >&2; fi; \
	fi

# STREAMLIT_ARGS: more options for the server, e.g. STREAMLIT_ARGS=--server.port=8600
run: $(STAMP)
	$(BIN)/streamlit run audit_app.py $(STREAMLIT_ARGS)

# The local network can reach the app: without sign-in configured, everyone on it can open every client.
run-lan: $(STAMP)
	@echo "WARNING: serving on every network interface. Anyone on this network (a clinic's or a cafe's Wi-Fi)" >&2
	@echo "can open every client's audit: without sign-in it is single-user. Use it on a network you trust; a practice's server: docs/deploy.md." >&2
	$(BIN)/streamlit run audit_app.py --server.address 0.0.0.0 --browser.serverAddress "$$(hostname)" $(STREAMLIT_ARGS)

test: $(STAMP) axe
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict homeaudit
	$(BIN)/python -m pytest

samples: $(STAMP)
	$(BIN)/homeaudit report --all examples -o reports/samples --force

bench: $(STAMP)
	$(BIN)/python bench/score.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/store.py

clean:
	rm -rf $(VENV) .pytest_cache
