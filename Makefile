# Counterclaim: `make run` to try it, `make test` to check it.
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-tools lint format install migrate demo bench profile clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The server and, beside it, one capture worker (django-tasks-db) that stops
# with it: a source logged in the admin is captured within seconds.
run: demo
	$(BIN)/python manage.py create_local_editor
	$(BIN)/python manage.py check_links --schedule 60
	@$(BIN)/python manage.py db_worker --queue-name '*' --interval 1 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Capture worker started (pid $$worker)."; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Besides the pinned Python packages, the tests need Debian's Chromium (browser
# tests) and Java (the Nu Html Checker): say in one line what is missing.
test-tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then echo "make test needs:$$missing; install with: apt-get install$$missing"; exit 1; fi

# The suite runs in parallel processes (pytest-xdist). `--dist load` hands
# out tests in pytest-django's order (transactional ones last), so each
# process, like a run in one, ends with the tests that empty the tables;
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: lint test-tools
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --maxprocesses 4 --dist load) $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.run $(if $(SIZE),--size $(SIZE)) $(if $(JSON),--json $(JSON)) $(if $(REPEAT),--repeat $(REPEAT))

profile: install
	$(BIN)/python -m bench.profile_page $(or $(ENDPOINT),claim_page_cold) $(if $(SIZE),--size $(SIZE))

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
