# Two commands on a fresh clone: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test samples bench clean

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run audit_app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict homeaudit
	$(BIN)/python -m pytest

samples: $(STAMP)
	$(BIN)/homeaudit report --all examples -o reports/samples

bench: $(STAMP)
	$(BIN)/python bench/score.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/app.py

clean:
	rm -rf $(VENV) .pytest_cache
