# Diplomacy Journal: `make run` serves the site, `make test` runs the tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

# The first Python 3.12+ found: on PATH, then in pyenv's versions folder.
define find_python
for candidate in $${PYTHON:-} python3.13 python3.12 python3 \
    $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if command -v "$$candidate" >/dev/null 2>&1 \
     && "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    echo "$$candidate"; break; \
  fi; \
done
endef

.PHONY: help
help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	@python=$$($(find_python)); \
	if [ -z "$$python" ]; then \
	  echo "Python 3.12 or newer is needed (3.13 recommended)." >&2; \
	  echo "Install it (e.g. 'apt install python3.13 python3.13-venv' or from python.org)," >&2; \
	  echo "or point to one with: make run PYTHON=/path/to/python3.13" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  echo "Could not create a virtualenv: install the venv module (e.g. 'apt install python3.13-venv')." >&2; \
	  exit 1; \
	}

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

$(VENV)/.installed-e2e: requirements.txt requirements-dev.txt requirements-e2e.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-e2e.txt
	@touch $@ $(VENV)/.installed-dev $(VENV)/.installed-runtime

.PHONY: install
install: $(VENV)/.installed-runtime ## Create .venv and install what the site needs

.PHONY: setup
setup: install ## Migrate, load reference data and demo content, collect static files
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data --if-empty
	$(MANAGE) load_demo_content --if-empty
	$(MANAGE) createinitialrevisions journal.Article journal.Contributor --comment "First revision." --verbosity 0
	$(MANAGE) collectstatic --noinput --verbosity 0

.PHONY: run
run: setup ## Set everything up and serve the site with gunicorn at http://127.0.0.1:8000
	@echo
	@$(MANAGE) ensure_admin --site http://$(HOST):$(PORT)
	@echo "Site:  http://$(HOST):$(PORT)/   (Ctrl-C stops it)"
	@echo
	$(VENV)/bin/gunicorn journal.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT) \
	  --workers $(WORKERS) --graceful-timeout 10

.PHONY: test
test: $(VENV)/.installed-dev ## Run the whole test suite (DATABASE_URL picks the database)
	$(VENV)/bin/pytest -n auto $(ARGS)

.PHONY: test-fast
test-fast: $(VENV)/.installed-dev ## Run the suite without the slow and external tests
	$(VENV)/bin/pytest -n auto -m "not slow and not external" $(ARGS)

# What is cached, against Redis as production keeps it: the content generation,
# pages, kept fragments and cards, and Redis outages. Each test writes under a
# key prefix of its own and deletes only its keys; the longer socket timeout
# spares a busy machine outages that are not.
CACHE_TESTS := journal/tests/test_caching.py journal/tests/test_archive_scale.py \
	journal/tests/views/test_query_budgets.py journal/tests/ops/test_cache.py \
	journal/tests/api/test_http.py journal/tests/api/test_queries.py
REDIS_TEST_URL ?= redis://127.0.0.1:6379/13

.PHONY: test-redis
test-redis: $(VENV)/.installed-dev ## Run the cache tests against Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/13)
	DJANGO_CACHE_URL=$(REDIS_TEST_URL) DJANGO_CACHE_TIMEOUT_SECONDS=2 \
	  $(VENV)/bin/pytest -n auto $(CACHE_TESTS) $(ARGS)

.PHONY: e2e
e2e: $(VENV)/.installed-e2e ## Run the browser tests in Chromium (E2E_CHROMIUM, default /usr/bin/chromium)
	$(VENV)/bin/pytest e2e $(ARGS)

# Two app servers (gunicorn) on one PostgreSQL database, one Redis database and
# one S3 server (moto), each made for the run and removed after it. Needs wrk.
TWO_NODES_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
TWO_NODES_REDIS_URL ?= redis://127.0.0.1:6379/14

.PHONY: two-nodes
two-nodes: $(VENV)/.installed-dev ## Prove two app servers share everything they must (needs wrk, PostgreSQL, Redis)
	env -u DATABASE_URL TWO_NODES_POSTGRES_URL=$(TWO_NODES_POSTGRES_URL) \
	  TWO_NODES_REDIS_URL=$(TWO_NODES_REDIS_URL) $(VENV)/bin/pytest two_nodes $(ARGS)

.PHONY: lint
lint: $(VENV)/.installed-dev ## Check code style and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: format
format: $(VENV)/.installed-dev ## Fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: messages
messages: $(VENV)/.installed-dev ## Gather marked strings into the ko/ru catalogues and compile them (needs gettext)
	$(MANAGE) makemessages -l ko -l ru --add-location=file \
		--ignore=.venv --ignore=var --ignore=bench --ignore=e2e --ignore='*/tests/*'
	$(MANAGE) compilemessages --ignore=.venv

.PHONY: migrations-check
migrations-check: $(VENV)/.installed-dev ## Fail when a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

.PHONY: clean
clean: ## Remove the virtualenv (keeps var/: database, media, secret key)
	rm -rf $(VENV)
