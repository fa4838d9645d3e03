# nnbook: two commands do the whole set-up on a fresh machine (Python 3.11, make, git, npm).
#   make book   build the HTML book into _build/html
#   make test   run the whole test suite (unit, notebook, grader, book build with -W, browser)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test exercises bench assets clean help

help:
	@echo "make book       build the book into _build/html (creates .venv on first use)"
	@echo "make test       run every test (unit, notebooks, grader, book build, browser)"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make bench      run the benchmarks and write benchmarks/results.md"

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# JavaScript bundled into the site so that it works with no network (see tools/).
assets: $(STAMP)
	@if [ -f tools/bundle_assets.py ]; then $(PY) tools/bundle_assets.py; fi

# The execution cache and Sphinx's saved pages key on the notebooks only: when the library
# changes, start both afresh, so that no page shows numbers (or widget states) from older code.
SRC_HASH = $(shell cat $$(find src -name '*.py' | sort) | sha256sum | cut -c1-16)

book: $(STAMP) assets
	@mkdir -p _build
	@if [ "$$(cat _build/.src-hash 2>/dev/null)" != "$(SRC_HASH)" ]; then \
		rm -rf _build/.jupyter_cache _build/.doctrees; echo "$(SRC_HASH)" > _build/.src-hash; fi
	$(VENV)/bin/jupyter-book build . -W --keep-going
	@echo "The book: $(CURDIR)/_build/html/index.html"
	@if [ -f book/_static/vendor/manifest.json ]; then \
		echo "It needs no network: open that file, or serve _build/html with any static server."; \
	else \
		echo "Built without the JavaScript bundle (no npm): math and widgets load from the public CDN."; \
	fi

test: $(STAMP) assets
	$(PY) -m pytest

exercises: $(STAMP)
	$(PY) tools/make_exercises.py

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf _build .pytest_cache
