# The two commands in the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint install clean

$(BIN)/heedful: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

install: $(BIN)/heedful

demo: install
	$(BIN)/heedful demo

test:
	bash tools/test.sh

lint: install
	$(BIN)/ruff check heedful tests bench

clean:
	rm -rf $(VENV) build *.egg-info
