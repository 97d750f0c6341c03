# newsfold: `make demo` and `make test` work on a fresh machine with nothing done before them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
NF     := $(VENV)/bin/newsfold
RUNTIME := $(VENV)/.runtime
STAMP  := $(VENV)/.installed

.PHONY: runtime install demo test lint typecheck check clean

# What running newsfold needs: the package, its default dependencies, spaCy's small English
# model and the web server (`newsfold serve`). `make demo` installs only this.
runtime: $(RUNTIME)

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[nlp,web]'
	touch $(RUNTIME)

# What the tests need on top: the dev tools and every extra, Chromium and PostgreSQL 15.
install: $(STAMP)

$(STAMP): $(RUNTIME)
	@# torch first, pinned: pip then takes its CPU wheel, not the CUDA packages (the
	@# [embeddings] extra, sentence vectors for clustering, is tested like the rest)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,nlp,web,embeddings,postgres,spark,parquet]'
	@# The browser test drives Debian's Chromium (never a downloaded browser).
	command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "note: install Debian's chromium (as root: apt-get install chromium) for the browser test" >&2
	@# The PostgreSQL store's tests start a throwaway server from Debian's postgresql-15.
	test -x /usr/lib/postgresql/15/bin/initdb || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq postgresql-15; } \
		|| echo "note: install Debian's postgresql-15 (as root: apt-get install postgresql-15) for the PostgreSQL tests" >&2
	touch $(STAMP)

demo: $(RUNTIME)
	rm -f newsfold.db newsfold.db-wal newsfold.db-shm
	$(NF) ingest examples/articles --db newsfold.db
	$(NF) show --all --db newsfold.db
	@echo
	@echo "Next: browse the stories with  $(NF) serve --db newsfold.db  and open http://127.0.0.1:8000"

test: install lint typecheck
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests

typecheck: install
	$(VENV)/bin/mypy

check: test

clean:
	rm -rf $(VENV) newsfold.db newsfold.db-wal newsfold.db-shm .pytest_cache .mypy_cache .ruff_cache
