# nnbook: two commands do the whole set-up on a fresh machine (Python 3.11, make, git, npm).
#   make book   build the HTML book, in English and in Chinese, into _build/html
#   make test   run the whole test suite (unit, notebook, grader, book build with -W, browser)
# `make PYTHON=python3.11 book` picks the interpreter that creates .venv (default: python3).
# `make` or `make help` lists every target: the text after "##" on a target's line.
SHELL := /bin/bash
# The prerequisites of a target are made two at a time: .venv and the JavaScript bundle, for
# `make book` and `make test`. (Their lines may interleave; a recipe's output is never held back.)
MAKEFLAGS += --jobs=2
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Extra options for `make lab`, e.g. make lab LAB_ARGS="--no-browser --port 8890"
LAB_ARGS ?=

.PHONY: help book test lab exercises bench assets clean translations

help: ## list the targets and what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9_-]*:.*## / {printf "make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# requirements.txt pins every dependency: tools/install_pins.py installs the pins in two pip
# processes side by side, then checks them. The kernel configuration quietens ipykernel's TCP
# notice (see the file).
$(STAMP): requirements.txt pyproject.toml tools/ipython_kernel_config.py tools/install_pins.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) tools/install_pins.py
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	mkdir -p $(VENV)/etc/ipython
	cp tools/ipython_kernel_config.py $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $(STAMP)

# JavaScript bundled into the site so that it works with no network (see tools/). The script needs
# only Python's standard library and npm: it runs while .venv is installed (make runs a target's
# prerequisites two at a time, see MAKEFLAGS).
assets: ## bundle MathJax, the widget manager and the fonts from npm into book/_static/vendor
	$(PYTHON) tools/bundle_assets.py

# The execution cache and Sphinx's saved pages key on the notebooks only: when the library
# or the words its figures are drawn with in the Chinese editions (the UI catalogues) change,
# start both afresh, so that no page (built by `make book` or by the tests) shows numbers,
# widget states or pictures from older code or words.
SRC_HASH = $(shell cat $$(find src -name '*.py' | sort) locales/*/LC_MESSAGES/nnbook-ui.po | sha256sum | cut -c1-16)
# (_build/i18n holds the Chinese editions' saved pages.)
define FORGET_OLD_PAGES
	@mkdir -p _build
	@if [ "$$(cat _build/.src-hash 2>/dev/null)" != "$(SRC_HASH)" ]; then \
		rm -rf _build/.jupyter_cache _build/.doctrees _build/i18n/zh-cn _build/i18n/zh-tw; \
		echo "$(SRC_HASH)" > _build/.src-hash; fi
endef

# The notebooks are executed first, a kernel per core, into the execution cache, one line per
# notebook with the count and its time (tools/execute_notebooks.py); Jupyter Book then reads
# them from the cache and executes none itself. The two Chinese editions are built from the same
# cache (tools/i18n.py build: no notebook runs again, every glued number is the English one),
# side by side, each held to -W as the English one is.
book: $(STAMP) assets ## build the book in English, 简体 and 繁體 into _build/html, html/zh-cn, html/zh-tw (creates .venv on first use)
	$(FORGET_OLD_PAGES)
	$(PY) tools/execute_notebooks.py
	$(VENV)/bin/jupyter-book build . -W --keep-going
	$(PY) tools/i18n.py build
	@echo "The book: $(CURDIR)/_build/html/index.html (简体: html/zh-cn/index.html, 繁體: html/zh-tw/index.html)"
	@if [ -f book/_static/vendor/manifest.json ]; then \
		echo "It needs no network: open that file, or serve _build/html with any static server."; \
	else \
		echo "Built without the JavaScript bundle (no npm): math and widgets load from the public CDN."; \
	fi

# axe-core is the accessibility test's tool, not part of the site: fetched here, not by `make book`.
# Two pytest processes side by side (tools/run_tests.py): the tests of the built book, which
# build it as `make book` does (tests/book_support.py), and all the others.
test: $(STAMP) assets ## run every test (unit, notebooks, grader, book build, browser)
	$(FORGET_OLD_PAGES)
	$(PY) tools/bundle_assets.py --axe
	$(PY) tools/run_tests.py

# Kernels talk to the server over Unix sockets (IPC), not TCP ports. As root (a container),
# Jupyter refuses to start without --allow-root.
lab: $(STAMP) ## start JupyterLab on exercises/ (http://127.0.0.1:8888, with a token)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --KernelManager.transport=ipc \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/exercises \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

exercises: $(STAMP) ## regenerate exercises/ (and the Exercises part of _toc.yml) from solutions/
	$(PY) tools/make_exercises.py

translations: $(STAMP) ## after an English change: update locales/ and list what needs translating
	$(PY) tools/i18n.py update

bench: $(STAMP) ## run the benchmarks and write benchmarks/results.md
	$(PY) benchmarks/run.py

clean: ## delete _build (the book and its execution cache) and .pytest_cache
	rm -rf _build .pytest_cache
